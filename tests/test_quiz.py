"""Chapter quizzes in both languages: the English quiz is the Chinese one's twin, feedback for
right and wrong answers in Chromium, saved progress, reset, and links to each language's quiz."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from tests.test_content import CHAPTERS

QUIZ = "transformer/quiz/"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def quiz_page(site: Path, lang: str, chapter: str) -> BeautifulSoup:
    prefix = "en/" if lang == "en" else ""
    return BeautifulSoup((site / f"{prefix}{chapter}/quiz/index.html").read_text(), "lxml")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chapter_quiz_has_enough_questions_and_an_answer_link(site: Path, lang: str):
    total = 0
    for chapter in CHAPTERS:
        soup = quiz_page(site, lang, chapter)
        quizzes = soup.select("div.quiz")
        assert len(quizzes) >= 6, chapter
        assert soup.select(".quiz-fill-blank"), chapter
        assert soup.select("input[type=checkbox][data-correct]"), f"{chapter}: no multiple choice"
        for quiz in quizzes:
            links = [a["href"] for a in quiz.select("section.content a[href]")]
            assert any("#" in h for h in links), f"{chapter}: {quiz['id']} has no link to an answer"
        total += len(quizzes)
    assert total >= 48


def test_english_quizzes_are_twins_of_the_chinese_ones(site: Path):
    """Same questions in the same order: same options with the same right answers, same blanks,
    explanations linking the same questions; and the English one is really in English."""

    def shape(quiz) -> tuple:
        return (
            [bool(i.get("data-correct")) for i in quiz.select("input[type=radio], input[type=checkbox]")],
            [i["data-answer"] for i in quiz.select("input.quiz-blank-input")],
            [a["href"] for a in quiz.select("section.content a[href]")],
        )

    for chapter in CHAPTERS:
        zh, en = quiz_page(site, "zh", chapter), quiz_page(site, "en", chapter)
        assert en.html["lang"] == "en", chapter
        zh_quizzes, en_quizzes = zh.select("div.quiz"), en.select("div.quiz")
        assert len(en_quizzes) == len(zh_quizzes), chapter
        for zq, eq in zip(zh_quizzes, en_quizzes, strict=True):
            assert shape(eq) == shape(zq), f"{chapter}: {eq['id']}"
            assert eq.select_one("section.content").get_text(" ", strip=True).startswith("Explanation:")
        article = en.select_one("article")
        for hidden in article.select("script, style"):
            hidden.decompose()
        assert not CJK.findall(article.get_text()), chapter
        assert en.select_one("h1").get_text(strip=True).startswith("Quiz: "), chapter


def test_english_explanations_link_english_answers(site: Path):
    for chapter in CHAPTERS:
        for a in quiz_page(site, "en", chapter).select("div.quiz section.content a[href]"):
            url = urlparse(urljoin(f"/en/{chapter}/quiz/", a["href"]))
            assert url.path.startswith("/en/"), a["href"]
            target = BeautifulSoup((site / url.path.lstrip("/") / "index.html").read_text(), "lxml")
            heading = target.find(id=url.fragment)
            assert heading is not None, f"{chapter}: {a['href']}"
            assert not CJK.search(heading.get_text()), f"{chapter}: {a['href']} lands on Chinese"


def test_every_page_links_the_quiz_of_its_own_language(site: Path):
    """Home, chapter overviews, the flashcard page and the nav: an English page never sends the
    reader to a Chinese quiz, nor a Chinese page to an English one (the language switch aside)."""
    seen = {"zh": 0, "en": 0}
    for path in site.rglob("index.html"):
        folder = path.relative_to(site).parent.as_posix()
        if folder.split("/")[-1] == "print_page" or folder.startswith(("assets", "downloads")):
            continue
        lang = "en" if folder == "en" or folder.startswith("en/") else "zh"
        for a in BeautifulSoup(path.read_text(), "lxml").select("a[href]:not([hreflang])"):
            target = urlparse(urljoin(f"/{folder}/", a["href"])).path
            if target.endswith("/quiz/"):
                seen[lang] += 1
                assert target.startswith("/en/") == (lang == "en"), f"/{folder}/: {a['href']}"
    for lang in seen:
        assert seen[lang] >= 8 * 10, lang  # every chapter's quiz, from the nav of every page at least
    for page in ("index.html", "flashcards/index.html", "transformer/index.html"):
        for prefix in ("", "en/"):
            body = BeautifulSoup((site / prefix / page).read_text(), "lxml").select_one("article")
            assert any(a["href"].rstrip("/").endswith("quiz") for a in body.select("a[href]")), prefix + page


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


def test_english_quiz_answers_in_english_and_links_the_english_answer(base_url, visit):
    v = visit()
    page = v.page
    page.goto(base_url + "en/" + QUIZ)
    quiz = page.locator("div.quiz:has(input[type=radio])").first
    quiz.locator("input:not([data-correct]) + label").first.click()
    assert quiz.locator(".quiz-feedback").inner_text().strip() == "Incorrect answer."
    explanation = quiz.locator("section.content")
    assert explanation.is_visible() and explanation.inner_text().startswith("Explanation:")
    visible = page.locator("article").inner_text()
    assert not CJK.findall(visible), CJK.findall(visible)
    explanation.locator("a").first.click()
    page.wait_for_load_state()
    assert page.url == base_url + "en/transformer/transformer-architecture/#transformer-architecture"
    assert page.evaluate("document.documentElement.lang") == "en"
    heading = page.locator("h2#transformer-architecture")
    assert heading.is_visible() and not CJK.search(heading.inner_text())
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


def test_quiz_page_headings_do_not_skip_a_level(base_url, visit):
    """Screen readers navigate by heading level; Lighthouse's heading-order audit checks it."""
    v = visit()
    v.page.goto(base_url + "transformer/quiz/")
    v.page.wait_for_selector("h2.quiz-results-heading", state="attached")
    levels = v.page.eval_on_selector_all(
        "article h1, article h2, article h3, article h4", "hs => hs.map(h => +h.tagName[1])")
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
