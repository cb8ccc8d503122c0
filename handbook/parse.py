"""Read Q&A blocks from the Markdown source of a page, checking the contract in CONTRIBUTING.md.

Parsing works on the source text, line by line, so that every problem is reported with the
line a writer has to fix. The rendered HTML of each block is attached later (extract.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mkdocs.utils.meta import get_data

from .model import DIFFICULTIES, ContentError, Question

# What the contract calls things, per language.
LABELS = {
    "zh": {"answer": "参考答案", "short": "**一句话：**", "refs": "**参考文献：**"},
    "en": {"answer": "Answer", "short": "**In short:**", "refs": "**References:**"},
}
NOT_QUESTION_PAGES = {"index", "quiz"}
# The most a short answer may hold: about what a candidate says in 15 seconds.
SHORT_LIMITS = {"zh": 75, "en": 40}
SHORT_UNITS = {"zh": "units (Han characters plus Latin words)", "en": "words"}

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
H2_RE = re.compile(r"^##(?!#)\s*(.*?)\s*$")
ATTRS_RE = re.compile(r"\{\s*:?([^{}]*)\}\s*$")
ATTR_TOKEN_RE = re.compile(r"""#([^\s}]+)|\.([^\s}]+)|([\w-]+)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")
BLOCK_RE = re.compile(r"^(\?\?\?\+?|!!!)\s+([\w-]+)(?:\s+\"([^\"]*)\")?\s*$")
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD_RE = re.compile(r"[A-Za-z0-9]+")
LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")


@dataclass(frozen=True)
class SourcePage:
    """Where a Markdown page sits in the site: its language, chapter and whether it holds Q&A."""

    path: str  # relative to the project root, for messages
    rel: str  # relative to docs/, e.g. training/layernorm-vs-batchnorm.en.md
    lang: str
    chapter: str | None

    @classmethod
    def from_rel(cls, docs_prefix: str, rel: str, chapters: list[str]) -> SourcePage:
        parts = PurePosixPath(rel)
        stem = parts.name.removesuffix(".md")
        lang = "en" if stem.endswith(".en") else "zh"
        top = parts.parts[0] if len(parts.parts) > 1 else None
        return cls(f"{docs_prefix}/{rel}", rel, lang, top if top in chapters else None)

    @property
    def page_name(self) -> str:
        return PurePosixPath(self.rel).name.removesuffix(".md").removesuffix(".en")


def is_question_page(page: SourcePage, meta: dict) -> bool:
    """Pages in a chapter folder hold questions, except index, quiz and `questions: false`."""
    if page.chapter is None or page.page_name in NOT_QUESTION_PAGES:
        return False
    return meta.get("questions", True) is not False


