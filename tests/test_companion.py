"""The study companion in a real browser: the mock interview (keyboard only, grades landing in
the flashcard schedule, no speech synthesis), the progress page and the header badge, and the
progress backup (round trip, corrupt / foreign / newer files rejected without loss)."""

from __future__ import annotations

import json
import re

import pytest

STORE = "llm-handbook:srs"
KEYS = ("llm-handbook:srs", "llm-handbook:reviews", "llm-handbook:opened", "llm-handbook:mock",
        "llm-handbook:quiz-best")
NEW, LEARNING, REVIEW = 0, 1, 2  # ts-fsrs states
QUIZ = "transformer/quiz/"


def stored(page, key: str = STORE):
    raw = page.evaluate(f"localStorage.getItem({json.dumps(key)})")
    return None if raw is None else json.loads(raw)


def snapshot(page) -> dict:
    """Everything the site keeps in localStorage, as raw strings."""
    return page.evaluate("Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]))")


def start_mock(page, base_url: str, count: int, prefix: str = ""):
    """Open the mock page and start a session of `count` questions, from the keyboard."""
    page.goto(base_url + prefix + "mock/")
    page.wait_for_selector(".hbc-setup")
    page.locator("select[name=time]").select_option("30")
    page.locator("input[name=count]").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(count))
    page.keyboard.press("Enter")  # submits the setup form
    page.wait_for_selector(".hbc-question")


def answer(page, grade: int) -> str:
    """Reveal, grade and go on, from the keyboard; returns the question's id."""
    qid = page.locator(".hbc-step").get_attribute("data-id")
    assert page.locator(".hbc-clock").is_visible()
    page.keyboard.press("r")
    assert page.locator(".hbc-answer").is_visible()
    assert page.locator(".hbc-short").inner_text().strip()
    page.keyboard.press(str(grade))
    assert page.locator(".hbc-next").is_visible()
    assert page.evaluate("document.activeElement.classList.contains('hbc-next')")
    page.keyboard.press("n")
    return qid


def test_a_mock_session_from_the_keyboard_lands_in_the_flashcard_schedule(base_url, visit):
    v = visit()
    page = v.page
    start_mock(page, base_url, 3)
    assert page.locator(".hbc-meta").inner_text().startswith("第 1 / 3 题")
    # focus starts on "reveal": Enter reveals, as R does
    assert page.evaluate("document.activeElement.classList.contains('hbc-reveal')")
    grades = {}
    for grade in (3, 1, 4):
        qid = answer(page, grade)
        assert qid not in grades  # never the same question twice
        grades[qid] = grade
    page.wait_for_selector(".hbc-summary")
    assert page.locator(".hbc-table tbody tr").count() == 3
    assert "最薄弱的章节" in page.locator(".hbc-summary").inner_text()

    srs = stored(page)
    assert set(srs["cards"]) == set(grades)
    want = {3: LEARNING, 1: LEARNING, 4: REVIEW}  # FSRS on a new card: Good/Again learn, Easy reviews
    assert {i: c["state"] for i, c in srs["cards"].items()} == {i: want[g] for i, g in grades.items()}
    assert srs["ratings"] == grades
    log = stored(page, "llm-handbook:reviews")
    assert sum(log["days"].values()) == 3
    history = stored(page, "llm-handbook:mock")["sessions"]
    assert len(history) == 1 and [i["grade"] for i in history[0]["items"]] == list(grades.values())

    # "drill the missed ones": the flashcard page shows just the one graded Again, not as new
    missed = [i for i, g in grades.items() if g <= 2]
    page.locator(".hbc-drill").click()
    page.wait_for_selector(".fc--js .fc-stage .fc-q")
    assert "ids=" in page.url
    assert page.locator(".fc-position").first.inner_text() == "第 1 / 1 张"
    assert page.locator(".fc-stage .fc-card").get_attribute("data-id") == missed[0]
    page.goto(base_url + "flashcards/?mode=all")
    page.wait_for_selector(".fc--js .fc-stage .fc-q")
    counts = dict(re.findall(r"([\u4e00-\u9fff]+) (\d+)", page.locator(".fc-stats").inner_text()))
    deck = page.locator(".fc-list > .fc-card").count()
    assert int(counts["新卡"]) == deck - 3
    assert int(counts["学习中"]) == 2
    assert v.errors == []


