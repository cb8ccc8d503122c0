r"""Write the deck of one language as an Anki package, an Anki text import file and JSON.

Links in the exports point to the hosted site (`site_url`). A build for this machine only
(no site_url, or one on localhost, e.g. the default http://127.0.0.1:8000/) has no such site:
its exports link relative to the site root instead, and the build log says so, since a deck
shared from that build would otherwise send its readers to a dead address.

Formulas: the Anki files keep arithmatex's `\(…\)` / `\[…\]`, which Anki typesets itself
(MathJax, built in); the JSON carries them as MathML, which browsers show with no stylesheet.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import time
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import genanki
from bs4 import BeautifulSoup

from .extract import ROOT
from .flashcards import TEXT, download_names
from .katex import Katex
from .model import Question
from .revision import epoch

CSS = ".card { font-family: sans-serif; font-size: 18px; text-align: left; } table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2px 6px; }"  # noqa: E501


# Outside the "mkdocs" logger on purpose: the warning shows in the build log, but a --strict
# build (the tests build with the local default site_url) does not abort on it.
log = logging.getLogger("handbook.exports")
if not log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    log.addHandler(_handler)
    log.propagate = False

LOCAL_HOSTS = {"127.0.0.1", "localhost", "0.0.0.0", "::1"}


def hosted_url(site_url: str | None) -> str:
    """The hosted site's root URL with a trailing slash, or "" when the build has none."""
    if not site_url or urlparse(site_url).hostname in LOCAL_HOSTS:
        return ""
    return site_url.rstrip("/") + "/"


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
# pymdownx.highlight's line anchors (anchor_linenums) mean nothing outside their page.
_LINE_ANCHOR = re.compile(r'<a [^>]*\bid="__codelineno-[^"]*"[^>]*></a>')


def _links(html: str, site_url: str) -> str:
    """The exported form of generated HTML: its links into the site start with `site_url`."""
    return _LINE_ANCHOR.sub("", html).replace(ROOT, site_url)


def _back(q: Question, site_url: str) -> str:
    text = TEXT[q.lang]
    figure = f'<p><i><a href="{ROOT}{q.url}">{text["diagram"]}</a></i></p>'
    full = _DIAGRAM.sub(lambda _m: figure, q.full_html)
    source = f'<p><a href="{ROOT}{q.url}">{text["source"]}</a></p>'
    return _links(f"<p><b>{text['short']}</b>{q.short_html}</p><hr>{full}{source}", site_url)


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
            fields=[q.id, _links(q.question_html, site_url), _back(q, site_url)],
            tags=_tags(q),
            guid=note_guid(q),
        ))
    _write_package(genanki.Package(deck), path)


def _write_package(package: genanki.Package, path: Path) -> None:
    """The .apkg, dated by the build date only (reproducible builds): genanki stamps the notes
    with the time given, but the zip entries with the clock, so they are written again."""
    stamp = epoch()
    packed = io.BytesIO()
    package.write_to_file(packed, timestamp=stamp)
    with zipfile.ZipFile(packed) as src, zipfile.ZipFile(path, "w") as out:
        for entry in src.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=time.gmtime(stamp)[:6])
            fixed.compress_type, fixed.external_attr = entry.compress_type, 0o644 << 16
            out.writestr(fixed, src.read(entry))


def _one_line(html: str) -> str:
    return " ".join(html.split())


def write_text(questions: list[Question], title: str, site_url: str, path: Path) -> None:
    """Anki's text import format: tab-separated, HTML fields, with GUID and tag columns."""
    lines = ["#separator:tab", "#html:true", f"#deck:{title}", "#guid column:1", "#tags column:4"]
    for q in questions:
        question = _links(q.question_html, site_url)
        cells = [note_guid(q), _one_line(question), _one_line(_back(q, site_url))]
        lines.append("\t".join([*cells, " ".join(_tags(q))]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_json(
    questions: list[Question], lang: str, site_url: str, path: Path, katex: Katex
) -> None:
    def html(fragment: str) -> str:
        return katex.typeset(_links(fragment, site_url), output="mathml")

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
    questions: list[Question], lang: str, title: str, site_url: str | None, folder: Path,
    katex: Katex,
) -> None:
    """All three exports; `site_url` is the build's own (see hosted_url)."""
    hosted = hosted_url(site_url)
    if not hosted:
        log.warning(
            "handbook: site_url is %r, not a hosted address: the %s flashcard exports link "
            "relative to the site root. Set SITE_URL (as the deploy workflow does) to link "
            "them to the hosted site.",
            site_url or "", lang,
        )
    site_url = hosted
    folder.mkdir(parents=True, exist_ok=True)
    names = download_names(lang)
    write_apkg(questions, lang, title, site_url, folder / names["apkg"])
    write_text(questions, title, site_url, folder / names["txt"])
    write_json(questions, lang, site_url, folder / names["json"], katex)
