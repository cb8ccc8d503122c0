"""Chapter quizzes in Chromium: feedback for right and wrong answers, saved progress, reset."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from tests.test_content import CHAPTERS

QUIZ = "transformer/quiz/"


def test_every_chapter_quiz_has_enough_questions_and_an_answer_link(site: Path):
    total = 0
    for chapter in CHAPTERS:
        soup = BeautifulSoup((site / chapter / "quiz/index.html").read_text(), "lxml")
        quizzes = soup.select("div.quiz")
        assert len(quizzes) >= 6, chapter
        assert soup.select(".quiz-fill-blank"), chapter
        assert soup.select("input[type=checkbox][data-correct]"), f"{chapter}: no multiple choice"
        for quiz in quizzes:
            links = [a["href"] for a in quiz.select("section.content a[href]")]
            assert any("#" in h for h in links), f"{chapter}: {quiz['id']} has no link to an answer"
        total += len(quizzes)
    assert total >= 48


def test_quiz_assets_only_on_quiz_pages(site: Path):
    chapter_page = (site / "transformer/transformer-architecture/index.html").read_text()
    assert "quiz-progress" not in chapter_page
    assert "quiz-progress" in (site / QUIZ / "index.html").read_text()


def test_right_and_wrong_answers_get_feedback_and_progress_survives_reload(base_url, visit):
    v = visit()
    page = v.page
    page.on("dialog", lambda d: d.accept())  # the reset button asks for confirmation
    page.goto(base_url + QUIZ)
    radios = page.locator("div.quiz:has(input[type=radio])")
    first, second = radios.nth(0), radios.nth(1)
    first.locator("input[data-correct] + label").click()
    assert "quiz-feedback-item correct" in first.locator(".quiz-feedback").inner_html()
    assert "回答正确" in first.locator(".quiz-feedback").inner_text()
    second.locator("input:not([data-correct]) + label").first.click()
    feedback = second.locator(".quiz-feedback")
    assert "quiz-feedback-item incorrect" in feedback.inner_html()
    assert second.locator("input[data-correct]").first.locator("xpath=..").get_attribute("class") == "correct"
    assert second.locator("section.content").is_visible()  # the explanation with its link

    page.reload()
    assert first.locator("input[data-correct]").is_checked()
    assert "quiz-feedback-item correct" in first.locator(".quiz-feedback").inner_html()

    page.locator(".quiz-intro-reset").click()
    page.wait_for_timeout(300)
    assert not first.locator("input[data-correct]").is_checked()
    page.reload()
    assert not first.locator("input[data-correct]").is_checked()
    assert v.errors == []


def test_fill_in_the_blank_accepts_the_answer(base_url, visit):
    page = visit().page
    page.goto(base_url + QUIZ)
    quiz = page.locator("div.quiz-fill-blank").first
    box = quiz.locator("input.quiz-blank-input").first
    box.fill(box.get_attribute("data-answer"))
    quiz.locator("button[type=submit]").click()
    assert "quiz-feedback-item correct" in quiz.locator(".quiz-feedback").inner_html()


def test_printed_quiz_is_an_answer_key(base_url, visit, tmp_path):
    from tests.test_site import pdf_text

    page = visit(javascript=False).page
    page.goto(base_url + QUIZ)
    text = "".join(pdf_text(page.pdf(), tmp_path).split())
    correct = page.locator("div.quiz input[data-correct] + label").first.inner_text()
    assert "".join(correct.split()) + "✔" in text
    assert "解释" in text
