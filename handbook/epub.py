"""The EPUB edition: the print pages as Chromium rendered them for the PDF, packed as EPUB 3.

`pdf.render(..., capture=epub.capture)` hands each print page, once printed, to `capture()`,
which takes its DOM (KaTeX's MathML included) and draws every diagram again in mermaid's light
theme with SVG text labels (e-readers do not render the HTML labels mermaid puts in SVG).
It also draws the print cover as the PNG a reader's library shows.
`write()` turns that into an EPUB: a cover, the EPUB 3 navigation document plus an NCX for old
readers, one XHTML file per chapter with every answer open, diagrams as SVG files and formulas
as MathML. No fonts are embedded: readers bring their own, CJK included. The file is
reproducible: identifiers come from the language, dates from the cover's build date
(SOURCE_DATE_EPOCH, see printsite.build_date) and the zip entries keep one order and time.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from ebooklib import epub

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
# what the cover says about the edition, per language
TEXT = {
    "zh": {"edition": "中文版", "contents": "目录", "cover": "封面", "diagram": "图示："},
    "en": {"edition": "English edition", "contents": "Contents", "cover": "Cover",
           "diagram": "Diagram: "},
}
# Attributes kept on HTML elements; everything else (print-site's heading-number, data-*,
# inline styles the screen layout set) is dropped.
KEEP_ATTRS = {"id", "class", "href", "src", "alt", "title", "lang", "colspan", "rowspan",
              "datetime", "start", "type", "scope", "align"}
CSS = """\
body { line-height: 1.6; }
h1, h2, h3, h4 { line-height: 1.3; }
h1.chapter { margin-top: 0; }
.cover { text-align: center; margin-top: 20%; }
.cover .title { font-size: 2em; font-weight: bold; margin: .5em 0; }
.cover .edition, .cover .date, .cover .url { margin: .2em 0; }
.answer { border-left: 3px solid #4caf50; padding-left: .8em; margin: 1em 0; }
.answer.question { border-left-color: #448aff; }
.answer > .summary { font-weight: bold; margin-bottom: .3em; }
.admonition { border-left: 3px solid #ff9100; padding-left: .8em; margin: 1em 0; }
.admonition-title { font-weight: bold; }
/* a narrow screen wraps cells, code and links anywhere rather than cut the page */
table { border-collapse: collapse; margin: 1em 0; font-size: .85em; }
th, td { border: 1px solid #999; padding: .2em .3em; vertical-align: top; }
th { background: #eee; }
td, th, code, a { overflow-wrap: anywhere; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .85em; background: #f5f5f5;
      padding: .5em; }
code { font-size: .9em; }
figure.diagram { margin: 1em 0; text-align: center; }
figure.diagram img { max-width: 100%; height: auto; }
div.formula { margin: .8em 0; text-align: center; overflow-x: auto; }
a { color: inherit; }
"""


def epub_name(lang: str) -> str:
    return f"llm-handbook-{lang}.epub"


# Runs in the print page after the PDF is printed. Returns the page's DOM with every diagram
# replaced by <img data-diagram="i"> and the matching SVG, drawn again for the EPUB.
_CAPTURE = r"""async () => {
  const root = document.getElementById("print-site-page").cloneNode(true);
  root.querySelectorAll(".katex-html").forEach(el => el.remove());  // MathML is what is kept
  const mermaid = window.mermaid;
  const svgs = [];
  const diagrams = [...root.querySelectorAll("pre.diagram")];
  if (diagrams.length) {
    // light theme whatever the page used; <text> labels instead of HTML in <foreignObject>
    mermaid.initialize({ startOnLoad: false, theme: "default", securityLevel: "strict",
                         htmlLabels: false, flowchart: { htmlLabels: false } });
  }
  for (const [i, el] of diagrams.entries()) {
    const { svg } = await mermaid.render("epub-diagram-" + i, el.dataset.source);
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    const node = doc.documentElement;
    const box = node.viewBox.baseVal;
    node.setAttribute("width", Math.ceil(box.width));  // an image file needs its own size
    node.setAttribute("height", Math.ceil(box.height));
    node.removeAttribute("style");
    node.setAttribute("role", "img");
    // epubcheck validates against SVG 1.1: mermaid's empty label backgrounds (no size), its
    // SVG 2 transform-origin (no transform goes with it) and name on actors do not pass
    node.querySelectorAll("rect:not([width]), rect:not([height])").forEach(r => r.remove());
    for (const el of node.querySelectorAll("[transform-origin], [name]")) {
      el.removeAttribute("transform-origin");
      el.removeAttribute("name");
    }
    svgs.push(new XMLSerializer().serializeToString(node));
    const img = document.createElement("img");
    img.dataset.diagram = String(i);
    el.replaceWith(img);
  }
  return { html: root.outerHTML, svgs };
}"""


# The cover image readers show in their library: the print cover, drawn at 1200 by 1600 px.
COVER_CSS = """\
html { zoom: 2; } body { margin: 0; width: 600px; height: 800px; display: flex;
  flex-direction: column; justify-content: center; text-align: center; font-family: sans-serif;
  background: #3f51b5; color: #fff; }
.hb-cover__title { font-size: 52px; margin: 24px 40px 8px; }
.hb-cover__kicker, .hb-cover__date, .hb-cover__url, .edition { font-size: 20px; margin: 6px 0; }
.hb-cover__description { font-size: 17px; margin: 0 32px 48px; opacity: .9; }
.edition { font-weight: bold; margin-bottom: 24px; }
"""


@dataclass
class Captured:
    lang: str
    html: str  # the print page's #print-site-page, as rendered
    svgs: list[str]  # one per diagram, in document order
    cover_png: bytes


def _cover_png(page, lang: str) -> bytes:
    cover = page.evaluate("() => document.querySelector('#print-site-cover-page').innerHTML")
    edition = html.escape(TEXT.get(lang, TEXT["en"])["edition"])
    sheet = page.context.new_page()
    try:
        sheet.set_viewport_size({"width": 1200, "height": 1600})
        cover = cover.replace("</h1>", f'</h1><p class="edition">{edition}</p>', 1)
        sheet.set_content(f'<html lang="{lang}"><style>{COVER_CSS}</style><body>{cover}</body>')
        return sheet.screenshot(type="png")
    finally:
        sheet.close()


SVG_ID = re.compile(r'(\sid=")([^"]+)(")')
SVG_REF = re.compile(r'(url\(#|href="#)([^)"]+)')  # url(#…), href="#…" and xlink:href="#…"
CSS_ID = re.compile(r"(?<![-\w])#([-\w]+)")
CSS_SELECTORS = re.compile(r"[^{}]+(?=\{)")  # what precedes a "{": not declarations


def stable_ids(svg: str, number: int) -> str:
    """Rename every id in diagram `number`'s SVG to d<number>-1, d<number>-2, … in order of
    appearance, and every reference to them: url(#…), href="#…", xlink:href="#…" and #id
    selectors in the SVG's own <style>. Mermaid numbers some ids (a sequence diagram's actors)
    with counters that run across every diagram rendered on the page, so the same diagram came
    out different from build to build. An id that a `[id$="-suffix"]` rule of the style
    matches (mermaid's arrowheads) keeps its suffix, so the rule still applies."""
    suffixes = re.findall(r'\[id\$="([^"]+)"\]', svg)
    names: dict[str, str] = {}
    for old in dict.fromkeys(m.group(2) for m in SVG_ID.finditer(svg)):
        suffix = next((s for s in suffixes if old.endswith(s)), "")
        names[old] = f"d{number}-{len(names) + 1}{suffix}"

    def selectors(m: re.Match) -> str:
        return CSS_ID.sub(lambda i: "#" + names.get(i.group(1), i.group(1)), m.group())

    svg = SVG_ID.sub(lambda m: m.group(1) + names[m.group(2)] + m.group(3), svg)
    svg = SVG_REF.sub(lambda m: m.group(1) + names.get(m.group(2), m.group(2)), svg)
    return re.sub(r"(<style[^>]*>)(.*?)(</style>)", lambda m: m.group(1) + CSS_SELECTORS.sub(
        selectors, m.group(2)) + m.group(3), svg, flags=re.DOTALL)


def capture(page) -> Captured:
    """What write() needs from a rendered print page (a Playwright Page)."""
    lang = page.evaluate("() => document.documentElement.lang")
    got = page.evaluate(_CAPTURE)
    svgs = [stable_ids(svg, number) for number, svg in enumerate(got["svgs"], 1)]
    return Captured(lang, got["html"], svgs, _cover_png(page, lang))


@dataclass
class Written:
    path: Path
    chapters: int
    diagrams: int
    formulas: int
    notes: list[str] = field(default_factory=list)


@dataclass
class _Chapter:
    title: str
    file: str
    soup: Tag
    entries: list[tuple[str, str]]  # (title, id) of the pages inside


def _text(tag: Tag) -> str:
    for link in tag.select("a.headerlink"):
        link.decompose()
    return " ".join(tag.get_text(" ").split())


CJK = re.compile(r"[\u3400-\u9fff]")
# MathML elements with a fixed number of arguments
ARITY = {"msub": 2, "msup": 2, "mfrac": 2, "mroot": 2, "munder": 2, "mover": 2,
         "msubsup": 3, "munderover": 3}
# MathML elements whose content is text
TOKENS = {"mi", "mn", "mo", "mtext", "ms"}


def _valid_mathml(math: Tag, soup: BeautifulSoup) -> None:
    """Repair what KaTeX writes that MathML 3 does not allow: text directly inside a layout
    element (thin spaces after \\mathrm{...}\\!), an operator name in a script that adds an
    argument (\\eta_{\\max} gives <msub> three children), and elements inside a token
    (\\mathop{\\mathbb{E}} gives <mo><mi>E</mi></mo>)."""
    for el in [math, *math.find_all(True)]:
        if el.name in TOKENS:
            if el.find(True) is None:
                continue
            el.name, el.attrs = "mrow", {}
        for child in list(el.children):
            if isinstance(child, NavigableString) and child.strip(" \t\r\n"):  # XML spaces
                wrapper = soup.new_tag("mtext")
                child.replace_with(wrapper)
                wrapper.append(NavigableString(str(child)))
        arity = ARITY.get(el.name)
        args = el.find_all(True, recursive=False)
        if arity and len(args) > arity:
            group = soup.new_tag("mrow")
            args[arity - 1].insert_before(group)
            for arg in args[arity - 1:]:
                group.append(arg.extract())


def _mathml(container: Tag, soup: BeautifulSoup) -> Tag | None:
    """KaTeX's MathML for one formula, without the TeX annotation."""
    math = container.select_one(".katex-mathml math")
    if math is None:
        return None
    for annotation in math.find_all(["annotation", "annotation-xml"]):
        annotation.decompose()
    semantics = math.find("semantics", recursive=False)
    if semantics is not None:
        semantics.unwrap()
    _valid_mathml(math, soup)
    math.attrs = {"xmlns": MATHML_NS, **{k: v for k, v in math.attrs.items() if k != "xmlns"}}
    if container.name == "div":
        math["display"] = "block"
        wrapper = soup.new_tag("div", attrs={"class": "formula"})
        wrapper.append(math.extract())
        return wrapper
    return math.extract()


def _clean(section: Tag, soup: BeautifulSoup, lang: str, svgs: list[str],
           images: dict[int, str], notes: list[str]) -> int:
    """Make one chapter's HTML fit for XHTML in an EPUB, in place; returns its formula count."""
    for tag in section.select("a.headerlink, script, style, noscript, template, .hbw"):
        tag.decompose()
    formulas = 0
    for el in section.select(".arithmatex"):
        math = _mathml(el, soup)
        if math is None:
            notes.append(f"formula not typeset: {el.get_text()[:50]}")
            continue
        el.replace_with(math)
        formulas += 1
    for img in section.select("img[data-diagram]"):
        index = int(img["data-diagram"])
        images[index] = f"images/diagram-{index + 1:02d}.svg"
        labels = " · ".join(BeautifulSoup(svgs[index], "html.parser").stripped_strings)
        figure = soup.new_tag("figure", attrs={"class": "diagram"})
        figure.append(soup.new_tag("img", attrs={
            "src": images[index], "alt": TEXT[lang]["diagram"] + labels}))
        img.replace_with(figure)
    for details in section.find_all("details"):
        details.name = "div"
        details["class"] = ["answer", *details.get("class", [])]
        summary = details.find("summary")
        if summary is not None:
            summary.name = "p"
            summary["class"] = ["summary"]
    for pre in section.find_all("pre"):  # plain text: no highlighting spans or line anchors
        if pre.get("id", "").startswith("__code_"):
            del pre["id"]  # the copy button's target id, which repeats on the combined page
        text = pre.get_text()
        pre.clear()
        pre.append(NavigableString(text))
        if pre.parent and pre.parent.name == "div" and "highlight" in pre.parent.get("class", []):
            pre.parent.unwrap()
    for tag in section.find_all(True):
        if tag.name == "math" or tag.find_parent("math"):
            continue
        tag.attrs = {k: v for k, v in tag.attrs.items() if k in KEEP_ATTRS}
    if lang != "zh":  # pages not translated yet are the Chinese ones: say so for the reader
        for page in section.find_all("section"):
            words = "".join(s for s in page.find_all(string=True) if not s.find_parent("math"))
            if len(CJK.findall(words)) > len(re.findall(r"[A-Za-z]+", words)):
                page["lang"] = "zh"
    # the chapter title stays h1; each page inside moves one level down
    for heading in section.find_all(re.compile(r"^h[1-5]$")):
        if heading.find_parent("section") is not section:
            heading.name = f"h{int(heading.name[1]) + 1}"
    return formulas


def _chapters(root: Tag) -> list[_Chapter]:
    """The top-level sections of the print page, cover and contents left out."""
    chapters = []
    for section in root.find_all("section", recursive=False):
        if section.get("id") == "print-site-cover-page" or section.select_one("#print-page-toc"):
            continue
        heading = section.find("h1")
        if heading is None:
            continue
        heading["class"] = ["chapter"]
        name = _text(heading)
        entries = []
        for page in section.find_all("section", recursive=False):
            title = page.find(re.compile(r"^h[1-6]$"))
            if title is None or not page.get("id"):
                continue
            if _text(title) == name:  # the chapter's introduction opens the file, untitled
                title.decompose()
            else:
                entries.append((_text(title), page["id"]))
        chapters.append(_Chapter(name, f"chapter-{len(chapters) + 1:02d}.xhtml", section, entries))
    return chapters


def _cover(root: Tag) -> dict[str, str]:
    cover = root.select_one("#print-site-cover-page")

    def text(selector: str) -> str:
        el = cover.select_one(selector) if cover else None
        return " ".join(el.get_text().split()) if el else ""

    time = cover.select_one("time[datetime]") if cover else None
    return {"title": text(".hb-cover__title"), "kicker": text(".hb-cover__kicker"),
            "description": text(".hb-cover__description"), "date_line": text(".hb-cover__date"),
            "date": time["datetime"] if time else "", "url": text(".hb-cover__url")}


def _relink(chapters: list[_Chapter]) -> list[str]:
    """Point #anchors at the chapter file that holds them; returns the links left dangling."""
    where = {}
    for chapter in chapters:
        for tag in chapter.soup.find_all(id=True):
            where[tag["id"]] = chapter.file
    dangling = []
    for chapter in chapters:
        for link in chapter.soup.find_all("a", href=True):
            href = link["href"]
            if href.startswith("#"):
                target = where.get(href[1:])
                if target is None:
                    dangling.append(href)
                    link.unwrap()
                else:
                    link["href"] = (target if target != chapter.file else "") + href
    return dangling


def _normalize_zip(data: bytes, out: Path, date: str) -> None:
    """Rewrite ebooklib's zip with every entry dated `date` (ebooklib stamps the current time):
    the same source gives the same bytes. mimetype stays first and uncompressed."""
    stamp = (*dt.date.fromisoformat(date).timetuple()[:3], 0, 0, 0)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.external_attr = 0o644 << 16
            entry.compress_type = (zipfile.ZIP_STORED if info.filename == "mimetype"
                                   else zipfile.ZIP_DEFLATED)
            dst.writestr(entry, src.read(info.filename), compresslevel=9)


def write(captured: Captured, out: Path) -> Written:
    """Write the EPUB of one language from what capture() took."""
    lang, text = captured.lang, TEXT.get(captured.lang, TEXT["en"])
    soup = BeautifulSoup(captured.html, "html.parser")
    root = soup.find(id="print-site-page")
    cover = _cover(root)
    notes: list[str] = []
    chapters = _chapters(root)
    images: dict[int, str] = {}
    formulas = sum(_clean(c.soup, soup, lang, captured.svgs, images, notes) for c in chapters)
    dangling = _relink(chapters)
    if dangling:
        notes.append(f"{len(dangling)} links to anchors not in the book: {dangling[:3]}")

    book = epub.EpubBook()
    # stable identifier: the same edition keeps its identity from build to build
    book.set_identifier(f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'llm-handbook-' + lang)}")
    book.set_title(cover["title"])
    book.set_language(lang)
    if cover["description"]:
        book.add_metadata("DC", "description", cover["description"])
    if cover["url"]:
        book.add_metadata("DC", "source", cover["url"])
    book.add_metadata("DC", "date", cover["date"])
    book.set_cover("images/cover.png", captured.cover_png, create_page=False)
    style = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                          content=CSS.encode())
    book.add_item(style)

    def page(title: str, file: str, body: str, uid: str) -> epub.EpubHtml:
        item = epub.EpubHtml(title=title, file_name=file, lang=lang, uid=uid)
        item.content = body
        item.add_item(style)
        if "<math" in body:
            item.properties.append("mathml")
        book.add_item(item)
        return item

    esc = {k: html.escape(v) for k, v in cover.items()}
    link = f'<p class="url"><a href="{esc["url"]}">{esc["url"]}</a></p>' if cover["url"] else ""
    cover_page = page(text["cover"], "cover.xhtml", (
        f'<div class="cover"><p class="kicker">{esc["kicker"]}</p>'
        f'<h1 class="title">{esc["title"]}</h1><p class="edition">{text["edition"]}</p>'
        f'<p class="date">{esc["date_line"]}</p>{link}</div>'), "cover")
    items = []
    for number, chapter in enumerate(chapters, 1):
        chapter.soup.name = "section"
        chapter.soup.attrs = {"id": chapter.soup.get("id", f"chapter-{number}")}
        items.append(page(chapter.title, chapter.file, str(chapter.soup), f"chapter-{number:02d}"))
    for index, name in sorted(images.items()):
        book.add_item(epub.EpubItem(uid=f"diagram-{index + 1:02d}", file_name=name,
                                    media_type="image/svg+xml",
                                    content=captured.svgs[index].encode()))

    book.toc = [
        (epub.Section(c.title, c.file), [epub.Link(f"{c.file}#{pid}", title, f"{c.file}-{pid}")
                                         for title, pid in c.entries])
        if c.entries else epub.Link(c.file, c.title, c.file)
        for c in chapters
    ]
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title=text["contents"])
    book.add_item(nav)
    book.spine = [cover_page, nav, *items]

    data = io.BytesIO()
    modified = dt.datetime.fromisoformat(cover["date"])  # dcterms:modified, else "now"
    epub.write_epub(data, book, {"mtime": modified, "raise_exceptions": True})
    _normalize_zip(data.getvalue(), out, cover["date"])
    return Written(out, len(chapters), len(images), formulas, notes)
