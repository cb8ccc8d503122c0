r"""Typeset the formulas pymdownx.arithmatex left as `\(…\)` and `\[…\]` with KaTeX, at build time.

The committed docs/assets/vendor/katex/katex.min.js runs in V8 (mini-racer), so readers get
typeset formulas (KaTeX HTML for the eye, MathML for screen readers) without JavaScript, in
print and in the PDF. A formula KaTeX cannot typeset is an error, not a red box on the page.
Renders are cached by (TeX, display, output) for the life of the process: a rebuild under
`mkdocs serve` typesets only formulas it has not seen before.
"""

from __future__ import annotations

import atexit
import html
import os
import re
from pathlib import Path

from py_mini_racer import MiniRacer

SCRIPT = "assets/vendor/katex/katex.min.js"  # under docs_dir
# katex.renderToString, returning KaTeX's own message instead of throwing
_RENDER = """function render(tex, options) {
  try { return {html: katex.renderToString(tex, options)}; }
  catch (e) { return {error: String(e.message)}; }
}"""
# What arithmatex (generic mode) emits: the TeX is HTML-escaped, so no tag can occur inside.
_FORMULA = re.compile(
    r'<(span|div) class="arithmatex">\s*\\([(\[])(.*?)\\[)\]]\s*</\1>', re.S
)


class KatexError(ValueError):
    """KaTeX refused a formula; `tex` is the formula as written."""

    def __init__(self, tex: str, reason: str) -> None:
        super().__init__(f"KaTeX cannot typeset `{' '.join(tex.split())}`: {reason}")
        self.tex = tex

    def at(self, source: str, root: Path) -> str:
        """The message as `path:line: reason`, the line being where the formula starts in its
        Markdown source (the path alone when the formula is not written there)."""
        first = next((ln.strip() for ln in self.tex.splitlines() if ln.strip()), "")
        lines = Path(source).read_text(encoding="utf-8").splitlines()
        line = next((i for i, text in enumerate(lines, 1) if first and first in text), None)
        return f"{os.path.relpath(source, root)}{f':{line}' if line else ''}: {self}"


class Katex:
    def __init__(self, script: Path) -> None:
        self.script = script
        self._ctx: MiniRacer | None = None
        self._cache: dict[tuple[str, bool, str], str] = {}

    def render(self, tex: str, display: bool, output: str = "htmlAndMathml") -> str:
        """KaTeX's HTML for one formula (`output`: "htmlAndMathml" or "mathml")."""
        key = (tex, display, output)
        if key not in self._cache:
            if self._ctx is None:
                self._ctx = MiniRacer()
                # closed before interpreter teardown, which could otherwise hang on V8's threads
                atexit.register(self._ctx.close)
                self._ctx.eval(self.script.read_text(encoding="utf-8"))
                self._ctx.eval(_RENDER)
            options = {"displayMode": display, "output": output, "throwOnError": True}
            result = self._ctx.call("render", tex, options)
            if "error" in result:
                raise KatexError(tex, " ".join(str(result["error"]).split()))
            self._cache[key] = str(result["html"])
        return self._cache[key]

    def typeset(self, page_html: str, output: str = "htmlAndMathml") -> str:
        """The HTML with every arithmatex formula typeset inside its arithmatex element."""

        def one(match: re.Match) -> str:
            tag, opener, tex = match.groups()
            body = self.render(html.unescape(tex), opener == "[", output)
            return f'<{tag} class="arithmatex">{body}</{tag}>'

        return _FORMULA.sub(one, page_html)


_engines: dict[Path, Katex] = {}


def engine(docs_dir: str) -> Katex:
    """The KaTeX of this site, shared by every build in this process (and so its cache)."""
    script = (Path(docs_dir) / SCRIPT).resolve()
    if script not in _engines:
        _engines[script] = Katex(script)
    return _engines[script]
