"""Real MkDocs builds: the site builds strictly, and broken content makes the build fail."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from handbook.parse import load_bank
from tests.conftest import ROOT, configured_chapters, make_project, mkdocs_build

CHAPTERS = configured_chapters()

GOOD = """# 页面

## 一个问题？ { #a-question data-difficulty="1" }

??? success "参考答案"

    **一句话：** 回答。

**参考文献：**

- 来源
"""


def test_both_languages_are_built(site: Path):
    for page in ("index.html", "flashcards/index.html", "en/index.html", "en/flashcards/index.html"):
        assert (site / page).exists(), page
    assert BeautifulSoup((site / "en/index.html").read_text(), "lxml").html["lang"] == "en"
    assert BeautifulSoup((site / "index.html").read_text(), "lxml").html["lang"] == "zh"


def test_broken_link_and_broken_anchor_fail_the_strict_build(tmp_path: Path):
    pages = {
        "training/good.md": GOOD,
        "training/links.md": "---\nquestions: false\n---\n# 链接\n\n[坏链接](missing.md)\n",
        "training/anchors.md": "---\nquestions: false\n---\n# 锚点\n\n[坏锚点](good.md#no-such-anchor)\n",
    }
    result = mkdocs_build(tmp_path / "out", make_project(tmp_path / "p", pages))
    assert result.returncode != 0
    assert "contains a link 'missing.md'" in result.stderr
    assert "does not contain an anchor '#no-such-anchor'" in result.stderr
    ok = mkdocs_build(tmp_path / "out2", make_project(tmp_path / "q", {"training/good.md": GOOD}))
    assert ok.returncode == 0, ok.stderr[-3000:]


def test_malformed_question_fails_the_build_with_file_and_line(tmp_path: Path):
    bad = GOOD + '\n## 没有答案的问题？ { #no-answer data-difficulty="2" }\n\n只有正文。\n'
    result = mkdocs_build(tmp_path / "out", make_project(tmp_path / "p", {"training/bad.md": bad}))
    assert result.returncode != 0
    assert "docs/training/bad.md:13: question 'no-answer' has no answer block" in result.stderr


def test_formula_katex_cannot_typeset_fails_the_build_with_file_and_line(tmp_path: Path):
    bad = "---\nquestions: false\n---\n# 公式\n\n正文。\n\n$$\nx = \\frac{a\n$$\n"
    result = mkdocs_build(tmp_path / "out", make_project(tmp_path / "p", {"training/math.md": bad}))
    assert result.returncode != 0
    assert "docs/training/math.md:9: KaTeX cannot typeset `x = \\frac{a`: KaTeX parse error" \
        in result.stderr


def test_one_card_and_one_export_record_per_question_and_language(site: Path):
    bank = load_bank(str(ROOT / "docs"), CHAPTERS, str(ROOT))
    for lang, prefix in (("zh", ""), ("en", "en/")):
        ids = [q.id for q in bank if q.lang == lang]
        page = BeautifulSoup((site / prefix / "flashcards/index.html").read_text(), "lxml")
        cards = [li["data-id"] for li in page.select(".fc-card")]
        assert sorted(cards) == sorted(ids)
        chapter = {q.id: q.chapter for q in bank if q.lang == lang}
        positions = [CHAPTERS.index(chapter[i]) for i in cards]
        assert positions == sorted(positions)  # chapter by chapter (pages: test_flashcards)
        data = json.loads((site / f"downloads/llm-handbook-{lang}.json").read_text())
        assert [r["id"] for r in data["questions"]] == cards
        text = (site / f"downloads/llm-handbook-{lang}.txt").read_text()
        assert all(f"#{i}\"" in text for i in ids)  # each card links to its question
        assert (site / f"downloads/llm-handbook-{lang}.apkg").stat().st_size > 0
    assert len([q for q in bank if q.lang == "zh"]) >= 22


def test_no_formula_is_left_as_raw_tex(site: Path):
    """A $$ block that Markdown did not hand to arithmatex (e.g. mis-indented) shows as source."""
    raw = []
    for path in site.rglob("*.html"):
        article = BeautifulSoup(path.read_text(), "lxml").select_one("article")
        if article and "$$" in article.get_text():
            raw.append(path.relative_to(site).as_posix())
    assert raw == []


def test_the_404_page_at_the_root_is_chinese(site: Path):
    """A static host serves /404.html for every missing URL: it must be the default language."""
    assert BeautifulSoup((site / "404.html").read_text(), "lxml").html["lang"] == "zh"
    assert BeautifulSoup((site / "en/404.html").read_text(), "lxml").html["lang"] == "en"


def test_exports_point_to_diagrams_instead_of_mermaid_source(site: Path):
    text = (site / "downloads/llm-handbook-zh.txt").read_text()
    assert "flowchart" not in text and "class=\"diagram\"" not in text
    assert "示意图见原页面" in text
