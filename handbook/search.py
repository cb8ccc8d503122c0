"""One search index per language, with answers first and Chinese matched the way people type.

Material's search plugin writes a single index (static-i18n stacks every language into it).
After the build, `write_indexes` splits it by language (`search/search_index.json` for the
default language, `<lang>/search/search_index.json` for the others; each page's search.js
asks for its own) and ranks it:

* every question is its own entry (Material already cuts pages at headings); a question page's
  own heading gets a low boost and pages without questions (chapter overviews, quizzes,
  widgets, glossary, home) a lower one, so they stay findable but never crowd out an answer.
  A `search: boost:` in a page's front matter scales all of that page's entries.
* hidden fields, weighed in mkdocs.yml: `aka` holds the parts and synonyms of a question's
  heading, weighed like the heading; `keys` its tags with their parts and synonyms; `words` the
  parts and synonyms of the text, weighed like the text. Parts are the dictionary words inside
  longer Chinese words (编码 inside 位置编码, as jieba's search-engine mode does); synonyms come
  from mkdocs.yml (KV cache / KV 缓存). So a compound, its parts and its other names all match,
  and the text shown in results does not repeat them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import unescape
from pathlib import Path

import jieba

from .model import Question

QUESTION_PAGE_BOOST = 0.1  # the page heading above its questions
OTHER_PAGE_BOOST = 0.01  # pages without questions
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
TAG = re.compile(r"<[^>]+>")
SPLIT = re.compile(r"\W+")  # words; U+200B, between Chinese words, is no word character


def parts(word: str) -> list[str]:
    """Dictionary words inside a longer Chinese word: 旋转位置编码 -> 旋转, 位置, 编码, 位置编码."""
    jieba.dt.check_initialized()
    freq = jieba.dt.FREQ
    return [word[i:j] for i in range(len(word)) for j in range(i + 2, len(word) + (i > 0))
            if freq.get(word[i:j], 0) > 0]


def plain(html: str) -> str:
    return unescape(TAG.sub(" ", html))


def synonyms_in(text: str, groups: list[list[str]]) -> list[str]:
    """Every member of each synonym group that the text mentions (case-insensitive; Latin
    members only as whole words)."""
    low = text.lower()
    found: list[str] = []
    for group in groups:
        for term in group:
            t = term.lower()
            hit = (t in low) if HAN.search(t) else re.search(
                rf"(?<![a-z0-9]){re.escape(t)}(?![a-z0-9])", low)
            if hit:
                found += group
                break
    return found


def hidden_words(segmented: str, groups: list[list[str]]) -> str:
    """The terms a text is found by beyond its own words: the parts of its Chinese words and
    the synonyms of terms it uses. `segmented` has its Chinese cut into words already."""
    tokens = set(SPLIT.split(segmented))
    extra = {part for token in tokens if HAN.fullmatch(token) for part in parts(token)}
    extra |= set(synonyms_in(segmented.replace("\u200b", ""), groups))
    return " ".join(sorted(extra - tokens))


def segment(text: str) -> str:
    """Chinese runs cut into words (as Material does for title and text), Latin kept."""
    return HAN.sub(lambda m: "\u200b" + "\u200b".join(jieba.cut(m.group(0))) + "\u200b", text)


def rank(docs: list[dict], questions: Iterable[Question], groups: list[list[str]]) -> None:
    by_url = {q.url: q for q in questions}
    question_pages = {q.page_url for q in by_url.values()}
    for doc in docs:
        page = doc["location"].split("#")[0]
        q = by_url.get(doc["location"])
        if q is not None:
            doc["aka"] = hidden_words(doc["title"], groups)
            tags = segment(" ".join(q.tags))
            doc["keys"] = " ".join(filter(None, [tags, hidden_words(tags, groups)]))
        else:  # a front-matter boost (Material copies it to every entry) scales the rank
            low = QUESTION_PAGE_BOOST if page in question_pages else OTHER_PAGE_BOOST
            doc["boost"] = low * doc.get("boost", 1)
        extra = hidden_words(plain(doc["title"] + " " + doc["text"]), groups)
        if extra:
            doc["words"] = extra


def language_of(location: str, languages: Iterable[str], default: str) -> str:
    return next((lang for lang in languages
                 if lang != default and location.startswith(f"{lang}/")), default)


def restore_page_entries(entries: list[dict], default_entries: list[dict], lang: str) -> None:
    """Put back the page entries static-i18n dropped as duplicates: it removes a translated
    page's own entry when its title and intro text equal the default language's (a page titled
    GraphRAG in both languages, with no intro), and Material shows no result of a page whose
    own entry is missing."""
    have = {e["location"] for e in entries}
    originals = {e["location"]: e for e in default_entries}
    for i in range(len(entries) - 1, -1, -1):
        page = entries[i]["location"].split("#")[0]
        first_of_page = i == 0 or entries[i - 1]["location"].split("#")[0] != page
        original = originals.get(page.removeprefix(f"{lang}/"))
        if first_of_page and page not in have and original is not None:
            entries.insert(i, {**original, "location": page})
            have.add(page)


def write_indexes(site_dir: str, questions: dict[str, list[Question]], default: str,
                  groups: list[list[str]]) -> list[Path]:
    """Split the combined index of the build into one ranked index per language."""
    site = Path(site_dir)
    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs: dict[str, list[dict]] = {lang: [] for lang in questions}
    for doc in data["docs"]:
        docs.setdefault(language_of(doc["location"], questions, default), []).append(doc)
    for lang, entries in docs.items():
        if lang != default:
            restore_page_entries(entries, docs.get(default, []), lang)
    written = []
    for lang, entries in docs.items():
        rank(entries, questions.get(lang, []), groups)
        # English words occur on every page; other lunr languages only in their own index
        config = {**data["config"],
                  "lang": [x for x in data["config"]["lang"] if x in (lang, "en")] or ["en"]}
        path = site / ("" if lang == default else lang) / "search" / "search_index.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"config": config, "docs": entries}, ensure_ascii=False,
                                   separators=(",", ":")), encoding="utf-8")
        written.append(path)
    return written
