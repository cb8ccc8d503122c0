"""Wire the question bank into MkDocs; each event hands off to one module and does nothing else.

Every build (and every rebuild under `mkdocs serve`) re-reads all pages of both languages, so
the flashcards and exports can never go stale, and a malformed block stops the build with
`path:line: reason`.
"""

from __future__ import annotations

from html import unescape
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from . import companion, notfound, offline, revision
from .exports import write_all
from .extract import attach_html
from .flashcards import render_deck, write_answers
from .katex import KatexError
from .katex import engine as katex_engine
from .model import ContentError, Question
from .parse import load_bank
from .printsite import configure as configure_print_site
from .printsite import fix_output as fix_print_site
from .search import write_indexes as write_search_indexes


class OfflineConfig(base.Config):
    """Installable, and usable offline after one visit (handbook/offline.py)."""
    enabled = c.Type(bool, default=True)
    short_name = c.Type(dict, default={})  # language -> the name under the home-screen icon
    theme_color = c.Type(str, default="#3f51b5")  # Material's indigo
    background_color = c.Type(str, default="#ffffff")
    # paths in the built site (fnmatch) that the service worker does not precache
    exclude = c.ListOfItems(c.Type(str), default=[])


class HandbookConfig(base.Config):
    chapters = c.ListOfItems(c.Type(str), default=[])
    offline = c.SubConfig(OfflineConfig)
    downloads_dir = c.Type(str, default="downloads")
    # groups of terms that find each other in search (abbreviations, English and Chinese names)
    search_synonyms = c.ListOfItems(c.ListOfItems(c.Type(str)), default=[])


