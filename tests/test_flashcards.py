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
from tests.conftest import FIXTURES, make_project, mkdocs_build, nav_pages, serve

STORE_KEY = "llm-handbook:srs"


def stats(page) -> dict[str, int]:
    text = page.locator(".fc-stats").inner_text()
    return {k: int(n) for k, n in re.findall(r"(\w+|[\u4e00-\u9fff]+) (\d+)", text)}


def open_cards(v, base_url: str, query: str = ""):
    v.page.goto(base_url + "flashcards/" + query)
    v.page.wait_for_selector(".fc--js .fc-stage .fc-q")
    return v.page


def question(page) -> str:
    return page.locator(".fc-stage .fc-q").inner_text()


def deck_size(page) -> int:
    return page.locator(".fc-list > .fc-card").count()


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    """factory: a page in a phone-sized context with touch (tap and swipe), and its errors."""
    contexts = []

    def make(color_scheme: str = "light"):
        context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True,
                                      color_scheme=color_scheme)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page, errors

    yield make
    for context in contexts:
        context.close()


def swipe(page, dx: float) -> None:
    """A one-finger horizontal swipe across the card, as touch events from the browser."""
    box = page.locator(".fc-stage").bounding_box()
    x, y = box["x"] + box["width"] / 2 - dx / 2, box["y"] + 60
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for k in range(1, 6):
        point = {"x": x + dx * k / 5, "y": y + k}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


# FSRS cards in every state, written to the store from the page's own ts-fsrs.
SEED = """([key, ids]) => {
  const s = FSRS.fsrs(FSRS.generatorParameters({enable_fuzz: false}));
  const day = 864e5, now = Date.now(), at = d => new Date(now + d * day);
  const easy = (card, d) => s.next(card, at(d), FSRS.Rating.Easy).card;
  const overdue = easy(FSRS.createEmptyCard(at(-30)), -30);          // review, due 3 weeks ago
  const young = easy(FSRS.createEmptyCard(at(0)), 0);                 // review in 8 days
  const mature = easy(easy(FSRS.createEmptyCard(at(-60)), -60), -52); // review, 66-day interval
  const relearning = s.next(overdue, at(0), FSRS.Rating.Again).card;
  const learning = s.next(FSRS.createEmptyCard(at(0)), at(0), FSRS.Rating.Good).card;
  const kinds = [overdue, young, mature, relearning, learning];
  const store = JSON.parse(localStorage.getItem(key) || '{"version": 1, "cards": {}}');
  ids.forEach((id, i) => { store.cards[id] = kinds[i % kinds.length]; });
  localStorage.setItem(key, JSON.stringify(store));
}"""


# ---- the real site -------------------------------------------------------------------------


def test_filter_narrows_the_list_and_is_kept_in_the_url(base_url, visit):
    page = open_cards(visit(), base_url)
    total = page.locator(".fc-list > .fc-card:visible").count()
    assert total >= 22
    page.locator(".fc-search input").fill("RoPE")
    shown = page.locator(".fc-list > .fc-card:visible")
    assert 0 < shown.count() < total
    full = page.evaluate("fetch('answers.json').then(r => r.json())")["text"]
    texts = page.eval_on_selector_all(".fc-list > .fc-card:not([hidden])", """(cs, full) =>
        cs.map(c => (c.textContent + full[c.dataset.id]).toLowerCase())""", full)
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
    position = page.locator(".fc-position").first.inner_text()  # 第 1 / n 张: the queue's size
    assert int(re.findall(r"\d+", position)[-1]) == sum(before.values()) - 1
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


def test_grades_show_only_after_the_flip_and_nothing_moves(base_url, visit):
    page = open_cards(visit(), base_url)
    first = question(page)
    stage = page.locator(".fc-stage").bounding_box()
    assert page.locator(".fc-ratings").is_hidden()
    assert page.locator(".fc-rate").first.is_hidden()
    bar = page.locator(".fc-bar").bounding_box()
    page.locator(".fc-rate").nth(2).dispatch_event("click")  # an unseen grade does nothing
    assert question(page) == first
    assert page.evaluate(f"localStorage.getItem('{STORE_KEY}')") is None
    page.keyboard.press("Space")
    assert page.locator(".fc-ratings").is_visible()
    assert page.locator(".fc-stage").bounding_box()["y"] == stage["y"]
    assert page.locator(".fc-ratings").bounding_box()["height"] <= bar["height"]


