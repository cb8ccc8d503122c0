"""Keep the site's 404 page in the default language.

static-i18n writes each language's 404.html to the same site root, so the language built last
(English) replaced the Chinese page that a static host serves for every missing URL. The
default language's page goes back to the root; the other one moves under its language folder.
"""

from __future__ import annotations

from pathlib import Path

NAME = "404.html"


def read(site_dir: str) -> bytes | None:
    path = Path(site_dir) / NAME
    return path.read_bytes() if path.exists() else None


def keep_default(site_dir: str, default_page: bytes | None, lang: str) -> None:
    root = Path(site_dir) / NAME
    if default_page is None or not root.exists():
        return
    (Path(site_dir) / lang).mkdir(exist_ok=True)
    root.replace(Path(site_dir) / lang / NAME)
    root.write_bytes(default_page)
