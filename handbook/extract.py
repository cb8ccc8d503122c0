"""Take each question's rendered HTML out of its page: cards keep tables, formulas, diagrams."""

from __future__ import annotations

import posixpath
import re

from bs4 import BeautifulSoup, Tag

from .model import Question
from .parse import LABELS

# Links inside extracted HTML point to ROOT + a site-relative path; a renderer replaces ROOT
# with whatever reaches the site root from where the HTML ends up (../ on a page, site_url in
# an export).
ROOT = "@@site-root@@/"
_ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/|@@)", re.IGNORECASE)


def _rebase(node: Tag, page_url: str) -> None:
    for attr in ("href", "src"):
        for el in node.find_all(attrs={attr: True}):
            value = el[attr]
            if _ABSOLUTE.match(value):
                continue
            if value.startswith("#"):
                el[attr] = ROOT + page_url + value
                continue
            path, _, fragment = value.partition("#")
            joined = posixpath.normpath(posixpath.join(page_url, path))
            if path.endswith("/") and not joined.endswith("/"):
                joined += "/"
            joined = "" if joined == "." else joined
            el[attr] = ROOT + joined + (f"#{fragment}" if fragment else "")


def _inner(node: Tag) -> str:
    return "".join(str(child) for child in node.contents).strip()


def attach_html(questions: list[Question], html: str, page_url: str) -> None:
    """Fill question_html, short_html and full_html of the page's questions from its HTML."""
    soup = BeautifulSoup(html, "lxml")
    for q in questions:
        q.page_url = page_url
        heading = soup.find(id=q.id)
        answer = heading.find_next_sibling("details") if heading else None
        if heading is None or answer is None or "success" not in answer.get("class", []):
            raise ValueError(f"{q.src_path}:{q.line}: rendered page lacks question '{q.id}'")
        for link in heading.select("a.headerlink"):
            link.decompose()
        answer.summary.decompose()
        _rebase(answer, page_url)
        # the follow-ups come right after the answer (CONTRIBUTING: "??? question" block)
        follow = answer.find_next_sibling()
        if follow is not None and follow.name == "details" \
                and "question" in follow.get("class", []):
            follow.summary.decompose()
            _rebase(follow, page_url)
            q.followups_html = _inner(follow)
        _rebase(heading, page_url)
        first = answer.find("p")
        lead = first.find("strong") if first else None
        prefix = LABELS[q.lang]["short"].strip("*")
        if lead is not None and lead.get_text().strip() == prefix:
            lead.decompose()
        q.question_html = _inner(heading)
        q.short_html = _inner(first) if first else ""
        if first is not None:
            first.decompose()
        q.full_html = _inner(answer)
