"""The browser everything here drives: Debian's Chromium (never a downloaded one).

$CHROMIUM names another binary (the deploy workflow uses the runner's Google Chrome).
"""

from __future__ import annotations

import os
from pathlib import Path

PATH = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# --no-sandbox: tests and CI run as root. The networking flags stop Chromium's own calls to
# Google's hosts, which a closed network refuses many at a time.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require() -> str:
    """The browser's path; raises FileNotFoundError naming the package to install."""
    if not Path(PATH).exists():
        raise FileNotFoundError(
            f"{PATH} is missing: run scripts/system-deps.sh (Debian package chromium)"
        )
    return PATH


def launch(playwright):
    """A headless browser from a sync_playwright() context."""
    return playwright.chromium.launch(executable_path=require(), args=ARGS)
