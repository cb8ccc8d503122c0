"""Make mkdocs-print-site 2.9 work with mkdocs-static-i18n 1.3.1: one print page per language.

Without these fixes (STACK-NOTES §4) print-site writes only `site/print_page/`, with the
English content (it never gets static-i18n's `en/` prefix), adds its CSS/JS once more for every
language build, and copies an absolute `"base"` into the page, so Material's JavaScript breaks
(and the answers stay collapsed) whenever the site is served under another path.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import get_relative_url
from mkdocs_print_site_plugin.urls import get_page_key

from .katex import Katex
from .revision import build_date

PLUGIN = "print-site"
TEXT = {
    "zh": {"title": "打印全书", "toc": "目录", "built": "构建日期：",
           "print_hint": "整本书，答案全部展开"},
    "en": {"title": "Print the whole book", "toc": "Contents", "built": "Built on ",
           "print_hint": "The whole book, every answer expanded"},
}


def _plugin(config: MkDocsConfig):
    plugin = config.plugins.get(PLUGIN)
    return plugin if plugin is not None and plugin.config.get("enabled") else None


def _dedupe(items: list) -> list:
    seen, out = set(), []
    for item in items:
        key = str(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _languages(config: MkDocsConfig) -> tuple[str, str]:
    """(language being built, default language) as static-i18n sees them."""
    i18n = config.plugins.get("i18n")
    lang = getattr(i18n, "current_language", None) or config.theme.get("language", "en")
    return lang, getattr(i18n, "default_language", None) or lang


def configure(config: MkDocsConfig) -> None:
    """Run after print-site's and static-i18n's on_config, once per language build."""
    plugin = _plugin(config)
    if plugin is None:
        return
    lang, default_lang = _languages(config)
    # print-site prepends its assets on every on_config; static-i18n calls it once per language
    config.extra_css[:] = _dedupe(config.extra_css)
    config.extra_javascript[:] = _dedupe(config.extra_javascript)
    text = TEXT.get(lang, TEXT["en"])
    plugin.config["toc_title"] = text["toc"]
    plugin.print_page.title = text["title"]
    # for the cover template (handbook/templates/print-cover.html)
    url = (config.site_url or "") + ("" if lang == default_lang else f"{lang}/")
    config.extra["print_cover"] = {"lang": lang, "date": build_date(), "url": url, **text}
    if lang != default_lang:
        file = plugin.print_file
        file.dest_uri = f"{lang}/{file.dest_uri}"
        file.url = f"{lang}/{file.url}"
        file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_uri))


def _nav_pages(items) -> list:
    pages = []
    for item in items:
        if getattr(item, "is_page", False):
            pages.append(item)
        pages += _nav_pages(getattr(item, "children", None) or [])
    return pages


def _fix_dangling(html: str, pages: list, site_url: str) -> str:
    """print-site turns a link to any page into `#<page key>[-<anchor>]`, even for pages it
    left out (quizzes, flashcards): point those at the page on the website instead."""
    ids = set(re.findall(r"""\sid=["']([^"']+)["']""", html))
    keys = sorted(((get_page_key(p.url), p.url) for p in pages), key=lambda kv: -len(kv[0]))

    def repl(match: re.Match) -> str:
        target = match.group(2)
        if target in ids:
            return match.group(0)
        for key, url in keys:
            if target == key or target.startswith(key + "-"):
                anchor = target[len(key) + 1:]
                return f"{match.group(1)}{site_url}{url}{'#' + anchor if anchor else ''}\""
        return match.group(0)

    return re.sub(r'(href=")#([^"]+)"', repl, html)


def fix_output(config: MkDocsConfig, katex: Katex) -> Path | None:
    """After print-site has written the page: fix what the combined page got wrong, and
    typeset its formulas (print-site renders it without MkDocs' on_post_page)."""
    plugin = _plugin(config)
    if plugin is None:
        return None
    path = Path(plugin.print_file.abs_dest_path)
    if not path.exists():
        return None
    html = path.read_text(encoding="utf-8")
    # Material's "base" must be relative ("..", "../..") so its JavaScript (which opens the
    # answers and runs search) works wherever the site is served
    base = get_relative_url(".", plugin.print_file.url)
    html = re.sub(r'("base":\s*)"[^"]*"', lambda m: f'{m.group(1)}"{base}"', html, count=1)
    # code-line anchors (anchor_linenums): print-site prefixed the href but not the id
    html = re.sub(
        r'<a id="(__codelineno-[^"]+)" name="\1" href="#([^"]+-\1)">',
        r'<a id="\2" name="\2" href="#\2">',
        html,
    )
    site_url = config.site_url or "/"
    html = _fix_dangling(html, _nav_pages(plugin.renderer.items), site_url.rstrip("/") + "/")
    html = katex.typeset(html)
    path.write_text(html, encoding="utf-8")
    return path