def test_progress_figures_and_the_header_badge_match_what_was_done(base_url, visit):
    v = visit()
    page = v.page
    # open two answers on a question page
    page.goto(base_url + "transformer/transformer-architecture/")
    answers = page.locator("h2[data-difficulty] + details > summary")
    assert answers.count() >= 1
    opened = [page.locator("h2[data-difficulty]").nth(0).get_attribute("id")]
    answers.nth(0).click()
    page.wait_for_timeout(100)  # the toggle event comes a task later
    page.goto(base_url + "training/layernorm-vs-batchnorm/")
    page.locator("h2[data-difficulty] + details > summary").first.click()
    opened.append(page.locator("h2[data-difficulty]").first.get_attribute("id"))
    page.wait_for_timeout(100)
    assert set(stored(page, "llm-handbook:opened")["ids"]) == set(opened)
    assert page.locator(".hb-due").is_hidden()  # nothing graded yet

    # grade two cards on the flashcard page: Again (learning, due today) and Easy (days away)
    page.goto(base_url + "flashcards/?mode=all")
    page.wait_for_selector(".fc--js .fc-stage .fc-q")
    again = page.locator(".fc-stage .fc-card").get_attribute("data-id")
    for grade in ("1", "4"):
        page.keyboard.press("Space")
        page.keyboard.press(grade)
    assert page.locator(".hb-due").inner_text() == "1"  # the badge follows a grade at once
    # one correct quiz answer
    page.goto(base_url + QUIZ)
    page.locator("div.quiz:has(input[type=radio])").first.locator("input[data-correct] + label").click()
    # a one-question mock interview: it asks the card graded Again first; graded Hard
    start_mock(page, base_url, 1)
    mock_id = answer(page, 2)
    assert mock_id == again
    page.wait_for_selector(".hbc-summary")

    srs = stored(page)
    assert len(srs["cards"]) == 2
    due = sum(1 for c in srs["cards"].values() if c["state"] != NEW
              and page.evaluate(f"new Date({json.dumps(c['due'])}) < new Date(new Date().setHours(24, 0, 0, 0))"))
    page.goto(base_url + "progress/")
    page.wait_for_selector(".hbp-table")
    assert page.locator(".hbp-due .hbp-value").inner_text() == str(due)
    assert page.locator(".hb-due").inner_text() == str(due)
    assert due == 1  # the card graded Again, then Hard, is due again today; the Easy one is not
    total = page.locator(".hbp-total")
    assert total.locator("[data-k=opened]").inner_text() == "2"
    assert total.locator("[data-k=mock]").inner_text() == "1"
    buckets = {k: int(total.locator(f"[data-k={k}]").inner_text())
               for k in ("new", "learning", "due", "young", "mastered")}
    questions = int(total.locator("td").first.inner_text())
    assert sum(buckets.values()) == questions
    assert buckets["new"] == questions - 2
    transformer = page.locator("tr[data-chapter=transformer]")
    assert transformer.locator("[data-k=opened]").inner_text() == "1"
    assert re.fullmatch(r"1 / \d+", transformer.locator("[data-k=quiz]").inner_text())
    chapter = page.evaluate(f"fetch('companion.json').then(r => r.json()).then(d => "
                            f"d.questions.find(q => q.id === {json.dumps(mock_id)}).chapter)")
    assert page.locator(f"tr[data-chapter={chapter}] [data-k=mock]").inner_text() == "1"
    # the calendar counts today's reviews: two flashcard grades and one mock grade
    today = page.locator(".hbp-calendar rect[data-count='3']")
    assert today.count() == 1
    assert v.errors == []


def test_the_english_progress_page_and_badge_are_english(base_url, visit):
    v = visit()
    v.page.goto(base_url + "en/progress/")
    v.page.wait_for_selector(".hbp-table")
    assert "Due today" in v.page.locator(".hbp-tiles").inner_text()
    assert v.errors == []


