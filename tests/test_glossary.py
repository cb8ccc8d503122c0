"""The glossary: one row per concept, one Chinese term per concept, and every term in use.

A row's names are its term with any parenthesised part removed, plus the parts in parentheses
and the alternatives separated by " / " (so "Pre-LN / Pre-Norm" and "Pre-LN (pre-normalization)"
share the name "pre-ln"). Two rows sharing a name list the same concept twice.

"Used" means: the term occurs on at least one page of the glossary's language other than the
glossary itself, ignoring case and treating hyphens, dashes and runs of spaces alike. On the
Chinese side the term is the Chinese column (its main term; spaces ignored, since a Latin word
beside Han characters gets a space). On the English side any of the row's names counts, from
the start of a word, so "GQA" uses "grouped-query attention (GQA)" and "logits" uses "logit".
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from tests.conftest import ROOT

DOCS = ROOT / "docs"
# Column order of each edition's table: (English term, Chinese term).
GLOSSARIES = {"zh": (DOCS / "glossary.md", 1, 0), "en": (DOCS / "glossary.en.md", 0, 1)}


def rows(lang: str) -> list[tuple[int, str, str]]:
    """(line number, English term, Chinese term) of every table row of a glossary."""
    path, en_col, zh_col = GLOSSARIES[lang]
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 3 or set(cells[0]) <= {"-"}:
            continue
        if cells[0] in ("中文术语", "English term"):
            continue
        found.append((number, cells[en_col], cells[zh_col]))
    return found


def main_term(term: str) -> str:
    """The term without its parenthesised part: "He (Kaiming) initialization" -> "He initialization"."""
    return re.sub(r"\s+", " ", re.sub(r"\s*[(（][^)）]*[)）]", " ", term)).strip()


def names(term: str) -> set[str]:
    """Every name a row gives its concept: main term, alternatives, parenthesised parts."""
    parts = [*re.findall(r"[(（]([^)）]*)[)）]", term), main_term(term)]
    return {norm(name) for part in parts for piece in part.split(",")
            for name in piece.split(" / ") if norm(name)}


def norm(text: str, lang: str = "en") -> str:
    text = re.sub(r"[-\u2010\u2013\u2014_/]", " ", text.lower()).replace("isation", "ization")
    return re.sub(r"\s+", "" if lang == "zh" else " ", text).strip()


def page_text(lang: str) -> str:
    """All pages of one language except the glossary, normalised like the terms."""
    pages = [p for p in DOCS.rglob("*.md") if not p.name.startswith("glossary.")]
    pages = [p for p in pages if p.name.endswith(".en.md") == (lang == "en")]
    return norm("\n".join(p.read_text(encoding="utf-8") for p in pages), lang)


@pytest.mark.parametrize("lang", GLOSSARIES)
def test_no_concept_is_listed_twice(lang):
    path = GLOSSARIES[lang][0].relative_to(ROOT)
    for column in (1, 2):
        seen: dict[str, list[int]] = defaultdict(list)
        for row in rows(lang):
            for name in names(row[column]):
                seen[name].append(row[0])
        twice = {name: lines for name, lines in seen.items() if len(lines) > 1}
        assert not twice, "\n".join(f"{path}:{lines}: '{name}' is listed twice"
                                    for name, lines in twice.items())


@pytest.mark.parametrize("lang", GLOSSARIES)
def test_one_chinese_term_per_concept(lang):
    """The Chinese column holds one term, not a list of variants."""
    path = GLOSSARIES[lang][0].relative_to(ROOT)
    bad = [f"{path}:{n}: {zh}" for n, _, zh in rows(lang) if re.search(r"[/（(、]", zh)]
    assert not bad, "\n".join(bad)


def test_both_editions_give_each_concept_the_same_chinese_term():
    zh = {norm(main_term(en)): term for _, en, term in rows("zh")}
    en = {norm(main_term(en)): term for _, en, term in rows("en")}
    assert zh.keys() == en.keys(), (zh.keys() ^ en.keys())
    differ = [f"{key}: {zh[key]} | {en[key]}" for key in zh if zh[key] != en[key]]
    assert not differ, "\n".join(differ)


@pytest.mark.parametrize("lang", GLOSSARIES)
def test_every_term_is_used_on_a_page(lang):
    path = GLOSSARIES[lang][0].relative_to(ROOT)
    text = page_text(lang)
    def used(row: tuple[int, str, str]) -> bool:
        if lang == "zh":
            return norm(main_term(row[2]), "zh") in text
        return any(re.search(r"(?<![a-z0-9])" + re.escape(name), text) for name in names(row[1]))

    column = 2 if lang == "zh" else 1
    unused = [f"{path}:{row[0]}: {row[column]}" for row in rows(lang) if not used(row)]
    assert not unused, "not used on any page:\n" + "\n".join(unused)
