"""What a build knows about the revision it builds: where its sources live (edit links), one
date for reproducible output, and whether git history is there for the last-updated dates.

The build date is SOURCE_DATE_EPOCH when set, else the time of the last commit, else now. A
build pins it into SOURCE_DATE_EPOCH first thing (`configure`), so that everything dated in it
agrees and two builds of one commit are byte-identical: MkDocs' sitemap and sitemap.xml.gz,
the print cover (and so the EPUB), the Anki decks, the PDF.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

PROJECT = Path(__file__).resolve().parent.parent
GIT_DATES = "git-revision-date-localized"


def commit_time(root: Path) -> int | None:
    """Commit time of HEAD in the git work tree that holds root; None without git history."""
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = out.stdout.strip()
    return int(value) if out.returncode == 0 and value.isdigit() else None


def epoch(root: Path = PROJECT) -> int:
    """The build date in seconds since 1970 (UTC)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        return int(value)
    return commit_time(root) or int(time.time())


def build_date() -> str:
    """The build date as YYYY-MM-DD (UTC)."""
    return dt.datetime.fromtimestamp(epoch(), dt.UTC).date().isoformat()


def configure(config: MkDocsConfig) -> None:
    """At the start of each build: pin the build date; no edit links without a repository
    (MkDocs would warn about every page); no last-updated dates without git history (a copy
    without .git), which would otherwise stop the build."""
    root = Path(config.config_file_path).parent
    if not config.repo_url:
        config.edit_uri = None
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch(root))
    git_dates = config.plugins.get(GIT_DATES)
    if git_dates is not None and commit_time(root) is None:
        git_dates.config["enabled"] = False