class HandbookPlugin(BasePlugin[HandbookConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.questions_by_lang: dict[str, list[Question]] = {}  # filled as each language builds
        self.command = "build"

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` gets no service worker: it would serve cached pages over live reload
        self.command = command

    def _language(self, config: MkDocsConfig) -> str:
        i18n = config.plugins.get("i18n")
        return getattr(i18n, "current_language", None) or config.theme.get("language", "zh")

    @event_priority(100)  # before the other plugins read the date or the git history
    def _configure_revision(self, config: MkDocsConfig) -> MkDocsConfig:
        revision.configure(config)
        return config

    @event_priority(-200)  # after print-site and static-i18n (-100) have set up this language
    def _configure_print_site(self, config: MkDocsConfig) -> MkDocsConfig:
        configure_print_site(config)
        self.katex = katex_engine(config.docs_dir)
        return config

    on_config = CombinedEvent(_configure_revision, _configure_print_site)

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
        self.quiz_sizes: dict[str, int] = {}  # questions on each chapter's quiz page
        self.deck_pages: list[tuple[Path, str, list[Question]]] = []  # (dest, root, deck)
        self.companion_pages: list[tuple[Path, str, str]] = []  # (dest, root, kind)
        return files

    def on_nav(self, nav, config: MkDocsConfig, files: Files):
        # The deck and the exports follow the reading order: chapters as configured, then the
        # pages as the nav lists them (the bank itself comes in file-name order).
        where = {Path(p.file.abs_src_path).resolve(): i for i, p in enumerate(nav.pages)}
        order = {ch: i for i, ch in enumerate(self.config.chapters)}
        def position(q: Question) -> tuple[int, int]:
            page = where.get((self.root / q.src_path).resolve(), len(where))
            return order.get(q.chapter, len(order)), page

        self.questions.sort(key=position)
        return nav

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
            # a title taken from the page's H1 is HTML (`&amp;`); the deck wants plain text
            self.chapter_titles[chapter] = unescape(page.title or chapter)
        elif chapter in self.config.chapters and name == "quiz":
            self.quiz_urls[chapter] = page.url
        return html

    @event_priority(50)  # before the search plugin indexes the page
    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        # Each language has its own search index (handbook/search.py): a page shown in another
        # language only as a fallback copy stays out of that language's index.
        i18n = config.plugins.get("i18n")
        if i18n and not i18n.is_default_language_build \
                and not page.file.src_uri.endswith(f".{self.lang}.md"):
            page.meta["search"] = {**page.meta.get("search", {}), "exclude": True}
        # overrides/main.html: register the service worker (build), or remove an old one (serve)
        context["handbook_offline"] = self.config.offline.enabled and self.command != "serve"
        context["handbook_serve"] = self.command == "serve"
        if page.meta.get("flashcards"):
            depth = page.url.rstrip("/").count("/") + 1 if page.url else 0
            root = "../" * depth
            deck = self.questions  # in reading order (on_nav)
            # the page's own text after its title goes inside the deck, under the drill
            head, h1, intro = page.content.partition("</h1>")
            if not h1:
                head, intro = page.content, ""
            page.content = head + h1 + render_deck(
                deck, self.lang, self.chapter_titles, self.quiz_urls, root, intro
            )
            self.deck_pages.append((Path(page.file.abs_dest_path), root, deck))
        kind = page.meta.get("companion")
        if kind in companion.KINDS:
            depth = page.url.rstrip("/").count("/") + 1 if page.url else 0
            root = "../" * depth
            home = nav.homepage.url if nav.homepage else ""
            head, h1, intro = page.content.partition("</h1>")
            if not h1:
                head, intro = page.content, ""
            mount = companion.mount(kind, self.lang, root, root + home + "flashcards/")
            page.content = head + h1 + mount + intro
            self.companion_pages.append((Path(page.file.abs_dest_path), root, kind))
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        for chapter, url in self.quiz_urls.items():
            if url == page.url:  # the progress page turns saved quiz answers into a score
                self.quiz_sizes[chapter] = companion.quiz_size(output)
        # After search indexed the page (on_page_context): the index keeps the TeX as written.
        return self.katex.typeset(output)

    @event_priority(-50)  # after print-site wrote its page; before static-i18n's next language
    def _on_post_build_language(self, config: MkDocsConfig) -> None:
        fix_print_site(config, self.katex)
        self.questions_by_lang[self.lang] = self.questions
        i18n = config.plugins.get("i18n")
        if i18n is None or i18n.is_default_language_build:
            self.default_404 = notfound.read(config.site_dir)
        else:
            notfound.keep_default(config.site_dir, self.default_404, self.lang)
        folder = Path(config.site_dir) / self.config.downloads_dir
        write_all(self.questions, self.lang, config.site_name, config.site_url, folder,
                  self.katex)
        for dest, root, deck in self.deck_pages:
            write_answers(deck, dest, root, self.katex.typeset)
        for dest, root, kind in self.companion_pages:
            payload = companion.data(kind, self.questions, self.lang, self.chapter_titles,
                                     self.quiz_urls, self.quiz_sizes, root,
                                     lambda html: self.katex.typeset(html, output="mathml"))
            companion.write_data(dest, payload)
        if self.config.offline.enabled:
            default = i18n is None or i18n.is_default_language_build
            offline.write_manifest(  # at the root of this language's edition (/ or /en/)
                Path(config.site_dir) / ("" if default else self.lang), "" if default else "../",
                name=config.site_name,
                short_name=self.config.offline.short_name.get(self.lang, config.site_name),
                lang=self.lang, description=config.site_description or "",
                theme=self.config.offline.theme_color,
                background=self.config.offline.background_color)

    @event_priority(-150)  # after static-i18n (-100) built every language and the shared index
    def _on_post_build_search(self, config: MkDocsConfig) -> None:
        i18n = config.plugins.get("i18n")
        if i18n is not None and i18n.building:
            return  # a language built inside the default one: the index is not complete yet
        default = i18n.default_language if i18n is not None else self.lang
        write_search_indexes(config.site_dir, self.questions_by_lang, default,
                             self.config.search_synonyms)
        if self.config.offline.enabled and self.command != "serve":
            others = [lang for lang in i18n.build_languages if lang != default] \
                if i18n is not None else []
            search = next((p for name, p in config.plugins.items()
                           if name.split("/")[-1] == "search"), None)  # "material/search"
            search_langs = set(search.config.lang or []) if search is not None else set()
            offline.write_service_worker(Path(config.site_dir), others,
                                         self.config.offline.exclude, search_langs)

    on_post_build = CombinedEvent(_on_post_build_language, _on_post_build_search)
