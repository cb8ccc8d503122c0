"""The data of the study companion pages (mock interview, progress), derived from the bank.

A page whose front matter says `companion: mock` or `companion: progress` gets, after its
title, the mount point its script fills (`mock.js`, `progress.js`) and, next to it, one file
`companion.json` with what that script needs from the question bank: the chapters in reading
order (title, quiz page, question count) and each question's text, short answer, follow-ups,
difficulty and link. Nothing is written twice by hand: it is the same Question records the
flashcards and the exports come from. Formulas are MathML (browsers show it with no stylesheet
or fonts), as in the JSON export.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape
from pathlib import Path

from .extract import ROOT
from .model import Question
from .search import plain

DATA = "companion.json"  # next to the page
KINDS = ("mock", "progress")
_TEX = re.compile(r"\\[()\[\]]")  # arithmatex's \( \) \[ \] around TeX
# mkdocs-quiz's question containers (class "quiz", or "quiz quiz-fill-blank"), as its script
# counts them (document.querySelectorAll(".quiz"))
_QUIZ = re.compile(r'<div class="quiz[" ]')


def mount(kind: str, lang: str, root: str, flashcards_url: str) -> str:
    """The element the page's script fills; without JavaScript the page's own text remains."""
    return (
        f'<div class="hbc" data-companion="{escape(kind)}" data-lang="{escape(lang)}" '
        f'data-data="{DATA}" data-root="{escape(root)}" data-flashcards="{escape(flashcards_url)}">'
        f"</div>"
    )


def quiz_size(page_html: str) -> int:
    """How many questions a built quiz page holds."""
    return len(_QUIZ.findall(page_html))


def speech_text(html: str) -> str:
    """What the speech synthesizer reads: the plain text, formulas as their TeX, no markup."""
    return " ".join(_TEX.sub(" ", plain(html)).split())


def data(
    kind: str,
    questions: list[Question],
    lang: str,
    chapter_titles: dict[str, str],
    quiz_urls: dict[str, str],
    quiz_sizes: dict[str, int],
    root: str,
    typeset: Callable[[str], str],
) -> dict:
    """The companion data of one language for a page of `kind`, whose links are relative to
    a page whose root is `root`. The progress page needs only which question is in which
    chapter; the mock needs the texts too."""
    def html(fragment: str) -> str:
        return typeset(fragment.replace(ROOT, root))

    chapters = list(dict.fromkeys(q.chapter for q in questions))
    return {
        "version": 1,
        "lang": lang,
        "chapters": [
            {
                "id": c,
                "title": chapter_titles.get(c, c),
                "quiz": quiz_urls.get(c),  # site-relative, as mkdocs-quiz keys its storage by path
                "quiz_questions": quiz_sizes.get(c, 0),
                "questions": sum(q.chapter == c for q in questions),
            }
            for c in chapters
        ],
        "questions": [
            {"id": q.id, "chapter": q.chapter} if kind == "progress" else {
                "id": q.id,
                "chapter": q.chapter,
                "difficulty": q.difficulty,
                "text": speech_text(q.question_html),
                "question_html": html(q.question_html),
                "short_html": html(q.short_html),
                "followups_html": html(q.followups_html),
                "url": root + q.url,
            }
            for q in questions
        ],
    }


def write_data(page_dest: Path, payload: dict) -> None:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    page_dest.parent.joinpath(DATA).write_text(text, encoding="utf-8")
