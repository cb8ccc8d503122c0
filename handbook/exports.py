r"""Write the deck of one language as an Anki package, an Anki text import file and JSON.

Formulas: the Anki files keep arithmatex's `\(…\)` / `\[…\]`, which Anki typesets itself
(MathJax, built in); the JSON carries them as MathML, which browsers show with no stylesheet.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import genanki
from bs4 import BeautifulSoup

from .extract import ROOT
from .flashcards import TEXT, download_names
from .katex import Katex
from .model import Question

CSS = ".card { font-family: sans-serif; font-size: 18px; text-align: left; } table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2px 6px; }"  # noqa: E501


def _stable_id(*parts: str) -> int:
    """A 31-bit id that depends only on its parts, so re-exports keep Anki's model and deck ids."""
    digest = hashlib.sha1("\x1f".join(parts).encode()).hexdigest()
    return int(digest[:8], 16) & 0x7FFFFFFF


def note_guid(q: Question) -> str:
    """Anki's note GUID, derived from the question id (and language) only."""
    return genanki.guid_for("llm-handbook", q.lang, q.id)


def _tags(q: Question) -> list[str]:
    return [q.chapter, *(t.replace(" ", "_") for t in q.tags), f"difficulty::{q.difficulty}"]


# Anki cannot draw mermaid: a diagram becomes a pointer to the page that draws it.
_DIAGRAM = re.compile(r'<pre class="diagram">.*?</pre>', re.S)


def _back(q: Question, site_url: str) -> str:
    text = TEXT[q.lang]
    figure = f'<p><i><a href="{ROOT}{q.url}">{text["diagram"]}</a></i></p>'
    full = _DIAGRAM.sub(lambda _m: figure, q.full_html)
    html = (
        f"<p><b>{text['short']}</b>{q.short_html}</p><hr>{full}"
        f'<p><a href="{ROOT}{q.url}">{text["source"]}</a></p>'
    )
    return html.replace(ROOT, site_url)


def write_apkg(questions: list[Question], lang: str, title: str, site_url: str, path: Path) -> None:
    model = genanki.Model(
        _stable_id("llm-handbook-model", lang),
        f"LLM Handbook ({lang})",
        fields=[{"name": "Id"}, {"name": "Question"}, {"name": "Answer"}],
        templates=[{
            "name": "Card 1",
            "qfmt": "{{Question}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}',
        }],
        css=CSS,
    )
    deck = genanki.Deck(_stable_id("llm-handbook-deck", lang), title)
    for q in questions:
        deck.add_note(genanki.Note(
            model=model,
            fields=[q.id, q.question_html.replace(ROOT, site_url), _back(q, site_url)],
            tags=_tags(q),
            guid=note_guid(q),
        ))
    genanki.Package(deck).write_to_file(str(path))


def _one_line(html: str) -> str:
    return " ".join(html.split())


def write_text(questions: list[Question], title: str, site_url: str, path: Path) -> None:
    """Anki's text import format: tab-separated, HTML fields, with GUID and tag columns."""
    lines = ["#separator:tab", "#html:true", f"#deck:{title}", "#guid column:1", "#tags column:4"]
    for q in questions:
        question = q.question_html.replace(ROOT, site_url)
        cells = [note_guid(q), _one_line(question), _one_line(_back(q, site_url))]
        lines.append("\t".join([*cells, " ".join(_tags(q))]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_json(
    questions: list[Question], lang: str, site_url: str, path: Path, katex: Katex
) -> None:
    def html(fragment: str) -> str:
        return katex.typeset(fragment.replace(ROOT, site_url), output="mathml")

    records = [
        {
            "id": q.id,
            "lang": q.lang,
            "chapter": q.chapter,
            "url": site_url + q.url,
            "question": BeautifulSoup(q.question_html, "lxml").get_text(),
            "question_html": html(q.question_html),
            "short_html": html(q.short_html),
            "full_html": html(q.full_html),
            "tags": q.tags,
            "difficulty": q.difficulty,
        }
        for q in questions
    ]
    data = {"version": 1, "lang": lang, "questions": records}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def write_all(
    questions: list[Question], lang: str, title: str, site_url: str, folder: Path, katex: Katex
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    names = download_names(lang)
    write_apkg(questions, lang, title, site_url, folder / names["apkg"])
    write_text(questions, title, site_url, folder / names["txt"])
    write_json(questions, lang, site_url, folder / names["json"], katex)