def test_counters_partition_the_deck(base_url, visit):
    v = visit()
    page = open_cards(v, base_url)
    n = deck_size(page)
    for _ in range(7):  # Easy: each card goes to review, due in days
        page.keyboard.press("Space")
        page.keyboard.press("4")
    assert sum(stats(page).values()) == n, stats(page)
    for grade in "123":
        page.keyboard.press("Space")
        page.keyboard.press(grade)
    assert sum(stats(page).values()) == n, stats(page)
    ids = page.eval_on_selector_all(".fc-list > .fc-card", "cs => cs.map(c => c.dataset.id)")
    page.evaluate(SEED, [STORE_KEY, ids[20:30]])
    page.reload()
    page.wait_for_selector(".fc--js .fc-stage")
    counts = stats(page)
    assert sum(counts.values()) == n and len(counts) == 5, counts
    assert all(counts.values()), counts  # new, learning, due, young and mature cards all counted
    assert v.errors == []


def test_phone_keeps_card_and_grades_on_one_screen(base_url, phone):
    page, errors = phone()
    page.goto(base_url + "flashcards/")
    page.wait_for_selector(".fc--js .fc-stage .fc-q")
    stage = page.locator(".fc-stage").bounding_box()
    assert stage["y"] < 220, stage  # the card comes first, under the title
    show = page.locator(".fc-show").bounding_box()
    assert show["y"] + show["height"] <= PHONE["height"]
    first = question(page)
    page.locator(".fc-stage .fc-q").tap()  # a tap flips
    assert page.locator(".fc-stage .fc-back").is_visible()
    for box in [page.locator(".fc-rate").nth(i).bounding_box() for i in range(4)]:
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    page.mouse.wheel(0, 300)  # reading down a long answer: the grades stay on screen
    page.wait_for_timeout(200)
    box = page.locator(".fc-rate").nth(2).bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    page.locator(".fc-rate").nth(2).tap()
    assert question(page) != first
    top = page.locator(".fc-stage").bounding_box()["y"]
    assert 0 <= top < PHONE["height"] / 2, top  # the next card is in view
    second = question(page)
    swipe(page, -200)  # swipe left: next card
    assert question(page) not in (first, second)
    swipe(page, 200)  # swipe right: back again
    assert question(page) == second
    assert page.locator(".fc-stage .fc-back").is_hidden()  # a swipe is not a tap
    hint = page.locator(".fc-hint").inner_text()
    assert "滑动" in hint and "空格" not in hint  # touch words on a touch screen
    page.goto(base_url + "en/flashcards/")  # long English chapter titles stay inside the page
    page.wait_for_selector(".fc--js .fc-stage .fc-q")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []


def test_keyboard_hint_and_a_few_tabs_to_the_card(base_url, visit):
    page = open_cards(visit(), base_url)
    assert page.locator(".fc-stage").get_attribute("tabindex") != "0"
    reached = None
    for presses in range(1, 4):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.fc-controls')"):
            reached = presses
            break
    assert reached is not None, page.evaluate("document.activeElement.outerHTML")
    assert page.evaluate("document.activeElement.closest('.fc-bar') !== null")
    hint = page.locator(".fc-hint").inner_text()
    assert "空格" in hint and "滑动" not in hint  # keys on a keyboard


def test_due_queue_by_default_resumes_and_says_when_it_is_empty(base_url, visit):
    v = visit()
    page = open_cards(v, base_url)
    assert page.locator("select[name=mode]").input_value() != "due"  # no progress yet
    page.keyboard.press("Space")
    page.keyboard.press("3")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    here = question(page)
    page.reload()
    page.wait_for_selector(".fc--js .fc-stage .fc-q")
    assert page.locator("select[name=mode]").input_value() == "due"
    assert question(page) == here  # a reload resumes where the reader was
    ids = page.eval_on_selector_all(".fc-list > .fc-card", "cs => cs.map(c => c.dataset.id)")
    page.evaluate("""([key, ids]) => {
      const s = FSRS.fsrs(FSRS.generatorParameters({enable_fuzz: false})), now = new Date();
      const cards = {};
      ids.forEach(id => { cards[id] = s.next(FSRS.createEmptyCard(now), now, FSRS.Rating.Easy).card; });
      localStorage.setItem(key, JSON.stringify({version: 1, cards}));
    }""", [STORE_KEY, ids])
    page.reload()
    page.wait_for_selector(".fc--js .fc-stage .fc-done")
    text = page.locator(".fc-stage").inner_text()
    assert "都复习完了" in text and "下一张卡片到期" in text and "没有符合条件" not in text
    page.locator(".fc-stage .fc-all").click()
    assert page.locator(".fc-stage .fc-q").is_visible()
    assert v.errors == []


