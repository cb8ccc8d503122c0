"""The Q&A parser: good blocks become records; each malformed block fails with path:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.model import ContentError
from handbook.parse import SourcePage, check_bank, en_words, parse_page, zh_units

FIXTURES = Path(__file__).parent / "fixtures"
CHAPTERS = ["training", "transformer"]

GOOD_BLOCK = """## 问题？ {{ #{qid} data-difficulty="2" }}

??? success "参考答案"

    **一句话：** 短答案。

**参考文献：**

- 来源
"""


def page(rel: str = "training/x.md") -> SourcePage:
    return SourcePage.from_rel("docs", rel, CHAPTERS)


def errors_of(text: str, rel: str = "training/x.md") -> list[str]:
    with pytest.raises(ContentError) as info:
        parse_page(page(rel), text)
    return info.value.messages


def test_good_page_yields_every_block_with_its_line():
    questions = parse_page(page("training/good.md"), (FIXTURES / "good.md").read_text())
    assert [q.id for q in questions] == ["ln-why", "escape-check"]
    first, second = questions
    assert (first.line, second.line) == (8, 28)  # counted in the file, front matter included
    assert first.question == "为什么用 LayerNorm？"
    assert first.difficulty == 2 and first.tags == ["归一化", "训练"]
    assert (first.lang, first.chapter, first.src_path) == ("zh", "training", "docs/training/good.md")
    assert second.question == "第二题：`<script>alert(1)</script>` 会被执行吗？"


def test_english_page_uses_english_labels():
    text = """# T

## Why? { #why-en data-difficulty="1" }

??? success "Answer"

    **In short:** Because.

**References:**

- A source
"""
    (q,) = parse_page(page("training/x.en.md"), text)
    assert (q.id, q.lang) == ("why-en", "en")
    assert "must start with **In short:**" in errors_of(text.replace("In short", "Briefly"), "training/x.en.md")[0]


def test_index_quiz_and_flagged_pages_are_not_question_pages():
    text = "## Anything at all\n"
    assert parse_page(page("training/index.md"), text) == []
    assert parse_page(page("training/quiz.md"), text) == []
    assert parse_page(page("training/widget.md"), "---\nquestions: false\n---\n" + text) == []
    assert parse_page(page("glossary.md"), text) == []  # not in a chapter folder


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("# T\n\n## 没有 id 的问题？\n", 3, "question heading has no id"),
        ('## 问题？ { #Bad_Id data-difficulty="1" }\n', 1, "is not kebab-case"),
        ("## 问题？ { #q1 }\n", 1, "has difficulty None"),
        ('## 问题？ { #q1 data-difficulty="5" }\n', 1, "has difficulty '5'"),
        ('## 问题？ { #q1 data-difficulty="1" }\n\n正文\n', 1, "has no answer block"),
        (
            GOOD_BLOCK.format(qid="q1") + '\n??? success "参考答案"\n\n    **一句话：** 又一个。\n',
            11,
            "has a second answer block",
        ),
        (GOOD_BLOCK.format(qid="q1").replace("**一句话：** 短答案。", "短答案。"), 3,
         "first paragraph must start with **一句话：**"),
        (GOOD_BLOCK.format(qid="q1").replace("**一句话：** 短答案。", "**一句话：**"), 3,
         "first paragraph must start with **一句话：**"),
        (GOOD_BLOCK.format(qid="q1").split("**参考文献：**")[0], 1, "has no references"),
        (GOOD_BLOCK.format(qid="q1").replace("??? success", "???+ success"), 3, "must be collapsed"),
        (GOOD_BLOCK.format(qid="q1").replace('"参考答案"', '"答案"'), 3, 'title must be "参考答案"'),
        (GOOD_BLOCK.format(qid="q1").replace("\n??? success", "先读这段\n\n??? success"), 2,
         "must come right after the heading"),
    ],
    ids=["no-id", "bad-id", "no-difficulty", "unknown-difficulty", "no-answer", "two-answers",
         "no-short-answer", "empty-short-answer", "no-references", "open-answer", "wrong-title",
         "text-before-answer"],
)
def test_malformed_block_reports_line_and_reason(text, line, reason):
    (message,) = errors_of(text)
    assert message.startswith(f"docs/training/x.md:{line}: ")
    assert reason in message


EN_BLOCK = """## Why? {{ #{qid} data-difficulty="1" }}

