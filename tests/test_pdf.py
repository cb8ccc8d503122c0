"""The PDF and EPUB editions: `scripts/build.py --pdf` once per session, then what they contain.

Expected content comes from the question bank the plugin exports (site/downloads/*.json): every
question heading and every short answer of a language must be in its PDF. English pages not
translated yet fall back to Chinese, so the English PDF must also hold those Chinese questions.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from handbook import epub, linkcheck

from .conftest import ROOT, SITE_URL

LANGS = ("zh", "en")


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory):
    """One real `scripts/build.py --pdf` (strict build + link check + both PDFs), for the
    Pages sub-path as the deploy workflow builds it."""
    out = tmp_path_factory.mktemp("pdf-site")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build.py"), "--pdf", "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "SITE_URL": SITE_URL},
    )
    return out, result


@pytest.fixture(scope="session")
def site_pdf(pdf_build):
    out, result = pdf_build
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return out


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def squash(text: str) -> str:
    """Without whitespace or hyphens: pdftotext joins "all-\nreduce" into "allreduce"."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def flat(text: str) -> str:
    """squash()ed, without the page footers ("12 / 161") that land anywhere in the flow."""
    return squash(re.sub(r"^\s*\d+ / \d+\s*$", "", text, flags=re.MULTILINE))


def plain(html: str) -> list[str]:
    """The text of an answer as clauses between formulas and punctuation: KaTeX text does not
    round-trip, and a tall inline formula can move the rest of its line in pdftotext's order."""
    soup = BeautifulSoup(html, "lxml")
    for math in soup.select(".arithmatex, .katex"):
        math.replace_with("\x00")
    pieces = re.split(r"[\x00，。；：、,;:]", squash(soup.get_text()))
    return [piece for piece in pieces if len(piece) >= 3]


def expected_questions(site: Path, lang: str) -> list[dict]:
    questions = json.loads((site / "downloads" / f"llm-handbook-{lang}.json").read_text())["questions"]
    if lang == "en":  # untranslated pages fall back to Chinese
        translated = {q["url"].split("#")[0].split("/en/", 1)[-1] for q in questions}
        for q in expected_questions(site, "zh"):
            page = q["url"].split("#")[0].removeprefix(linkcheck.infer_site_url(site))
            source = ROOT / "docs" / (page.rstrip("/") or "index")
            has_twin = Path(f"{source}.en.md").exists() or (source / "index.en.md").exists()
            if not has_twin and page not in translated:
                questions.append(q)
    return questions


def test_build_script_reports_every_stage(pdf_build):
    _, result = pdf_build
    out = result.stdout
    assert result.returncode == 0, out[-4000:]
    for line in ("[1/3] build", "[2/3] check", "[3/3] pdf", "Summary", "total  ok"):
        assert line in out
    assert re.search(r"check\s+ok\s+[\d.]+ s\s+\d+ pages, \d+ internal links", out)
    assert "0 broken" in out
    assert re.search(r"pdf\s+ok\s+[\d.]+ s\s+zh \d+ pages, en \d+ pages", out)


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_holds_every_question_and_short_answer(site_pdf, lang):
    pdf = site_pdf / "pdf" / f"llm-handbook-{lang}.pdf"
    text = flat(pdftotext(pdf, "-raw"))  # drawing order: formulas do not split sentences
    questions = expected_questions(site_pdf, lang)
    assert questions, "the question bank is empty"
    missing = []
    for q in questions:
        for piece in plain(q["question_html"]) + plain(q["short_html"]):
            if piece not in text:
                missing.append(f"{q['id']}: {piece[:60]}")
    assert not missing, "\n".join(missing[:20])


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_has_cover_contents_and_page_numbers(site_pdf, lang):
    pdf = site_pdf / "pdf" / f"llm-handbook-{lang}.pdf"
    cover = pdftotext(pdf, "-f", "1", "-l", "1")
    title = {"zh": "LLM 面试手册", "en": "LLM Interview Handbook"}[lang]
    built = {"zh": "构建日期：", "en": "Built on "}[lang]
    assert squash(title) in squash(cover)
    assert re.search(re.escape(built) + r"\d{4}-\d{2}-\d{2}", cover)
    contents = pdftotext(pdf, "-f", "2", "-l", "2")
    assert {"zh": "目录", "en": "Contents"}[lang] in contents
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout).group(1))
    assert f"2 / {pages}" in contents
    assert "Page 2" not in contents  # print-site's own English footer is replaced


