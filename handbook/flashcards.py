"""Render the flashcard deck: a readable list of every card that flashcards.js turns into a drill.

Without JavaScript (and in print) the list is the page: each question with its short answer and
a link to the full answer on its page. The full answers (typeset, so heavy) stay out of the page:
they go to one file next to it, `answers.json`, which flashcards.js fetches once the drill shows,
with their plain text for the card search (so the browser need not parse every answer's HTML).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from pathlib import Path

from .extract import ROOT
from .model import Question
from .search import plain

TEXT = {
    "zh": {
        "difficulty": {1: "基础", 2: "进阶", 3: "高级"},
        "short": "一句话：",
        "full": "完整答案",
        "source": "在原页面查看",
        "diagram": "（示意图见原页面）",
        "downloads": "导出牌组：",
        "apkg": "Anki 牌组（.apkg）",
        "txt": "Anki 文本导入（.txt）",
        "json": "JSON",
        "count": "共 {n} 张卡片，来自 {c} 个章节。",
        "chapters": "按章节",
        "quiz": "本章测验",
        "n": "（{n}）",
        "empty": "这个语言版本还没有题目。",
    },
    "en": {
        "difficulty": {1: "basic", 2: "intermediate", 3: "advanced"},
        "short": "In short: ",
        "full": "Full answer",
        "source": "Open on its page",
        "diagram": "(diagram on the page)",
        "downloads": "Export the deck: ",
        "apkg": "Anki deck (.apkg)",
        "txt": "Anki text import (.txt)",
        "json": "JSON",
        "count": "{n} cards from {c} chapters.",
        "chapters": "By chapter",
        "quiz": "chapter quiz",
        "n": " ({n})",
        "empty": "No questions in this language yet.",
    },
}


ANSWERS = "answers.json"  # next to the flashcard page


def download_names(lang: str) -> dict[str, str]:
    """File names of the exports of one language, under downloads/."""
    return {ext: f"llm-handbook-{lang}.{ext}" for ext in ("apkg", "txt", "json")}


def _card(q: Question, text: dict, chapter_title: str) -> str:
    tags = ",".join(q.tags)
    tag_list = "".join(f'<span class="fc-tag">{escape(t)}</span>' for t in q.tags)
    return (
        f'<li class="fc-card" id="card-{q.id}" data-id="{q.id}" data-chapter="{q.chapter}" '
        f'data-tags="{escape(tags)}" data-difficulty="{q.difficulty}">'
        f'<p class="fc-meta"><span class="fc-chapter">{escape(chapter_title)}</span>'
        f'<span class="fc-diff">{text["difficulty"][q.difficulty]}</span>{tag_list}</p>'
        f'<h2 class="fc-q">{q.question_html}</h2>'
        f'<div class="fc-back">'
        f'<p class="fc-short"><strong>{text["short"]}</strong>{q.short_html}</p>'
        f'<p class="fc-source"><a href="{ROOT}{q.url}">{text["source"]}</a></p>'
        f"</div></li>"
    )


def render_deck(
    questions: list[Question],
    lang: str,
    chapter_titles: dict[str, str],
    quiz_urls: dict[str, str],
    root: str,
    intro: str = "",
) -> str:
    """The deck's HTML for a page whose path to the site root is `root` (e.g. '../').

    `intro` (the page's own HTML) follows the drill, so on a phone the card comes first."""
    text = TEXT[lang]
    if not questions:
        return f'<p class="fc-empty">{text["empty"]}</p>'
    names = download_names(lang)
    downloads = " · ".join(
        f'<a href="{ROOT}downloads/{names[ext]}" download>{text[ext]}</a>' for ext in names
    )
    chapters = list(dict.fromkeys(q.chapter for q in questions))
    counts = {c: sum(q.chapter == c for q in questions) for c in chapters}
    chapter_items = "".join(
        f"<li>{escape(chapter_titles.get(c, c))}{text['n'].format(n=counts[c])}"
        + (f' · <a href="{ROOT}{quiz_urls[c]}">{text["quiz"]}</a>' if c in quiz_urls else "")
        + "</li>"
        for c in chapters
    )
    cards = "".join(_card(q, text, chapter_titles.get(q.chapter, q.chapter)) for q in questions)
    html = (
        # the label of the full answer, which flashcards.js adds (from ANSWERS) to the card it
        # shows: not repeated in every card of the list, which has nothing to put in it
        f'<div class="fc" data-lang="{lang}" data-answers="{ANSWERS}" '
        f'data-full="{escape(text["full"])}">'
        f'<div class="fc-app" hidden></div>'
        f'<div class="fc-intro">{intro}</div>'
        f'<p class="fc-summary">{text["count"].format(n=len(questions), c=len(chapters))}</p>'
        f'<p class="fc-downloads"><strong>{text["downloads"]}</strong>{downloads}</p>'
        f'<details class="fc-chapters"><summary>{text["chapters"]}</summary>'
        f"<ul>{chapter_items}</ul></details>"
        f'<ol class="fc-list">{cards}</ol></div>'
    )
    return html.replace(ROOT, root)


def write_answers(
    questions: list[Question], page_dest: Path, root: str, typeset: Callable[[str], str]
) -> None:
    """Write `{"html": {id: full answer}, "text": {id: its plain text}}` next to the
    flashcard page at `page_dest`; the HTML is typeset as pages are, its links relative to the
    page, whose path to the site root is `root`; the text keeps formulas as TeX."""
    answers = {
        "html": {q.id: typeset(q.full_html.replace(ROOT, root)) for q in questions},
        "text": {q.id: " ".join(plain(q.full_html).split()) for q in questions},
    }
    text = json.dumps(answers, ensure_ascii=False, separators=(",", ":"))
    page_dest.parent.joinpath(ANSWERS).write_text(text, encoding="utf-8")