def _attributes(text: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for ident, _cls, key, v1, v2, v3 in ATTR_TOKEN_RE.findall(text):
        if ident:
            attrs["id"] = ident
        elif key:
            attrs[key] = v1 or v2 or v3
    return attrs


def zh_units(text: str) -> int:
    """Length of Chinese text: Han characters plus Latin words.

    A Latin word is a maximal run of ASCII letters and digits, wherever it stands (in code and
    math too), so `top-p` is 2, `GPT-4` is 2 and `$T<1$` is 2. Punctuation, spaces and
    Markdown markup count 0; a link counts its text, not its target.
    """
    text = LINK_TARGET_RE.sub("]", text)
    return len(HAN_RE.findall(text)) + len(LATIN_WORD_RE.findall(text))


def en_words(text: str) -> int:
    """Length of English text: whitespace-separated tokens holding a letter or digit.

    So `top-p` is 1, `$T<1$` is 1 and a lone `—` is 0; a link counts its text, not its target.
    """
    text = LINK_TARGET_RE.sub("]", text)
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


SHORT_LENGTH = {"zh": zh_units, "en": en_words}


def _body_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Index and text of each line that is not inside a fenced code block."""
    out, fence = [], None
    for i, line in enumerate(lines):
        match = FENCE_RE.match(line)
        if fence is None and match:
            fence = match.group(1)[0]
            continue
        if fence is not None:
            if match and match.group(1)[0] == fence:
                fence = None
            continue
        out.append((i, line))
    return out


def parse_page(page: SourcePage, text: str) -> list[Question]:
    """All Q&A blocks of one question page; raises ContentError listing every problem."""
    body, meta = get_data(text)
    if not is_question_page(page, meta):
        return []
    offset = text[: len(text) - len(body)].count("\n")  # lines taken by the front matter
    lines = body.splitlines()
    visible = _body_lines(lines)
    headings = [i for i, line in visible if H2_RE.match(line)]
    errors: list[str] = []
    questions: list[Question] = []
    for n, start in enumerate(headings):
        end = headings[n + 1] if n + 1 < len(headings) else len(lines)
        block = [(i, line) for i, line in visible if start <= i < end]
        try:
            questions.append(_parse_block(page, block, offset))
        except ContentError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ContentError(errors)
    return questions


def _parse_block(page: SourcePage, block: list[tuple[int, str]], offset: int) -> Question:
    labels = LABELS[page.lang]
    head_index, head = block[0]

    def where(index: int) -> str:
        return f"{page.path}:{index + offset + 1}"

    title = H2_RE.match(head).group(1)
    attrs_match = ATTRS_RE.search(title)
    attrs = _attributes(attrs_match.group(1)) if attrs_match else {}
    if "id" not in attrs:
        raise ContentError([
            f"{where(head_index)}: question heading has no id; end it with "
            '{ #some-id data-difficulty="2" } (kebab-case id, unique across the site)'
        ])
    qid = attrs["id"]
    if not ID_RE.match(qid):
        raise ContentError([
            f"{where(head_index)}: id '{qid}' is not kebab-case; use lower-case letters, "
            "digits and single hyphens, e.g. layernorm-vs-batchnorm"
        ])
    difficulty = attrs.get("data-difficulty")
    if difficulty not in DIFFICULTIES:
        raise ContentError([
            f"{where(head_index)}: question '{qid}' has difficulty {difficulty!r}; "
            'set data-difficulty="1" (basic), "2" (intermediate) or "3" (advanced)'
        ])
    question = title[: attrs_match.start()].strip()
    if not question:
        raise ContentError([f"{where(head_index)}: question '{qid}' has an empty heading"])

    answers = [
        (i, m) for i, line in block if (m := BLOCK_RE.match(line)) and m.group(2) == "success"
    ]
    first = next(((i, line) for i, line in block[1:] if line.strip()), None)
    if not answers:
        raise ContentError([
            f"{where(head_index)}: question '{qid}' has no answer block; add "
            f'`??? success "{labels["answer"]}"` right after the heading'
        ])
    if len(answers) > 1:
        raise ContentError([
            f"{where(answers[1][0])}: question '{qid}' has a second answer block; "
            "each question takes exactly one `??? success` block"
        ])
    answer_index, answer = answers[0]
    if first is None or first[0] != answer_index:
        at = first[0] if first else head_index
        raise ContentError([
            f"{where(at)}: question '{qid}': the answer block must come right after the "
            "heading (only blank lines in between), so that readers can test themselves first"
        ])
    if answer.group(1) != "???":
        raise ContentError([
            f"{where(answer_index)}: question '{qid}': the answer must be collapsed; "
            f"write `???`, not `{answer.group(1)}`"
        ])
    if answer.group(3) != labels["answer"]:
        raise ContentError([
            f"{where(answer_index)}: question '{qid}': the answer block's title must be "
            f'"{labels["answer"]}" on a {page.lang} page, not {answer.group(3)!r}'
        ])

    content = [(i, line) for i, line in block if i > answer_index]
    paragraph: list[tuple[int, str]] = []
    for i, line in content:
        if not line.strip():
            if paragraph:
                break
            continue
        if not line.startswith("    "):
            break
        paragraph.append((i, line.strip()))
    short = " ".join(line for _i, line in paragraph)
    if not short.startswith(labels["short"]) or not short.removeprefix(labels["short"]).strip():
        raise ContentError([
            f"{where(answer_index)}: question '{qid}': the answer's first paragraph must start "
            f"with {labels['short']} followed by the 15-second answer"
        ])
    length = SHORT_LENGTH[page.lang](short.removeprefix(labels["short"]))
    limit = SHORT_LIMITS[page.lang]
    if length > limit:
        raise ContentError([
            f"{where(paragraph[0][0])}: question '{qid}': short answer has {length} "
            f"{SHORT_UNITS[page.lang]}; at most {limit}, so that it can be said in 15 seconds "
            "(move the detail into the full answer)"
        ])
    refs = [i for i, line in content if line.strip() == labels["refs"] and not line.startswith(" ")]
    if not refs:
        raise ContentError([
            f"{where(head_index)}: question '{qid}' has no references; add a paragraph "
            f"{labels['refs']} with a list of sources before the next question"
        ])
    if not any(line.strip() for i, line in content if i > refs[0]):
        raise ContentError([
            f"{where(refs[0])}: question '{qid}': {labels['refs']} is followed by nothing; "
            "list at least one source"
        ])
    tags = [t.strip() for t in attrs.get("data-tags", "").split(",") if t.strip()]
    return Question(
        id=qid,
        lang=page.lang,
        chapter=page.chapter or "",
        src_path=page.path,
        line=head_index + offset + 1,
        question=question,
        difficulty=DIFFICULTIES[difficulty],
        tags=tags,
    )


def check_bank(questions: list[Question]) -> None:
    """Site-wide rules: ids unique per language, and the same chapter in every language."""
    errors: list[str] = []
    seen: dict[tuple[str, str], Question] = {}
    chapters: dict[str, Question] = {}
    for q in questions:
        first = seen.setdefault((q.lang, q.id), q)
        if first is not q:
            errors.append(
                f"{q.src_path}:{q.line}: duplicate id '{q.id}', already used at "
                f"{first.src_path}:{first.line}; ids must be unique across the site"
            )
            continue
        other = chapters.setdefault(q.id, q)
        if other.chapter != q.chapter:
            errors.append(
                f"{q.src_path}:{q.line}: id '{q.id}' is in chapter '{q.chapter}' here but in "
                f"'{other.chapter}' at {other.src_path}:{other.line}; a question keeps its "
                "chapter in every language"
            )
    if errors:
        raise ContentError(errors)


def load_bank(docs_dir: str, chapters: list[str], root: str) -> list[Question]:
    """Parse every page under docs_dir (both languages) and check the whole bank.

    Paths in messages are relative to root (the project folder), e.g. docs/training/x.md.
    """
    docs = Path(docs_dir)
    prefix = docs.resolve().relative_to(Path(root).resolve()).as_posix()
    errors: list[str] = []
    questions: list[Question] = []
    for path in sorted(docs.rglob("*.md")):
        page = SourcePage.from_rel(prefix, path.relative_to(docs).as_posix(), chapters)
        try:
            questions.extend(parse_page(page, path.read_text(encoding="utf-8")))
        except ContentError as exc:
            errors.extend(exc.messages)
    try:
        check_bank(questions)
    except ContentError as exc:
        errors.extend(exc.messages)
    if errors:
        raise ContentError(errors)
    return questions
