"""The coding chapter shows exactly the code the tests run.

Every page of docs/coding embeds its files of solutions/ with pymdownx.snippets inside a
collapsed reference-solution block. In the BUILT site, the code of each such block must equal,
character for character, the files its source names: a hand-edited copy, a stale paste or a
snippet that failed to expand shows up here. Every solution module is shown in both languages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT

CODING = ROOT / "docs" / "coding"
SOLUTIONS = ROOT / "solutions"
SUMMARY = {"zh": "参考实现", "en": "Reference solution"}
SNIPPET = re.compile(r'^\s*--8<--\s+"([^"]+)"\s*$', re.M)
NOT_PROBLEMS = {"index", "quiz"}


def problem_pages(lang: str) -> list[Path]:
    pages = [p for p in sorted(CODING.glob("*.md")) if p.name.endswith(".en.md") == (lang == "en")]
    return [p for p in pages if p.name.split(".")[0] not in NOT_PROBLEMS]


def built(site: Path, page: Path, lang: str) -> BeautifulSoup:
    name = page.name.split(".")[0]
    prefix = "en/" if lang == "en" else ""
    return BeautifulSoup((site / f"{prefix}coding/{name}/index.html").read_text(), "lxml")


def solution_blocks(soup: BeautifulSoup, lang: str) -> list:
    return [d for d in soup.select("details.example")
            if d.summary and d.summary.get_text(strip=True) == SUMMARY[lang]]


@pytest.mark.parametrize("lang", SUMMARY)
def test_every_problem_page_shows_its_tested_files_unchanged(site: Path, lang: str):
    pages = problem_pages(lang)
    assert len(pages) >= 7, lang
    for page in pages:
        files = SNIPPET.findall(page.read_text(encoding="utf-8"))
        assert files, f"{page.relative_to(ROOT)}: no --8<-- snippet of solutions/"
        blocks = solution_blocks(built(site, page, lang), lang)
        assert len(blocks) == 1, f"{page.relative_to(ROOT)}: {len(blocks)} reference-solution blocks"
        shown = [code.get_text() for code in blocks[0].select("pre > code")]
        assert len(shown) == len(files), f"{page.relative_to(ROOT)}: {len(shown)} code blocks"
        for name, code in zip(files, shown, strict=True):
            assert name.startswith("solutions/"), name
            source = (ROOT / name).read_text(encoding="utf-8")
            assert code.rstrip("\n") == source.rstrip("\n"), f"{page.relative_to(ROOT)}: {name} differs"


@pytest.mark.parametrize("lang", SUMMARY)
def test_every_solution_module_is_on_a_page(lang: str):
    shown = {name for page in problem_pages(lang)
             for name in SNIPPET.findall(page.read_text(encoding="utf-8"))}
    modules = {f"solutions/{p.name}" for p in SOLUTIONS.glob("*.py") if p.name != "__init__.py"}
    assert modules <= shown, sorted(modules - shown)


def test_solution_package_docstring():
    assert (SOLUTIONS / "__init__.py").read_text(encoding="utf-8") == (
        '"""Reference solutions of the coding chapter, executed by the tests in '
        'tests/test_coding_*.py."""\n'
    )
