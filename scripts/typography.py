#!/usr/bin/env python3
"""Chinese typography lint of the Markdown pages (part of `make lint`).

    python scripts/typography.py            # every docs/**/*.md
    python scripts/typography.py PATH ...   # these files or folders

AutoCorrect (autocorrect-py, configured by .autocorrectrc) checks spacing between Chinese and
Latin letters or digits and full-/half-width punctuation; its Python package has no command
line, so this is it, and AutoCorrect has no option to skip math and attribute lists, so this
masks them first. Two house rules AutoCorrect has no option for are checked on Chinese
pages (not *.en.md): 「」 for quotes, and an en dash (U+2013) between the numbers of a range.

Prints one `file:line:col: rule: found → expected` per finding; exit 1 if there is any.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import autocorrect_py

ROOT = Path(__file__).resolve().parent.parent
HAN = "\u3400-\u4dbf\u4e00-\u9fff"

# `## 问题？ { #id data-difficulty="2" data-tags="标签一,标签二" }`: data, not a sentence.
ATTR_LIST = re.compile(r"\{\s*#[^{}]*\}\s*$")
INLINE_MATH = re.compile(r"\$[^$]+\$")
FENCE = re.compile(r"^\s*(```|~~~)")
# `??? success "参考答案"`, `!!! warning "常见误区"`, `=== "标签"`: the quotes are Markdown syntax.
BLOCK_TITLE = re.compile(r'^\s*(!!!|\?\?\?\+?|===)\s+[\w -]*"[^"]*"\s*$')
# Inline code, HTML tags and link targets are not prose.
NOT_PROSE = re.compile(r"`[^`]*`|<[^>]*>|\]\([^)]*\)")
QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
CHINESE = re.compile(f"[{HAN}]")
EN_DASH = "\u2013"
# A range written with a tilde, ASCII or fullwidth (U+FF5E): 1~3, 0.1~0.5, 1%~5%.
RANGE = re.compile(r"\d+(\.\d+)?%?\s*[~\uff5e]\s*\d+(\.\d+)?%?")


def blank(match: re.Match[str]) -> str:
    """The match as spaces, so columns after it stay right."""
    return " " * len(match.group())


def latin(match: re.Match[str]) -> str:
    """Inline math as `xxx…`: Latin text, so it needs spaces next to Chinese (`当 $x$ 时`), but
    the formula itself, `\\text{}` and all, is not copy. Messages show it as x's."""
    return "x" * len(match.group())


def masked(text: str) -> list[str]:
    """The page's lines with the parts that are not prose masked, columns unchanged: heading
    attribute lists and display math blanked, inline math made x's. Code is left as it is
    (AutoCorrect skips it, house_findings too)."""
    lines = []
    in_fence = in_math = False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and line.strip() == "$$":
            in_math = not in_math
            line = ""
        elif in_math:
            line = ""
        elif not in_fence:
            line = INLINE_MATH.sub(latin, line)
            if line.startswith("#"):
                line = ATTR_LIST.sub(blank, line)
        lines.append(line)
    return lines


def changed_part(old: str, new: str, context: int = 12) -> str:
    """`…old part… → …new part…`: the changed span with a little context, not the whole line."""
    start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
                 min(len(old), len(new)))
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    first = max(0, start - context)
    return f"{old[first:len(old) - end + context]} → {new[first:len(new) - end + context]}"


def autocorrect_findings(path: Path, lines: list[str]) -> Iterator[tuple[int, int, str]]:
    result = autocorrect_py.lint_for("\n".join(lines), path.name)
    for finding in result.lines:
        if finding.severity == autocorrect_py.Severity.Error:
            change = changed_part(finding.old, finding.new)
            yield finding.line, finding.col, f"autocorrect: {change}"


def house_findings(lines: list[str]) -> Iterator[tuple[int, int, str]]:
    """「」 quotes and en-dash ranges in the prose of a Chinese page."""
    in_fence = in_front_matter = False
    for number, line in enumerate(lines, 1):
        if number == 1 and line == "---":
            in_front_matter = True
            continue
        if in_front_matter:
            in_front_matter = line != "---"
            continue
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or BLOCK_TITLE.match(line):
            continue
        prose = NOT_PROSE.sub(blank, line)
        for match in QUOTED.finditer(prose):
            if CHINESE.search(match.group()):
                yield number, match.start() + 1, f"quotes: {match.group()} → 「…」"
        for match in RANGE.finditer(prose):
            yield number, match.start() + 1, f"range: {match.group()} → {EN_DASH}"


def pages(args: list[str]) -> list[Path]:
    found: list[Path] = []
    for arg in args or [os.path.relpath(ROOT / "docs")]:
        path = Path(arg)
        found.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    return found


def main(args: list[str]) -> int:
    autocorrect_py.load_config((ROOT / ".autocorrectrc").read_text(encoding="utf-8"))
    count = 0
    for path in pages(args):
        lines = masked(path.read_text(encoding="utf-8"))
        findings = list(autocorrect_findings(path, lines))
        if not path.name.endswith(".en.md"):
            findings += house_findings(lines)
        for line, col, message in sorted(findings):
            print(f"{path}:{line}:{col}: {message}")
        count += len(findings)
    print(f"typography: {count} error(s)" if count else "typography: OK", file=sys.stderr)
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