def seed(page) -> None:
    """Progress of every kind, written through the page's own store and ts-fsrs."""
    page.evaluate("""() => {
      const s = FSRS.fsrs(FSRS.generatorParameters({enable_fuzz: false}));
      const day = 864e5, now = Date.now();
      const a = s.next(FSRS.createEmptyCard(new Date(now - 9 * day)), new Date(now - 9 * day), 3).card;
      const b = s.next(FSRS.createEmptyCard(new Date(now - 2 * day)), new Date(now - 2 * day), 4).card;
      localStorage.setItem("llm-handbook:srs", JSON.stringify({version: 1, cards: {"transformer-architecture": a, "layernorm-vs-batchnorm": b}, ratings: {"transformer-architecture": 3, "layernorm-vs-batchnorm": 4}}));
      localStorage.setItem("llm-handbook:reviews", JSON.stringify({version: 1, days: {"2026-01-05": 4}}));
      localStorage.setItem("llm-handbook:opened", JSON.stringify({version: 1, ids: {"transformer-architecture": now}}));
      localStorage.setItem("llm-handbook:mock", JSON.stringify({version: 1, prefs: {count: 4},
        sessions: [{at: now - day, lang: "zh", seconds: 180, items: [{id: "transformer-architecture", chapter: "transformer", grade: 3, ms: 60000}]}]}));
      const quiz = "quiz_progress_" + new URL("../transformer/quiz/", location.href).pathname;
      localStorage.setItem(quiz, JSON.stringify({"q1": {answered: true, correct: true}}));
    }""")


def export(page) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("button", name="导出进度").click()
    return open(download.value.path(), "rb").read()


def import_file(page, data: bytes) -> str:
    page.locator("#hbp-import").set_input_files(
        files=[{"name": "backup.json", "mimeType": "application/json", "buffer": data}])
    page.wait_for_function("document.querySelector('.hbp-message').textContent.length > 0")
    return page.locator(".hbp-message").inner_text()


def test_backup_round_trip_and_bad_files_are_rejected_without_loss(base_url, visit):
    v = visit()
    page = v.page
    page.goto(base_url + "mock/")  # ts-fsrs is on this page
    page.wait_for_selector(".hbc-setup")
    seed(page)
    before = snapshot(page)
    page.goto(base_url + "progress/")
    page.wait_for_selector(".hbp-table")
    backup = export(page)
    data = json.loads(backup)
    assert data["format"] == "llm-handbook-progress" and data["version"] == 1
    assert set(data["srs"]["cards"]) == {"transformer-architecture", "layernorm-vs-batchnorm"}
    assert data["quizzes"] == {"transformer/quiz/": {"q1": {"answered": True, "correct": True}}}

    page.evaluate("localStorage.clear()")
    page.reload()
    page.wait_for_selector(".hbp-table")
    assert page.locator(".hbp-total [data-k=opened]").inner_text() == "0"
    message = import_file(page, backup)
    assert "已导入" in message and "2 张卡片" in message
    after = snapshot(page)
    for key in (*KEYS[:4], *[k for k in before if k.startswith("quiz_progress_")]):
        assert json.loads(after[key]) == json.loads(before[key]), key
    assert page.locator(".hbp-total [data-k=opened]").inner_text() == "1"

    # bad files: a clear message, and nothing stored changes
    kept = snapshot(page)
    for bad, words in [(b"{not json", "损坏"), (b'{"cards": {}}', "不是本站"),
                       (json.dumps({**data, "version": 2}).encode(), "更新版本"),
                       (json.dumps({**data, "srs": {"version": 1, "cards": {"x": {"due": "garbage"}}}}).encode(), "损坏")]:
        message = import_file(page, bad)
        assert words in message and "没有改变" in message, message
        assert page.locator(".hbp-message").get_attribute("class").endswith("hbp-error")
        assert snapshot(page) == kept

    # merge: per card, the newer review wins; a card only here is kept
    local = json.loads(kept[STORE])
    older = json.loads(backup)
    older["srs"]["cards"]["transformer-architecture"]["last_review"] = "2020-01-01T00:00:00.000Z"
    del older["srs"]["cards"]["layernorm-vs-batchnorm"]  # only in this browser now: kept
    page.evaluate("""() => { const s = JSON.parse(localStorage.getItem("llm-handbook:srs"));
      s.cards["only-here"] = s.cards["transformer-architecture"];
      localStorage.setItem("llm-handbook:srs", JSON.stringify(s)); }""")
    import_file(page, json.dumps(older).encode())
    merged = stored(page)
    assert merged["cards"]["transformer-architecture"] == local["cards"]["transformer-architecture"]
    assert set(merged["cards"]) == {"transformer-architecture", "layernorm-vs-batchnorm", "only-here"}
    assert v.errors == []