@pytest.mark.parametrize("lang", LANGS)
def test_page_count_is_reasonable(site_pdf, lang):
    pdf = site_pdf / "pdf" / f"llm-handbook-{lang}.pdf"
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout).group(1))
    n = len(expected_questions(site_pdf, lang))
    # a question block starts a sheet and answers run one to a few sheets; far more means
    # blank pages or runaway layout, far fewer means answers are missing
    assert n <= pages <= 8 * n + 30, (pages, n)


@pytest.mark.parametrize("lang", LANGS)
def test_fonts_are_embedded_including_cjk(site_pdf, lang):
    pdf = site_pdf / "pdf" / f"llm-handbook-{lang}.pdf"
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert rows
    # columns from the right: object ID (2), uni, sub, emb
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, not_embedded
    # Chromium (Skia) embeds CFF-outline CJK fonts such as Noto Sans CJK as Type 3 glyph sets
    # with no name, and TrueType ones (WenQuanYi, Droid) by name: accept either, and require
    # the Chinese text to come out of the PDF (so its glyphs map back to Unicode).
    cjk_named = [r for r in rows if re.search(r"CJK|WenQuanYi|wqy|SourceHan|Droid|Noto", r, re.I)]
    type3 = [r for r in rows if "Type 3" in r]
    assert cjk_named or type3, rows
    text = pdftotext(pdf, "-f", "5", "-l", "12")
    if lang == "zh":
        assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 200
    else:  # the English book is English now, with the Chinese terms of its glossary
        assert len(re.findall(r"[A-Za-z]{3,}", text)) > 200
        glossary = pdftotext(pdf, "-f", "1", "-l", "999").split("Glossary")[-1]
        assert len(re.findall(r"[\u4e00-\u9fff]", glossary)) > 200


@pytest.mark.parametrize("lang", LANGS)
def test_diagrams_and_formulas_are_drawn_not_source(site_pdf, lang):
    text = pdftotext(site_pdf / "pdf" / f"llm-handbook-{lang}.pdf")
    assert "flowchart" not in text and "graph TD" not in text  # mermaid source would show
    # so would TeX that arithmatex did not pick up (e.g. a $$ block indented wrongly in a list)
    raw = [line for line in text.splitlines() if re.search(r"\$\$|\\frac|\\sqrt|\\mathrm", line)]
    assert not raw, raw[:5]


def test_print_pages_one_per_language(site_pdf):
    zh = (site_pdf / "print_page" / "index.html").read_text()
    en = (site_pdf / "en" / "print_page" / "index.html").read_text()
    assert '<html lang="zh"' in zh and '<html lang="en"' in en
    assert '"base": ".."' in zh and '"base": "../.."' in en
    for html in (zh, en):
        assert html.count("print-site.js") == 1
        # typeset at build time like every page (print-site skips on_post_page): no TeX left
        assert html.count('class="arithmatex"><span class="katex') >= 50
        assert not re.search(r'class="arithmatex">\s*\\[(\[]', html)
    page = (site_pdf / "en" / "index.html").read_text()
    assert page.count("print-site.js") == 1  # not once per language build


def test_home_pages_link_to_their_pdf(site_pdf):
    for home, pdf in (("index.html", "llm-handbook-zh.pdf"), ("en/index.html", "llm-handbook-en.pdf")):
        soup = BeautifulSoup((site_pdf / home).read_text(), "lxml")
        links = [a["href"] for a in soup.select("a[href$='.pdf']")]
        assert len(links) == 1 and links[0].endswith("pdf/" + pdf)
        assert (site_pdf / home).parent.joinpath(links[0]).resolve().is_file()


# The EPUB edition: written by the same `build.py --pdf` run, from the same Chromium render.

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")  # Debian's epubcheck (scripts/system-deps.sh)
# a page with a diagram and display formulas (print-site prefixes the English ids with en-)
ARCHITECTURE = re.compile(r"^(en-)?transformer-transformer-architecture$")


def epub_files(site: Path, lang: str) -> dict[str, bytes]:
    with zipfile.ZipFile(site / "pdf" / f"llm-handbook-{lang}.epub") as book:
        return {name: book.read(name) for name in book.namelist()}


def chapters(files: dict[str, bytes]) -> dict[str, BeautifulSoup]:
    return {name: BeautifulSoup(data, "xml") for name, data in files.items()
            if re.fullmatch(r"EPUB/chapter-\d+\.xhtml", name)}


