"""The Chinese seed content: every source topic present once, complete, and in our own words."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from handbook.parse import LABELS, load_bank
from tests.conftest import ROOT, configured_chapters

CHAPTERS = configured_chapters()
# The source article's 22 topics (CONTENT-REVIEW.md slug index) and their chapters.
SEED_SLUGS = {
    "transformer-architecture": "transformer",
    "transformer-advantages": "transformer",
    "contextual-attention-weights": "transformer",
    "absolute-positional-encoding": "position-encoding",
    "positional-encoding-types": "position-encoding",
    "llama-rope-why": "position-encoding",
    "layernorm-vs-batchnorm": "training",
    "transformer-efficiency-optimization": "training",
    "transformer-convergence-tricks": "training",
    "transformer-overfitting": "training",
    "vanishing-exploding-gradients": "training",
    "catastrophic-forgetting-finetuning": "training",
    "llm-app-tech-stack": "applications",
    "rag-vs-agent": "applications",
    "rag-vs-finetuning": "applications",
    "llm-hallucination": "applications",
    "llm-performance-optimization": "inference",
    "model-compression-quant-distill-prune": "inference",
    "sampling-temperature-top-p-top-k": "decoding",
    "llm-evaluation-metrics": "evaluation",
    "data-parallelism": "distributed",
    "model-parallelism": "distributed",
}
SHARED = Path(ROOT.parent / "shared")


@pytest.fixture(scope="module")
def bank():
    return [q for q in load_bank(str(ROOT / "docs"), CHAPTERS, str(ROOT)) if q.lang == "zh"]


def test_every_seed_topic_is_present_once_in_its_chapter(bank):
    assert len(SEED_SLUGS) == 22
    for slug, chapter in SEED_SLUGS.items():
        found = [q for q in bank if q.id == slug]
        assert len(found) == 1, slug
        assert found[0].chapter == chapter, slug


def block_of(q) -> str:
    """The Markdown of one question, from its heading to the next level-2 heading."""
    lines = (ROOT / q.src_path).read_text(encoding="utf-8").splitlines()[q.line - 1:]
    end = next((i for i, line in enumerate(lines[1:], 1) if line.startswith("## ")), len(lines))
    return "\n".join(lines[:end])


def test_every_question_has_short_answer_follow_ups_and_references(bank):
    labels = LABELS["zh"]
    for q in bank:
        text = block_of(q)
        assert labels["short"] in text, q.id
        assert '??? question "追问"' in text, q.id
        refs = text.split(labels["refs"], 1)[1]
        assert re.search(r"^- .*(20\d\d|19\d\d)", refs, re.M), f"{q.id}: references need a year"


def test_corrected_misconceptions_are_called_out(bank):
    """Each ranked error of the source article is corrected in a visible warning."""
    callouts = {q.id for q in bank if '!!! warning "常见误区"' in block_of(q)}
    for slug in ("transformer-architecture", "llama-rope-why", "absolute-positional-encoding",
                 "layernorm-vs-batchnorm", "transformer-overfitting", "rag-vs-finetuning",
                 "llm-app-tech-stack", "vanishing-exploding-gradients", "data-parallelism"):
        assert slug in callouts, slug


def test_every_chapter_has_an_index_and_a_quiz():
    for chapter in CHAPTERS:
        index = (ROOT / "docs" / chapter / "index.md").read_text(encoding="utf-8")
        assert "(quiz.md)" in index, chapter
        quiz = (ROOT / "docs" / chapter / "quiz.md").read_text(encoding="utf-8")
        assert quiz.count("<quiz>") >= 6, chapter
        assert "[[" in quiz, f"{chapter}: needs a fill-in-the-blank question"
        assert re.search(r"^- \[x\]", quiz, re.M) and re.search(r"^- \[ \]", quiz, re.M), chapter


@pytest.mark.skipif(not (SHARED / "tools/copycheck.py").exists(), reason="shared/ not beside the repo")
def test_no_sentence_is_copied_from_the_source_article():
    result = subprocess.run([sys.executable, str(SHARED / "tools/copycheck.py"), "docs/"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_chinese_typography_spaces_between_han_and_latin(bank):
    """A space between Chinese and Latin letters or digits, outside code, math and links."""
    bad = []
    for path in sorted((ROOT / "docs").glob("*/*.md")):
        if path.name.endswith(".en.md"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            prose = re.sub(r"`[^`]*`|\$[^$]*\$|\]\([^)]*\)|\{[^}]*\}|<[^>]*>|\[\[[^]]*\]\]", " ", line)
            if re.search(r"[\u4e00-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u4e00-\u9fff]", prose):
                bad.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert len(bad) <= 0, "\n".join(bad[:30])
