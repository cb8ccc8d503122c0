"""The flashcard page and its exports, used as a candidate would: in Chromium and in Anki."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from handbook.exports import note_guid
from handbook.model import Question
from tests.conftest import FIXTURES, make_project, mkdocs_build, serve

STORE_KEY = "llm-handbook:srs"


def stats(page) -> dict[str, int]:
    text = page.locator(".fc-stats").inner_text()
    return {k: int(n) for k, n in re.findall(r"(\w+|[\u4e00-\u9fff]+) (\d+)", text)}


def open_cards(v, base_url: str, query: str = ""):
    v.page.goto(base_url + "flashcards/" + query)
    v.page.wait_for_selector(".fc--js .fc-stage .fc-q")
    return v.page


# ---- the real site -------------------------------------------------------------------------


def test_filter_narrows_the_list_and_is_kept_in_the_url(base_url, visit):
    page = open_cards(visit(), base_url)
    total = page.locator(".fc-list > .fc-card:visible").count()
    assert total >= 22
    page.locator(".fc-search input").fill("RoPE")
    shown = page.locator(".fc-list > .fc-card:visible")
    assert 0 < shown.count() < total
    texts = page.eval_on_selector_all(".fc-list > .fc-card:not([hidden])", """cs => cs.map(c =>
        (c.textContent + c.querySelector('template').content.textContent).toLowerCase())""")
    assert texts and all("rope" in t for t in texts)  # question or answer mentions it
    assert "search=RoPE" in page.url
    page.locator("select[name=chapter]").select_option("training")
    assert "chapter=training" in page.url
    assert all(c == "training" for c in page.eval_on_selector_all(
        ".fc-list > .fc-card:not([hidden])", "cs => cs.map(c => c.dataset.chapter)"))
    # the shared URL restores the same filtered deck
    again = open_cards(visit(), base_url, "?search=%E5%BD%92%E4%B8%80%E5%8C%96&difficulty=2")
    assert again.locator(".fc-search input").input_value() == "归一化"
    assert again.locator("select[name=difficulty]").input_value() == "2"
    assert 0 < again.locator(".fc-list > .fc-card:visible").count() < total


def test_flip_move_and_rate_with_the_keyboard_and_keep_it_after_reload(base_url, visit):
    v = visit()
    page = open_cards(v, base_url)
    back = page.locator(".fc-stage .fc-back")
    assert back.is_hidden()
    first = page.locator(".fc-stage .fc-q").inner_text()
    page.keyboard.press("Space")
    assert back.is_visible()
    assert page.locator(".fc-ratings").is_visible()
    page.keyboard.press("ArrowRight")
    assert page.locator(".fc-stage .fc-q").inner_text() != first
    page.keyboard.press("ArrowLeft")
    assert page.locator(".fc-stage .fc-q").inner_text() == first
    before = stats(page)
    page.keyboard.press("Space")
    page.keyboard.press("3")  # Good: a new card starts learning (due again within minutes)
    after = stats(page)
    assert after["新卡"] == before["新卡"] - 1
    assert after["学习中"] == before["学习中"] + 1
    assert page.locator(".fc-stage .fc-q").inner_text() != first  # rating moves on
    page.keyboard.press("Space")
    page.keyboard.press("4")  # Easy: straight to review, due in days
    stored = json.loads(page.evaluate(f"localStorage.getItem('{STORE_KEY}')"))
    assert stored["version"] == 1 and len(stored["cards"]) == 2
    rated = stats(page)
    page.reload()
    page.wait_for_selector(".fc--js .fc-stage .fc-q")
    assert stats(page) == rated
    # today's queue holds new and due cards (the learning one is due today); not the easy one
    page.locator("select[name=mode]").select_option("due")
    assert page.locator(".fc-list > .fc-card:visible").count() == sum(before.values()) - 1
    assert v.errors == []


@pytest.mark.parametrize("stored", ["{not json", '{"version": 0, "cards": {}}',
                                    '{"version": 1, "cards": {"x": {"due": "garbage"}}}'])
def test_corrupt_progress_is_reset_with_a_notice(base_url, visit, stored):
    v = visit()
    v.page.goto(base_url + "flashcards/")
    v.page.evaluate(f"localStorage.setItem('{STORE_KEY}', {json.dumps(stored)})")
    page = open_cards(v, base_url)
    notice = page.locator(".fc-notice")
    assert notice.is_visible() and "重置" in notice.inner_text()
    page.keyboard.press("Space")
    assert page.locator(".fc-stage .fc-back").is_visible()
    assert json.loads(page.evaluate(f"localStorage.getItem('{STORE_KEY}')"))["version"] == 1
    assert v.errors == []


def test_card_backs_carry_typeset_formulas(site):
    """The full answers wait in <template>s, already typeset: no TeX for flashcards.js to do."""
    page = BeautifulSoup((site / "flashcards/index.html").read_text(), "lxml")
    backs = [t.decode_contents() for t in page.select(".fc-list template")]
    with_math = [b for b in backs if 'class="arithmatex"' in b]
    assert len(with_math) >= 5
    assert all('class="katex"' in b and "<math" in b for b in with_math)
    assert not [b for b in with_math if re.search(r'class="arithmatex">\\[(\[]', b)]


def test_card_back_shows_formulas(base_url, visit):
    page = open_cards(visit(), base_url, "?search=softmax")
    for _ in range(page.locator(".fc-list > .fc-card:visible").count()):
        page.keyboard.press("Space")
        page.locator(".fc-stage details.fc-full summary").click()
        if page.locator(".fc-stage .arithmatex").count():
            break
        page.keyboard.press("ArrowRight")
    assert page.locator(".fc-stage .katex").first.is_visible()
    assert page.locator(".fc-stage .katex-error").count() == 0
    assert "\\frac" not in page.locator(".fc-stage").inner_text()


def test_json_export_carries_mathml_and_anki_exports_keep_tex_for_ankis_mathjax(site, tmp_path):
    data = json.loads((site / "downloads/llm-handbook-zh.json").read_text())
    html = " ".join(r["short_html"] + r["full_html"] for r in data["questions"])
    formulas = re.findall(r'<(?:span|div) class="arithmatex">(.{0,120})', html)
    assert len(formulas) >= 20
    assert all(f.startswith(('<span class="katex"><math', '<span class="katex-display">'))
               for f in formulas), formulas[:3]
    assert "katex-html" not in html  # MathML only: shown by browsers without a stylesheet
    text = (site / "downloads/llm-handbook-zh.txt").read_text()
    assert text.count('class="arithmatex">\\(') >= 20 and "katex" not in text
    zipfile.ZipFile(site / "downloads/llm-handbook-zh.apkg").extract("collection.anki2", tmp_path)
    notes = sqlite3.connect(tmp_path / "collection.anki2").execute("select flds from notes")
    fields = " ".join(row[0] for row in notes)
    assert fields.count("\\(") >= 20 and fields.count("\\[") >= 5 and "katex" not in fields


def test_without_javascript_every_card_is_readable(base_url, visit, site):
    v = visit(javascript=False)
    v.page.goto(base_url + "flashcards/")
    cards = v.page.locator(".fc-list > .fc-card")
    assert cards.count() >= 22
    assert cards.first.locator(".fc-short").is_visible()
    assert v.page.locator(".fc-app").is_hidden()


# ---- a small fixture site with hostile content ----------------------------------------------


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fixture")
    english = (FIXTURES / "good.md").read_text()
    english = english.replace("参考答案", "Answer").replace("**一句话：**", "**In short:**")
    english = english.replace("**参考文献：**", "**References:**").replace("追问", "Follow-up questions")
    config = make_project(folder / "project", {
        "training/good.md": (FIXTURES / "good.md").read_text(),
        "training/good.en.md": english,
    })
    result = mkdocs_build(folder / "site", config)
    assert result.returncode == 0, result.stderr[-3000:]
    server, url = serve(folder / "site")
    yield folder / "site", url
    server.shutdown()


def test_script_in_a_question_is_shown_as_text(fixture_site, visit):
    site, url = fixture_site
    v = visit()
    dialogs = []
    v.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    v.page.goto(url + "flashcards/?search=script")
    v.page.wait_for_selector(".fc--js .fc-stage .fc-q")
    assert "<script>alert(1)</script>" in v.page.locator(".fc-stage .fc-q").inner_text()
    v.page.keyboard.press("Space")
    assert "</script>" in v.page.locator(".fc-stage .fc-short").inner_text()
    assert dialogs == []
    data = json.loads((site / "downloads/llm-handbook-zh.json").read_text())
    record = next(r for r in data["questions"] if r["id"] == "escape-check")
    assert "<script>alert(1)</script>" in record["question"]
    assert "<script>" not in record["question_html"]


def test_english_deck_holds_only_english_cards(fixture_site):
    site, _ = fixture_site
    zh = json.loads((site / "downloads/llm-handbook-zh.json").read_text())
    en = json.loads((site / "downloads/llm-handbook-en.json").read_text())
    assert {r["lang"] for r in zh["questions"]} == {"zh"}
    assert {r["lang"] for r in en["questions"]} == {"en"}
    assert [r["id"] for r in zh["questions"]] == [r["id"] for r in en["questions"]]
    assert "/en/training/good/" in en["questions"][0]["url"]


def test_guid_depends_only_on_id_and_language():
    def q(qid, lang="zh", text="甲"):
        return Question(qid, lang, "training", "docs/x.md", 1, text, 1)
    assert note_guid(q("a")) == note_guid(q("a", text="completely different"))
    assert note_guid(q("a")) != note_guid(q("b"))
    assert note_guid(q("a")) != note_guid(q("a", lang="en"))


def test_anki_imports_the_deck_and_reimport_updates_instead_of_duplicating(fixture_site, tmp_path):
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    site, _ = fixture_site
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(site / "downloads/llm-handbook-zh.apkg"),
            options=ImportAnkiPackageOptions(with_scheduling=False, merge_notetypes=True),
        )
        col.import_anki_package(request)
        assert col.note_count() == 2
        fields = {col.get_note(n)["Id"]: col.get_note(n) for n in col.find_notes("")}
        assert set(fields) == {"ln-why", "escape-check"}
        note = fields["escape-check"]
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in note["Question"]
        assert "不会" in note["Answer"]
        assert {"training", "difficulty::1"} <= set(note.tags)
        assert "归一化" in fields["ln-why"].tags
        col.import_anki_package(request)
        assert col.note_count() == 2
    finally:
        col.close()


def test_text_export_follows_ankis_import_format(fixture_site):
    site, _ = fixture_site
    lines = (site / "downloads/llm-handbook-zh.txt").read_text().splitlines()
    assert lines[:2] == ["#separator:tab", "#html:true"]
    assert "#guid column:1" in lines and "#tags column:4" in lines
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    assert len(rows) == 2 and all(len(r) == 4 for r in rows)
    assert "&lt;script&gt;" in rows[1][1]


def test_exports_keep_absolute_links(fixture_site):
    site, _ = fixture_site
    data = json.loads((site / "downloads/llm-handbook-zh.json").read_text())
    assert all(r["url"].startswith("http") for r in data["questions"])
    assert "@@" not in Path(site / "downloads/llm-handbook-zh.txt").read_text()