def page_titles(lang: str) -> list[str]:
    """The first heading of every chapter page and of the glossary, as the Markdown has it
    (English pages not translated yet fall back to Chinese)."""
    titles = []
    for zh in sorted([*ROOT.glob("docs/*/*.md"), ROOT / "docs" / "glossary.md"]):
        if zh.name.endswith(".en.md") or zh.name == "quiz.md":
            continue
        en = zh.with_name(zh.name[:-3] + ".en.md")
        source = en if lang == "en" and en.exists() else zh
        heading = re.search(r"^# (.+)$", source.read_text(encoding="utf-8"), re.MULTILINE)
        titles.append(heading.group(1).replace("`", "").strip())
    return titles


@pytest.mark.parametrize("lang", LANGS)
def test_epubcheck_finds_no_errors(site_pdf, lang):
    assert EPUBCHECK.exists(), "run scripts/system-deps.sh (Debian package epubcheck)"
    result = subprocess.run(["java", "-jar", str(EPUBCHECK), "--quiet",
                             str(site_pdf / "pdf" / f"llm-handbook-{lang}.epub")],
                            capture_output=True, text=True)
    report = result.stdout + result.stderr
    assert result.returncode == 0 and "ERROR" not in report and "FATAL" not in report, report[-4000:]


@pytest.mark.parametrize("lang", LANGS)
def test_epub_nav_lists_every_chapter_and_page(site_pdf, lang):
    files = epub_files(site_pdf, lang)
    nav = BeautifulSoup(files["EPUB/nav.xhtml"], "xml")
    ncx = BeautifulSoup(files["EPUB/toc.ncx"], "xml")
    in_nav = [squash(a.get_text()) for a in nav.select("nav ol a")]
    in_ncx = [squash(t.get_text()) for t in ncx.select("navPoint > navLabel > text")]
    missing = [t for t in page_titles(lang) if squash(t) not in in_nav or squash(t) not in in_ncx]
    assert not missing, (missing, in_nav)
    # each chapter file is a top-level entry, and every link lands on an id that exists
    books = chapters(files)
    top = {a["href"] for a in nav.select("nav > ol > li > a")}
    assert set(books) == {f"EPUB/{href.split('#')[0]}" for href in top}
    for a in nav.select("nav ol a"):
        file, _, anchor = a["href"].partition("#")
        assert not anchor or books[f"EPUB/{file}"].find(id=anchor) is not None, a["href"]


@pytest.mark.parametrize("lang", LANGS)
def test_epub_holds_every_question_and_short_answer_expanded(site_pdf, lang):
    books = chapters(epub_files(site_pdf, lang))
    for soup in books.values():
        assert soup.html["lang"] == soup.html["xml:lang"] == lang
        assert not soup.find_all(["details", "summary", "script"])
        for math in soup.find_all("math"):
            math.replace_with("\x00")
    text = squash("".join(soup.body.get_text() for soup in books.values()))
    missing = []
    for q in expected_questions(site_pdf, lang):
        for piece in plain(q["question_html"]) + plain(q["short_html"]):
            if piece not in text:
                missing.append(f"{q['id']}: {piece[:60]}")
    assert not missing, "\n".join(missing[:20])
    # follow-ups and references come along: the first page's reference links are there
    refs = {a["href"] for soup in books.values() for a in soup.select("a[href^='https://arxiv.org/']")}
    assert "https://arxiv.org/abs/1706.03762" in refs


@pytest.mark.parametrize("lang", LANGS)
def test_epub_diagrams_are_light_svg_files(site_pdf, lang):
    files = epub_files(site_pdf, lang)
    rel = "print_page/index.html" if lang == "zh" else "en/print_page/index.html"
    diagrams = BeautifulSoup((site_pdf / rel).read_text(), "lxml").select("pre.diagram")
    images = [img for soup in chapters(files).values() for img in soup.select("figure.diagram img")]
    assert diagrams and len(images) == len(diagrams)
    architecture = next(soup for soup in chapters(files).values() if soup.find(id=ARCHITECTURE))
    assert architecture.select("figure.diagram img[src$='.svg']")
    for img in images:
        svg = files["EPUB/" + img["src"]].decode()
        assert svg.startswith("<svg") and "<text" in svg and "foreignObject" not in svg
        assert img["alt"]
    flowchart = next(files["EPUB/" + i["src"]].decode() for i in images
                     if 'class="flowchart"' in files["EPUB/" + i["src"]].decode())
    assert "#ececff" in flowchart.lower()  # mermaid's light theme node colour (dark: #1f2020)
    for img in images:  # ids that cannot vary from build to build
        svg = files["EPUB/" + img["src"]].decode()
        number = int(re.search(r"diagram-(\d+)\.svg$", img["src"]).group(1))
        ids = re.findall(r'\sid="([^"]+)"', svg)
        assert ids and all(re.fullmatch(rf"d{number}-\d+(-[a-z]+)?", i) for i in ids), ids[:9]
        refs = re.findall(r'(?:url\(#|href="#)([^)"]+)', svg)
        assert set(refs) <= set(ids)


