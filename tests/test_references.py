"""Every reference on every page links to its source.

A reference list is the list right after a `**参考文献：**` / `**References:**` paragraph. Each
item needs at least one Markdown link to an http(s) page, and every arXiv id it names is itself
a link to that paper's abstract page (https://arxiv.org/abs/ID), not to a PDF or a mirror.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from handbook.parse import LABELS
from tests.conftest import ROOT

HEADINGS = {LABELS[lang]["refs"] for lang in LABELS}
LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
ARXIV_ID = re.compile(r"arXiv:\s*(\d{4}\.\d{4,5})")


def reference_items() -> Iterator[tuple[str, str]]:
    """("docs/page.md:LINE", item text) for every item of every reference list."""
    for path in sorted((ROOT / "docs").rglob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if line.strip() not in HEADINGS:
                continue
            for offset, item in enumerate(lines[number:], number + 1):
                if item.startswith("- "):
                    yield f"{path.relative_to(ROOT)}:{offset}", item
                elif item.strip():
                    break


def test_pages_have_reference_lists():
    assert len(list(reference_items())) > 500


def test_every_reference_links_to_its_source():
    bad = [f"{where}: no link: {item[:90]}" for where, item in reference_items()
           if not LINK.search(item)]
    assert not bad, "\n".join(bad)


def test_every_arxiv_id_links_to_its_abstract_page():
    bad = []
    for where, item in reference_items():
        linked = {text: url for text, url in LINK.findall(item)}
        outside = LINK.sub("", item)
        bad += [f"{where}: arXiv:{i} is not a link" for i in ARXIV_ID.findall(outside)]
        for text, url in linked.items():
            ids = ARXIV_ID.findall(text)
            if ids and url != f"https://arxiv.org/abs/{ids[0]}":
                bad.append(f"{where}: [{text}] links to {url}")
            if "arxiv.org" in url and not re.fullmatch(r"https://arxiv\.org/abs/\d{4}\.\d{4,5}", url):
                bad.append(f"{where}: {url} is not an arXiv abstract page")
    assert not bad, "\n".join(bad)