def test_grades_show_the_interval_they_lead_to(base_url, visit):
    page = visit().page
    page.goto(base_url + "en/flashcards/")
    page.wait_for_selector(".fc--js .fc-stage .fc-q")
    page.keyboard.press("Space")
    labels = page.locator(".fc-rate").all_inner_texts()
    assert [label.split() for label in labels] == [
        ["Again", "1m"], ["Hard", "6m"], ["Good", "10m"], ["Easy", "8d"]]
    page.locator(".fc-rate").nth(3).click()  # Easy: the card comes back in 8 days
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Space")
    assert page.locator(".fc-rate .fc-rate-ivl").all_inner_texts()[3].endswith("d")


def test_search_ranks_the_matching_question_first_and_marks_matches(base_url, visit):
    page = open_cards(visit(), base_url)
    page.locator(".fc-search input").fill("KV cache")
    assert "KV cache" in question(page)  # the question about it, before answers that mention it
    marks = page.locator(".fc-stage .fc-q mark").all_inner_texts()
    assert {m.lower() for m in marks} == {"kv", "cache"}
    first = page.locator(".fc-list > .fc-card[aria-current=true]")
    assert first.evaluate("li => getComputedStyle(li).order") == "0"  # listed first as well
    assert first.locator("mark").count() >= 2
    page.locator(".fc-search input").fill("")
    assert page.locator(".fc-list mark").count() == 0


@pytest.mark.parametrize("prefix,locale", [("", "zh-CN"), ("en/", "en")])
def test_tags_are_sorted_for_the_language(base_url, visit, prefix, locale):
    page = visit().page
    page.goto(base_url + prefix + "flashcards/")
    page.wait_for_selector(".fc--js .fc-stage .fc-q")
    tags = page.eval_on_selector_all("select[name=tag] option", "os => os.slice(1).map(o => o.text)")
    assert len(tags) > 5
    assert tags == page.evaluate("([t, l]) => [...t].sort(new Intl.Collator(l).compare)",
                                 [tags, locale])


def answers(site: Path, prefix: str = "") -> dict[str, dict[str, str]]:
    """The flashcard page's answers.json: {"html": {id: full answer}, "text": {id: text}}."""
    return json.loads((site / prefix / "flashcards/answers.json").read_text())


def test_card_backs_carry_typeset_formulas(site):
    """The full answers wait in answers.json, already typeset: no TeX for flashcards.js to do."""
    backs = list(answers(site)["html"].values())
    with_math = [b for b in backs if 'class="arithmatex"' in b]
    assert len(with_math) >= 5
    assert all('class="katex"' in b and "<math" in b for b in with_math)
    assert not [b for b in with_math if re.search(r'class="arithmatex">\\[(\[]', b)]


