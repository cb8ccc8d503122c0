"""Installable and offline: a web app manifest per language edition and one service worker.

* `write_manifest` writes `manifest.webmanifest` at the root of each language edition
  (`/` and `/en/`), with the edition's name, relative start URL and scope, and the icons of
  `docs/assets/icons/` (made once from the favicon by `python -m handbook.offline icons`).
* `write_service_worker` runs after every language is built (`mkdocs build` only: under
  `mkdocs serve` no worker is written or registered, so live reload keeps working). It walks
  the built site, so any new page is precached without configuration, and splits it into
  editions: the default language is everything outside the other languages' folders; another
  language is its folder plus the shared `assets/`. Big downloads (PDF, EPUB, Anki decks and the
  other exports), source maps and the search languages the site does not use are left out
  (`exclude` in mkdocs.yml). The worker's cache is named after a hash of that list and of
  every listed file's content, so each build that changes anything is a new version; the
  worker itself is `handbook/templates/sw.js`, registered by `assets/javascripts/offline.js`.
"""

from __future__ import annotations

import hashlib
import json
import re
from fnmatch import fnmatch
from pathlib import Path

TEMPLATE = Path(__file__).parent / "templates" / "sw.js"
WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
ICONS = "assets/icons"
# (file, size, purpose): the maskable one keeps the book inside the central 80 % circle
ICON_FILES = [("icon-192.png", 192, "any"), ("icon-512.png", 512, "any"),
              ("maskable-512.png", 512, "maskable")]
LUNR = re.compile(r"assets/javascripts/lunr/(?:min/lunr\.([a-z]+)\.min\.js|(tinyseg|wordcut)\.js)$")
LUNR_ALWAYS = {"stemmer", "multi"}  # lunr.stemmer.support, lunr.multi


def manifest(name: str, short_name: str, lang: str, root: str, theme: str,
             background: str, description: str = "") -> dict:
    """The manifest of one edition; `root` is the path from the manifest to the site root."""
    return {
        "id": "./",
        "name": name,
        "short_name": short_name,
        "description": description,
        "lang": lang,
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": theme,
        "background_color": background,
        "icons": [
            {"src": f"{root}{ICONS}/{file}", "sizes": f"{size}x{size}", "type": "image/png",
             "purpose": purpose}
            for file, size, purpose in ICON_FILES
        ],
    }


def write_manifest(edition_dir: Path, root: str, **fields) -> None:
    data = manifest(root=root, **fields)
    edition_dir.mkdir(parents=True, exist_ok=True)
    (edition_dir / MANIFEST).write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _searched(path: str, search_langs: set[str]) -> bool:
    """False for a lunr language file the site's search never loads."""
    m = LUNR.search(path)
    if not m:
        return True
    lang = m.group(1) or {"tinyseg": "ja", "wordcut": "th"}[m.group(2)]
    if lang in LUNR_ALWAYS:
        return True
    if m.group(2) == "wordcut":
        return bool({"th", "hi"} & search_langs)
    return lang in search_langs


def editions(site_dir: Path, languages: list[str], exclude: list[str],
             search_langs: set[str]) -> dict[str, list[tuple[str, str]]]:
    """Edition prefix ('' for the default language, 'en/' …) -> sorted (URL, content hash) of
    the files to precache; a page `x/index.html` is listed as its URL `x/`."""
    others = [f"{lang}/" for lang in languages]
    files: list[tuple[str, str]] = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site_dir).as_posix()
        if rel == WORKER or any(fnmatch(rel, pat) for pat in exclude):
            continue
        if not _searched(rel, search_langs):
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        url = rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") \
            else rel
        files.append((url or "./", digest))
    out: dict[str, list[tuple[str, str]]] = {"": []}
    for prefix in others:
        out[prefix] = []
    for url, digest in files:
        owner = next((p for p in others if url.startswith(p)), None)
        if owner is not None:
            out[owner].append((url, digest))
        else:
            out[""].append((url, digest))
            if url.startswith("assets/"):  # shared by every edition
                for prefix in others:
                    out[prefix].append((url, digest))
    return out


def write_service_worker(site_dir: Path, languages: list[str], exclude: list[str],
                         search_langs: set[str]) -> dict:
    """Write sw.js at the site root; returns {"version", "editions": {prefix: file count}}."""
    lists = editions(site_dir, languages, exclude, search_langs)
    blob = json.dumps(lists, sort_keys=True, separators=(",", ":")).encode()
    version = hashlib.sha256(blob).hexdigest()[:12]
    urls = {prefix: [url for url, _ in entries] for prefix, entries in lists.items()}
    source = TEMPLATE.read_text(encoding="utf-8")
    source = source.replace("__VERSION__", version).replace(
        "__EDITIONS__", json.dumps(urls, ensure_ascii=False, separators=(",", ":")))
    (site_dir / WORKER).write_text(source, encoding="utf-8")
    return {"version": version, "editions": {p: len(u) for p, u in urls.items()}}


def make_icons(project: Path) -> list[Path]:
    """Render docs/assets/favicon.svg into the PNG icons with headless Chromium (run once;
    the PNGs are committed): `python -m handbook.offline icons`."""
    from playwright.sync_api import sync_playwright

    from . import chromium

    svg = (project / "docs" / "assets" / "favicon.svg").read_text(encoding="utf-8")
    out_dir = project / "docs" / ICONS
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = chromium.launch(p)
        for file, size, purpose in ICON_FILES:
            page = browser.new_page(viewport={"width": size, "height": size})
            if purpose == "maskable":
                # full-bleed indigo, the book drawn inside the safe zone (the central 80 % circle)
                inner = svg.replace('rx="4"', 'rx="0"')
                body = (f'<div style="width:{size}px;height:{size}px;background:#3f51b5;'
                        f'display:grid;place-items:center">'
                        f'<div style="width:{size * 0.8}px;height:{size * 0.8}px">{inner}</div>'
                        f"</div>")
            else:
                body = f'<div style="width:{size}px;height:{size}px">{svg}</div>'
            page.set_content(
                "<style>html,body{margin:0;background:transparent}svg{width:100%;height:100%;"
                f"display:block}}</style>{body}")
            path = out_dir / file
            page.screenshot(path=str(path), omit_background=True,
                            clip={"x": 0, "y": 0, "width": size, "height": size})
            page.close()
            written.append(path)
        browser.close()
    return written


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["icons"]:
        for path in make_icons(Path(__file__).resolve().parent.parent):
            print(path)
    else:
        raise SystemExit("usage: python -m handbook.offline icons")