NO_SPEECH = """
  delete window.SpeechSynthesisUtterance;
  delete Window.prototype.speechSynthesis;
  delete window.speechSynthesis;
  if ("speechSynthesis" in window) {
    Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });
  }
"""


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_mock_works_without_speech_synthesis(base_url, visit, prefix):
    v = visit()
    v.context.add_init_script(NO_SPEECH)
    page = v.page
    page.goto(base_url + prefix + "mock/")
    page.wait_for_selector(".hbc-setup")
    assert page.evaluate("typeof window.speechSynthesis") == "undefined"
    assert page.locator("input[name=read]").is_disabled()
    start_mock(page, base_url, 2, prefix)
    assert page.locator(".hbc-mute").count() == 0
    answer(page, 3)
    answer(page, 4)
    page.wait_for_selector(".hbc-summary")
    assert len(stored(page)["cards"]) == 2
    assert v.errors == []


def test_questions_are_spoken_in_the_page_language_and_mute_stops_it(base_url, visit):
    v = visit()
    v.context.add_init_script("""
      window.__spoken = [];
      const fake = { speak(u) { window.__spoken.push([u.text, u.lang]); }, cancel() {},
                     getVoices() { return []; }, addEventListener() {} };
      try { Object.defineProperty(window, "speechSynthesis", { value: fake, configurable: true }); }
      catch (e) { window.speechSynthesis = fake; }
    """)
    page = v.page
    start_mock(page, base_url, 2, "en/")
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1 and spoken[0][1] == "en-US"
    assert len(spoken[0][0]) > 5
    page.keyboard.press("m")  # mute: the next question is shown, not read
    assert page.locator(".hbc-mute").get_attribute("aria-pressed") == "true"
    answer(page, 3)
    page.wait_for_selector(".hbc-meta:has-text('Question 2 of 2')")
    assert len(page.evaluate("window.__spoken")) == 1
    assert v.errors == []


def test_the_mock_fits_a_phone(base_url, visit):
    v = visit(viewport={"width": 360, "height": 740})
    page = v.page
    start_mock(page, base_url, 1)
    page.keyboard.press("r")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for button in page.locator(".hbc-grade").all():
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 100  # big tap targets
    assert v.errors == []


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_companion_data_comes_from_the_bank(site, prefix):
    """companion.json: every question of the language with its follow-ups and a working link;
    each chapter's quiz size as mkdocs-quiz counts it; the progress page gets ids only."""
    mock = json.loads((site / prefix / "mock" / "companion.json").read_text(encoding="utf-8"))
    lang = prefix.strip("/") or "zh"
    deck = json.loads((site / "downloads" / f"llm-handbook-{lang}.json").read_text(encoding="utf-8"))
    assert [q["id"] for q in mock["questions"]] == [q["id"] for q in deck["questions"]]
    assert sum(bool(q["followups_html"]) for q in mock["questions"]) >= 0.9 * len(mock["questions"])
    for q in mock["questions"]:
        page, _, anchor = q["url"].partition("#")
        html = (site / prefix / "mock" / page / "index.html").resolve().read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, q["id"]
        assert q["text"] and "<" not in q["text"]
    for chapter in mock["chapters"]:
        quiz = (site / chapter["quiz"] / "index.html").read_text(encoding="utf-8")  # site-relative
        assert chapter["quiz_questions"] == quiz.count('<div class="quiz') - quiz.count('<div class="quiz-')
    progress = json.loads((site / prefix / "progress" / "companion.json").read_text(encoding="utf-8"))
    assert progress["chapters"] == mock["chapters"]
    assert progress["questions"] == [{"id": q["id"], "chapter": q["chapter"]} for q in mock["questions"]]