def test_card_back_shows_formulas(base_url, visit):
    page = open_cards(visit(), base_url, "?search=softmax")
    for _ in range(page.locator(".fc-list > .fc-card:visible").count()):
        page.keyboard.press("Space")
        page.locator(".fc-stage details.fc-full > summary").click()
        page.wait_for_selector(".fc-stage .fc-answer > *")  # answers.json has arrived
        if page.locator(".fc-stage .arithmatex").count():
            break
        page.keyboard.press("ArrowRight")
    assert page.locator(".fc-stage .katex").first.is_visible()
    assert page.locator(".fc-stage .katex-error").count() == 0
    assert "\\frac" not in page.locator(".fc-stage").inner_text()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_full_answers_stay_out_of_the_page_and_load_on_demand(site, base_url, visit, prefix):
    """The page holds questions and short answers only; the full answers come from one file,
    fetched once: a flipped card shows them typeset, and the card search finds their words."""
    html = (site / prefix / "flashcards/index.html").read_text()
    page_cards = BeautifulSoup(html, "lxml").select(".fc-list > .fc-card")
    assert len(html.encode()) < 400_000 and "<template" not in html
    full = answers(site, prefix)
    assert set(full["html"]) == set(full["text"]) == {c["data-id"] for c in page_cards}
    # a word found only in one card's full answer, in its prose (not in any question or short
    # answer, nor in another full answer)
    shown = " ".join(c.get_text(" ") for c in page_cards).lower()
    words = set()
    for html in full["html"].values():
        soup = BeautifulSoup(html, "lxml")
        for node in soup.select(".arithmatex, .diagram"):  # not highlighted inside formulas
            node.decompose()
        words |= set(re.findall(r"[a-z]{9,}", soup.get_text(" ").lower()))
    word = sorted(w for w in words if w not in shown
                  and sum(w in text.lower() for text in full["text"].values()) == 1)[0]
    v = visit()
    errors: list[str] = []
    v.page.on("pageerror", lambda exc: errors.append(str(exc)))
    fetched: list[str] = []
    v.page.on("request", lambda r: fetched.append(r.url) if r.url.endswith("answers.json") else 0)
    page = open_cards(v, base_url + prefix)
    page.wait_for_load_state("networkidle")
    assert fetched == []  # not part of the page load
    page.locator(".fc-search input").fill(word)
    page.wait_for_function("document.querySelector('.fc-stage .fc-q') && "
                           "document.querySelector('.fc-position').textContent.match(/[1-9]/)")
    page.locator(".fc-stage .fc-q").click()  # flips (Space would go to the search box)
    page.locator(".fc-stage details.fc-full > summary").click()
    assert word in page.locator(".fc-stage .fc-answer").inner_text().lower()
    assert page.locator(".fc-stage .fc-answer mark").count() >= 1
    assert len(fetched) == 1 and errors == []


def test_without_the_answers_file_a_card_still_flips(base_url, visit):
    v = visit()
    errors: list[str] = []
    v.page.on("pageerror", lambda exc: errors.append(str(exc)))
    v.page.route("**/answers.json", lambda route: route.abort())
    page = open_cards(v, base_url)
    page.keyboard.press("Space")
    assert page.locator(".fc-stage .fc-short").is_visible()
    assert page.locator(".fc-stage .fc-source a").is_visible()
    page.wait_for_selector(".fc-stage .fc-full", state="detached")  # nothing to open
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    assert page.locator(".fc-stage .fc-short").is_visible()
    assert page.locator(".fc-stage .fc-full").count() == 0
    page.locator(".fc-search input").fill("RoPE")
    assert page.locator(".fc-list > .fc-card:visible").count() > 0
    assert errors == []


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


HOSTED = "https://example.org/handbook/"
LABEL = {"zh": "训练 & 调优：a < b", "en": "Training & tuning: a < b"}  # HTML-special chapter title


def fixture_project(folder: Path) -> Path:
    english = (FIXTURES / "good.md").read_text()
    english = english.replace("参考答案", "Answer").replace("**一句话：**", "**In short:**")
    english = english.replace("**参考文献：**", "**References:**").replace("追问", "Follow-up questions")
    return make_project(folder, {
        "training/index.md": f"# {LABEL['zh']}\n",
        "training/index.en.md": f"# {LABEL['en']}\n",
        "training/good.md": (FIXTURES / "good.md").read_text(),
        "training/good.en.md": english,
    })


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory):
    """The fixture project built as the tests build the site: --strict, default site_url."""
    folder = tmp_path_factory.mktemp("fixture")
    result = mkdocs_build(folder / "site", fixture_project(folder / "project"))
    assert result.returncode == 0, result.stderr[-3000:]
    return folder / "site", result.stderr


@pytest.fixture(scope="session")
def fixture_site(fixture_build):
    site, _ = fixture_build
    server, url = serve(site)
    yield site, url
    server.shutdown()


@pytest.fixture(scope="session")
def hosted_site(tmp_path_factory):
    """The fixture project built for a hosted address, as the deploy workflow builds it."""
    folder = tmp_path_factory.mktemp("hosted")
    result = mkdocs_build(folder / "site", fixture_project(folder / "project"), SITE_URL=HOSTED)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "site_url" not in result.stderr
    return folder / "site"