def test_stable_ids_renames_ids_and_what_points_at_them():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           'id="epub-diagram-6"><style>#epub-diagram-6 .actor{fill:#ECECFF;}'
           '#epub-diagram-6 [id$="-arrowhead"] path{fill:#333;}#actor11,#epub-diagram-6-x{}'
           '#ghost{}.a{fill:#ace;}</style><defs><marker id="epub-diagram-6-arrowhead"><path/></marker></defs>'
           '<line id="actor11" data-id="T" marker-end="url(#epub-diagram-6-arrowhead)"/>'
           '<use href="#actor11"/><use xlink:href="#actor11"/><g id="root-11"/><g id="ace"/></svg>')
    assert epub.stable_ids(svg, 7) == (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'id="d7-1"><style>#d7-1 .actor{fill:#ECECFF;}'
        '#d7-1 [id$="-arrowhead"] path{fill:#333;}#d7-3,#epub-diagram-6-x{}'
        '#ghost{}.a{fill:#ace;}</style><defs><marker id="d7-2-arrowhead"><path/></marker></defs>'
        '<line id="d7-3" data-id="T" marker-end="url(#d7-2-arrowhead)"/>'
        '<use href="#d7-3"/><use xlink:href="#d7-3"/><g id="d7-4"/><g id="d7-5"/></svg>')
    # the same diagram with mermaid's counters further on gives the same SVG
    assert epub.stable_ids(svg.replace("11", "7"), 7) == epub.stable_ids(svg, 7)


@pytest.mark.parametrize("lang", LANGS)
def test_epub_formulas_are_mathml_not_tex(site_pdf, lang):
    files = epub_files(site_pdf, lang)
    rel = "print_page/index.html" if lang == "zh" else "en/print_page/index.html"
    formulas = len(BeautifulSoup((site_pdf / rel).read_text(), "lxml").select(".arithmatex"))
    books = chapters(files)
    maths = [m for soup in books.values() for m in soup.find_all("math")]
    assert formulas and len(maths) == formulas
    assert all(m.namespace == "http://www.w3.org/1998/Math/MathML" for m in maths)
    architecture = next(soup for soup in books.values() if soup.find(id=ARCHITECTURE))
    assert architecture.find("math", attrs={"display": "block"}) is not None
    for name, data in files.items():
        if name.endswith(".xhtml"):
            raw = re.findall(r"\\(?:frac|sqrt|mathrm|begin)\b|\$\$", data.decode())
            assert not raw, (name, raw[:5])


@pytest.mark.parametrize("lang", LANGS)
def test_epub_is_reproducible_and_has_its_cover(site_pdf, lang):
    path = site_pdf / "pdf" / f"llm-handbook-{lang}.epub"
    files = epub_files(site_pdf, lang)
    cover = BeautifulSoup(files["EPUB/cover.xhtml"], "xml").get_text()
    assert {"zh": "LLM 面试手册", "en": "LLM Interview Handbook"}[lang] in cover
    assert {"zh": "中文版", "en": "English edition"}[lang] in cover
    date = re.search({"zh": "构建日期：", "en": "Built on "}[lang] + r"(\d{4}-\d{2}-\d{2})",
                     cover).group(1)
    opf = BeautifulSoup(files["EPUB/content.opf"], "xml")
    assert opf.find("language").get_text() == lang
    assert opf.find("meta", property="dcterms:modified").get_text() == f"{date}T00:00:00Z"
    image = opf.find("item", properties="cover-image")  # what a reader's library shows
    assert files["EPUB/" + image["href"]].startswith(b"\x89PNG")
    identifier = opf.find("identifier").get_text()
    assert identifier == f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'llm-handbook-' + lang)}"
    with zipfile.ZipFile(path) as book:
        infos = book.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert {info.date_time for info in infos} == {(*map(int, date.split("-")), 0, 0, 0)}
    assert not any(name.endswith((".ttf", ".otf", ".woff", ".woff2")) for name in files)


def test_home_pages_link_to_their_epub(site_pdf):
    for home, book in (("index.html", "llm-handbook-zh.epub"), ("en/index.html", "llm-handbook-en.epub")):
        soup = BeautifulSoup((site_pdf / home).read_text(), "lxml")
        links = [a["href"] for a in soup.select("a[href$='.epub']")]
        assert len(links) == 1 and links[0].endswith("pdf/" + book)
        target = (site_pdf / home).parent.joinpath(links[0]).resolve()
        assert zipfile.is_zipfile(target)