??? success "Answer"

    **In short:** {short}

**References:**

- A source
"""


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("它只看单个样本自己的特征。", 12),
        ("用 top-p 采样，$T<1$ 时分布更尖锐", 13),  # 用 top p 采 样 T 1 时 分 布 更 尖 锐
        ("GPT-4 的 KV cache 约为 2 倍", 9),  # GPT 4 的 KV cache 约 为 2 倍
        ("见[缩放注意力](../transformer/x.md#scaled)。", 6),  # the link target is not said
        ("「RoPE」：旋转位置编码（2021）！", 8),
    ],
)
def test_zh_units_count_han_characters_and_latin_words(text, units):
    assert zh_units(text) == units


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("It only looks at one sample's own features.", 8),
        ("Use top-p sampling — with $T<1$ the peak grows.", 8),
        ("GPT-4's KV cache is about 2x larger.", 7),
        ("See [scaled attention](../transformer/x.md#scaled).", 3),
    ],
)
def test_en_words_count_tokens_with_a_letter_or_digit(text, words):
    assert en_words(text) == words


def test_short_answer_at_the_limit_passes_and_one_more_fails():
    at_limit = "字" * 73 + " top-p。"  # 73 Han characters + 2 Latin words = 75
    (q,) = parse_page(page(), GOOD_BLOCK.format(qid="q1").replace("短答案。", at_limit))
    assert q.id == "q1"
    over = "字" * 74 + " top-p。"
    (message,) = errors_of(GOOD_BLOCK.format(qid="q1").replace("短答案。", over))
    assert message.startswith("docs/training/x.md:5: ")
    assert "short answer has 76 units (Han characters plus Latin words); at most 75" in message


def test_english_short_answer_at_the_limit_passes_and_one_more_fails():
    en = page("training/x.en.md")
    (q,) = parse_page(en, EN_BLOCK.format(qid="q1", short=" ".join(["word"] * 40)))
    assert q.id == "q1"
    # A paragraph over several lines is counted whole and reported at its first line.
    over = "# T\n\n" + EN_BLOCK.format(qid="q1", short=" ".join(["word"] * 20) + " —\n    "
                                     + " ".join(["word"] * 21))
    (message,) = errors_of(over, "training/x.en.md")
    assert message.startswith("docs/training/x.en.md:7: ")
    assert "short answer has 41 words; at most 40" in message


def test_every_bad_block_of_a_page_is_reported_not_just_the_first():
    text = "## 甲 { #a }\n\n## 乙\n\n" + GOOD_BLOCK.format(qid="c")
    messages = errors_of(text)
    assert [m.split(": ")[0] for m in messages] == ["docs/training/x.md:1", "docs/training/x.md:3"]


def test_heading_inside_a_code_fence_is_not_a_question():
    text = "# T\n\n```\n## not a question\n```\n\n" + GOOD_BLOCK.format(qid="q1")
    assert [q.id for q in parse_page(page(), text)] == ["q1"]


def test_duplicate_id_across_pages_fails_with_both_places():
    a = parse_page(page("training/a.md"), GOOD_BLOCK.format(qid="same"))
    b = parse_page(page("transformer/b.md"), "# B\n\n" + GOOD_BLOCK.format(qid="same"))
    with pytest.raises(ContentError) as info:
        check_bank(a + b)
    (message,) = info.value.messages
    assert message.startswith("docs/transformer/b.md:3: duplicate id 'same'")
    assert "docs/training/a.md:1" in message


def test_same_id_in_another_chapter_in_the_other_language_fails():
    zh = parse_page(page("training/a.md"), GOOD_BLOCK.format(qid="moved"))
    en_text = GOOD_BLOCK.format(qid="moved").replace("参考答案", "Answer")
    en_text = en_text.replace("**一句话：** 短答案。", "**In short:** short.")
    en_text = en_text.replace("**参考文献：**", "**References:**")
    en = parse_page(page("transformer/a.en.md"), en_text)
    with pytest.raises(ContentError) as info:
        check_bank(zh + en)
    (message,) = info.value.messages
    assert message.startswith("docs/transformer/a.en.md:1: id 'moved' is in chapter 'transformer'")
    check_bank(zh + parse_page(page("training/a.en.md"), en_text))  # same chapter: fine