def exports(site: Path, lang: str = "zh") -> dict[str, str]:
    """The text of each export; the Anki package's collection read as bytes-as-text."""
    names = {ext: site / f"downloads/llm-handbook-{lang}.{ext}" for ext in ("json", "txt")}
    texts = {ext: path.read_text() for ext, path in names.items()}
    with zipfile.ZipFile(site / f"downloads/llm-handbook-{lang}.apkg") as package:
        texts["apkg"] = package.read("collection.anki2").decode("utf-8", "replace")
    return texts


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


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_deck_and_exports_follow_the_reading_order(site, lang):
    """Cards come chapter by chapter and, inside a chapter, page by page as the nav lists them."""
    root = Path(__file__).resolve().parent.parent
    nav = [page.removesuffix(".md") for page in nav_pages() if "/" in page]
    exported = [r["id"] for r in json.loads(
        (site / f"downloads/llm-handbook-{lang}.json").read_text())["questions"]]
    suffix = ".en.md" if lang == "en" else ".md"
    in_nav_order = [qid for page in nav for qid in re.findall(
        r"^## .*\{ #([\w-]+)", (root / "docs" / (page + suffix)).read_text(), re.M)
        if qid in exported]
    assert exported == in_nav_order
    cards = BeautifulSoup((site / ("en/" if lang == "en" else "") / "flashcards/index.html")
                          .read_text(), "html.parser").select(".fc-list > .fc-card")
    assert [c.get("id", "").removeprefix("card-") for c in cards][:3] == exported[:3]


def test_english_deck_holds_only_english_cards(fixture_site):
    site, _ = fixture_site
    zh = json.loads((site / "downloads/llm-handbook-zh.json").read_text())
    en = json.loads((site / "downloads/llm-handbook-en.json").read_text())
    assert {r["lang"] for r in zh["questions"]} == {"zh"}
    assert {r["lang"] for r in en["questions"]} == {"en"}
    assert [r["id"] for r in zh["questions"]] == [r["id"] for r in en["questions"]]
    assert en["questions"][0]["url"].startswith("en/training/good/#")


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


def test_exports_link_to_the_hosted_site(hosted_site):
    data = json.loads((hosted_site / "downloads/llm-handbook-en.json").read_text())
    assert all(r["url"].startswith(HOSTED + "en/training/good/#") for r in data["questions"])
    for lang in ("zh", "en"):
        for ext, text in exports(hosted_site, lang).items():
            assert HOSTED in text, ext
            assert "127.0.0.1" not in text and "@@" not in text, ext
            assert "__codelineno" not in text, ext  # code line anchors stay on their page
            assert "<code>" in text or ext == "apkg", ext


def test_a_local_build_warns_and_exports_no_local_links(fixture_build):
    site, log = fixture_build
    assert re.search(r"WARNING.*site_url.*127\.0\.0\.1:8000", log)
    for lang in ("zh", "en"):
        for ext, text in exports(site, lang).items():
            assert "127.0.0.1" not in text and "__codelineno" not in text, ext
    text = exports(site)["txt"]
    assert 'href="training/good/#ln-why"' in text  # relative to the site root
    data = json.loads((site / "downloads/llm-handbook-zh.json").read_text())
    assert [r["url"] for r in data["questions"]] == [
        "training/good/#ln-why", "training/good/#escape-check"]  # site-relative


def test_deck_labels_are_escaped_once(fixture_site, visit):
    site, url = fixture_site
    for prefix, lang in (("", "zh"), ("en/", "en")):
        html = (site / prefix / "flashcards/index.html").read_text()
        deck = html[html.index('<div class="fc"'):html.index('<footer')]
        assert "&amp;amp;" not in deck and "&amp;lt;" not in deck
        page = visit().page
        page.goto(url + prefix + "flashcards/")
        page.wait_for_selector(".fc--js .fc-stage .fc-q")
        assert page.locator(".fc-stage .fc-chapter").inner_text() == LABEL[lang]
        assert LABEL[lang] in page.locator(".fc-chapters li").first.text_content()
        options = page.eval_on_selector_all("select[name=chapter] option", "os => os.map(o => o.text)")
        assert LABEL[lang] in options
