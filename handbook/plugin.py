"""Wire the question bank into MkDocs; each event hands off to one module and does nothing else.

Every build (and every rebuild under `mkdocs serve`) re-reads all pages of both languages, so
the flashcards and exports can never go stale, and a malformed block stops the build with
`path:line: reason`.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from . import notfound
from .exports import write_all
from .extract import attach_html
from .flashcards import render_deck
from .katex import KatexError
from .katex import engine as katex_engine
from .model import ContentError, Question
from .parse import load_bank
from .printsite import configure as configure_print_site
from .printsite import fix_output as fix_print_site


class HandbookConfig(base.Config):
    chapters = c.ListOfItems(c.Type(str), default=[])
    downloads_dir = c.Type(str, default="downloads")


class HandbookPlugin(BasePlugin[HandbookConfig]):
    def _language(self, config: MkDocsConfig) -> str:
        i18n = config.plugins.get("i18n")
        return getattr(i18n, "current_language", None) or config.theme.get("language", "zh")

    @event_priority(-200)  # after print-site and static-i18n (-100) have set up this language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        configure_print_site(config)
        self.katex = katex_engine(config.docs_dir)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        root = self.root = Path(config.config_file_path).parent
        try:
            bank = load_bank(config.docs_dir, self.config.chapters, str(root))
        except ContentError as exc:
            raise PluginError("Malformed Q&A content:\n" + str(exc)) from None
        self.lang = self._language(config)
        self.questions: list[Question] = [q for q in bank if q.lang == self.lang]
        self.by_source: dict[Path, list[Question]] = {}
        for q in self.questions:
            self.by_source.setdefault((root / q.src_path).resolve(), []).append(q)
        self.chapter_titles: dict[str, str] = {}
        self.quiz_urls: dict[str, str] = {}
        return files

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        source = Path(page.file.abs_src_path).resolve()
        try:
            attach_html(self.by_source.get(source, []), html, page.url)
        except ValueError as exc:
            raise PluginError(str(exc)) from None
        # Typeset now (the page itself is typeset in on_post_page, from this cache) so that a
        # formula KaTeX refuses fails the build at the page and line that hold it.
        try:
            self.katex.typeset(html)
        except KatexError as exc:
            raise PluginError(exc.at(page.file.abs_src_path, self.root)) from None
        chapter, _, name = page.file.src_uri.partition("/")
        name = name.removesuffix(".md").removesuffix(".en")
        if chapter in self.config.chapters and name == "index":
            self.chapter_titles[chapter] = page.title or chapter
        elif chapter in self.config.chapters and name == "quiz":
            self.quiz_urls[chapter] = page.url
        return html

    @event_priority(50)  # before the search plugin indexes the page
    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        # The search index is shared by both languages: a page shown in another language only
        # as a fallback copy is already indexed once, in its own language.
        i18n = config.plugins.get("i18n")
        if i18n and not i18n.is_default_language_build \
                and not page.file.src_uri.endswith(f".{self.lang}.md"):
            page.meta["search"] = {**page.meta.get("search", {}), "exclude": True}
        if page.meta.get("flashcards"):
            depth = page.url.rstrip("/").count("/") + 1 if page.url else 0
            order = {ch: i for i, ch in enumerate(self.config.chapters)}
            deck = sorted(self.questions, key=lambda q: order.get(q.chapter, len(order)))
            page.content += render_deck(
                deck, self.lang, self.chapter_titles, self.quiz_urls, "../" * depth
            )
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        # After search indexed the page (on_page_context): the index keeps the TeX as written.
        return self.katex.typeset(output)

    @event_priority(-50)  # after print-site wrote its page; before static-i18n's next language
    def on_post_build(self, config: MkDocsConfig) -> None:
        fix_print_site(config, self.katex)
        i18n = config.plugins.get("i18n")
        if i18n is None or i18n.is_default_language_build:
            self.default_404 = notfound.read(config.site_dir)
        else:
            notfound.keep_default(config.site_dir, self.default_404, self.lang)
        site_url = config.site_url or ""
        folder = Path(config.site_dir) / self.config.downloads_dir
        write_all(self.questions, self.lang, config.site_name, site_url, folder, self.katex)
