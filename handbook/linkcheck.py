"""Check the built site: every internal href/src resolves to a file, every #fragment to an id.

Home-made on BeautifulSoup + lxml because linkchecker (PyPI) crawls a served site and is not
pinned here, and mkdocs-htmlproofer-plugin runs inside the build, so it never sees the print
pages and downloads written after it; this reads the finished site folder, offline, in a second.

MkDocs' own validation only sees Markdown links; this also covers raw HTML, quizzes, the
generated flashcards page, the print pages and the theme's own links and assets, in both
languages. External links are listed and counted, and fetched only on request (`external=True`),
with a timeout, at most `per_host` requests at a time and `max_per_host` URLs per host.
Problems read `page URL: link: reason`.

    python -m handbook.linkcheck site [--external] [--site-url URL]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import sys
import threading
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

# (tag, attribute) pairs that point at another resource
LINK_ATTRS = [
    ("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("img", "srcset"),
    ("source", "src"), ("source", "srcset"), ("script", "src"), ("iframe", "src"),
    ("video", "src"), ("video", "poster"), ("audio", "src"), ("track", "src"),
    ("embed", "src"), ("object", "data"), ("use", "href"), ("use", "xlink:href"),
    ("image", "href"), ("image", "xlink:href"), ("form", "action"),
]
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")
# Material links <link rel="alternate" hreflang> to every language root and probes a
# sitemap.xml next to each (STACK-NOTES P6); only the site root has one.
IGNORED_MISSING = ("sitemap.xml", "sitemap.xml.gz")
FAKE_ORIGIN = "http://site.invalid"
USER_AGENT = "llm-handbook-linkcheck/1.0 (+https://github.com/)"


@dataclass
class Problem:
    page: str
    link: str
    reason: str
    target: str = ""  # the site-relative file a deferred link waits for

    def __str__(self) -> str:
        return f"{self.page}: {self.link}: {self.reason}"


@dataclass
class Report:
    pages: int = 0
    internal: int = 0  # internal links and asset references checked
    fragments: int = 0  # of those, how many had a #fragment checked against the target's ids
    problems: list[Problem] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # links into a deferred folder (the PDF edition) whose file does not exist yet
    deferred: list[Problem] = field(default_factory=list)
    fetched: int = 0
    not_fetched: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def recheck_deferred(self, site_dir: Path | str) -> list[Problem]:
        """The deferred links whose file still does not exist (call after writing them)."""
        return [
            Problem(p.page, p.link, f"no such file: {p.target}", p.target)
            for p in self.deferred
            if not (Path(site_dir) / p.target).is_file()
        ]

    def external_hosts(self) -> Counter:
        return Counter(urlsplit(u).hostname or "?" for u in self.external)


def infer_site_url(site_dir: Path) -> str:
    """The site_url the site was built with: the canonical link of the home page."""
    index = site_dir / "index.html"
    if index.exists():
        soup = BeautifulSoup(index.read_text(encoding="utf-8", errors="replace"), "lxml")
        link = soup.find("link", rel="canonical")
        if link and link.get("href"):
            return str(link["href"])
    return "/"


class _Site:
    """The built site folder, with each HTML page's ids parsed at most once."""

    def __init__(self, root: Path):
        self.root = root
        self._ids: dict[Path, set[str]] = {}

    def ids(self, path: Path, soup: BeautifulSoup | None = None) -> set[str]:
        if path not in self._ids:
            if soup is None:
                soup = _parse(path)
            found = {str(el["id"]) for el in soup.find_all(id=True)}
            found |= {str(el["name"]) for el in soup.find_all("a", attrs={"name": True})}
            self._ids[path] = found
        return self._ids[path]

    def target(self, rel: str) -> Path | None:
        """The file a site-relative URL path is served from, or None."""
        path = self.root / rel
        # a server answers /page with a redirect to /page/
        if rel == "" or rel.endswith("/") or path.is_dir():
            path = path / "index.html"
        try:
            path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return None
        return path if path.is_file() else None


def _parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8", errors="replace"), "lxml")


def _urls(tag, attr: str) -> list[str]:
    value = tag.get(attr)
    if value is None:
        return []
    value = " ".join(value) if isinstance(value, list) else str(value)
    if attr == "srcset":
        return [part.strip().split()[0] for part in value.split(",") if part.strip()]
    return [value.strip()]


def _page_url(rel: PurePosixPath) -> str:
    """Site-relative URL of a built file: training/x/index.html -> training/x/."""
    text = rel.as_posix()
    return text[: -len("index.html")] if rel.name == "index.html" else text


def check_site(
    site_dir: Path | str,
    site_url: str | None = None,
    deferred: tuple[str, ...] = (),
) -> Report:
    """Check every *.html under site_dir. `deferred`: site-relative folders (e.g. "pdf/") whose
    files are written later; links to missing files there are listed, not failed."""
    root = Path(site_dir)
    site = _Site(root)
    site_url = site_url if site_url is not None else infer_site_url(root)
    base = urlsplit(site_url)
    base_path = base.path if base.path.endswith("/") else base.path + "/"
    own_origins = {f"{base.scheme}://{base.netloc}"} if base.netloc else set()
    report = Report()

    for path in sorted(root.rglob("*.html")):
        rel = PurePosixPath(path.relative_to(root).as_posix())
        page = _page_url(rel)
        shown = base_path + page
        soup = _parse(path)
        site.ids(path, soup)
        report.pages += 1
        here = FAKE_ORIGIN + base_path + rel.as_posix()
        for tag_name, attr in LINK_ATTRS:
            for tag in soup.find_all(tag_name, attrs={attr: True}):
                for link in _urls(tag, attr):
                    _check_link(link, here, shown, path, soup, site, report,
                                base_path, own_origins, deferred)
    return report


def _check_link(link, here, shown, path, soup, site, report, base_path, own_origins, deferred):
    if not link or link.lower().startswith(SKIP_SCHEMES):
        return
    for origin in own_origins:  # canonical and alternate links carry the full site_url
        if link.startswith(origin + "/"):
            link_local = link[len(origin):]
            break
    else:
        link_local = link
    absolute = urljoin(here, link_local)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https"):
        return
    if f"{parts.scheme}://{parts.netloc}" != FAKE_ORIGIN:
        report.external[absolute].append(shown)
        return
    report.internal += 1
    if not parts.path.startswith(base_path):
        report.problems.append(Problem(shown, link, f"outside the site ({base_path})"))
        return
    rel = unquote(parts.path[len(base_path):])
    fragment = unquote(parts.fragment)
    if rel == _rel_of(path, site.root) and not parts.query and link.startswith("#"):
        target = path
    else:
        target = site.target(rel)
    if target is None:
        if rel.rsplit("/", 1)[-1] in IGNORED_MISSING:
            return
        if any(rel.startswith(d) for d in deferred):
            report.deferred.append(Problem(shown, link, "not built yet", target=rel))
            return
        report.problems.append(Problem(shown, link, f"no such file: {rel or '/'}"))
        return
    if fragment and target.suffix == ".html":
        report.fragments += 1
        ids = site.ids(target, soup if target == path else None)
        if fragment not in ids:
            other = _page_url(PurePosixPath(_rel_of(target, site.root)))
            where = "on this page" if target == path else f"in {other}"
            report.problems.append(Problem(shown, link, f"no element with id {fragment!r} {where}"))


def _rel_of(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


# ---- external links: only on request ------------------------------------------------------


def fetch_external(
    report: Report,
    timeout: float = 10.0,
    per_host: int = 2,
    max_per_host: int = 50,
    workers: int = 8,
) -> None:
    """HEAD (then GET) each external URL; failures become problems of every page linking it."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in sorted(report.external):
        by_host[urlsplit(url).hostname or "?"].append(url)
    todo: list[str] = []
    for urls in by_host.values():
        todo += urls[:max_per_host]
        report.not_fetched += urls[max_per_host:]
    gates = {host: threading.BoundedSemaphore(per_host) for host in by_host}

    def fetch(url: str) -> str | None:
        with gates[urlsplit(url).hostname or "?"]:
            for method in ("HEAD", "GET"):
                request = urllib.request.Request(url, method=method,
                                                 headers={"User-Agent": USER_AGENT})
                try:
                    with urllib.request.urlopen(request, timeout=timeout):
                        return None
                except urllib.error.HTTPError as exc:
                    if method == "HEAD" and exc.code in (403, 405, 429, 501):
                        continue  # some servers refuse HEAD; ask again with GET
                    return f"HTTP {exc.code}"
                except (urllib.error.URLError, TimeoutError, OSError) as exc:
                    return f"unreachable: {getattr(exc, 'reason', exc)}"
            return None

    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        for url, error in zip(todo, pool.map(fetch, todo), strict=True):
            report.fetched += 1
            if error:
                for page in sorted(set(report.external[url])):
                    report.problems.append(Problem(page, url, error))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("--site-url", help="the site_url it was built with (default: inferred)")
    parser.add_argument("--external", action="store_true", help="also fetch external links")
    parser.add_argument("--list-external", action="store_true", help="print every external URL")
    args = parser.parse_args(argv)
    report = check_site(args.site_dir, args.site_url)
    if args.external:
        fetch_external(report)
    for problem in report.problems:
        print(problem)
    if args.list_external:
        for url, pages in sorted(report.external.items()):
            print(f"external: {url} ({len(pages)} links)")
    print(f"{report.pages} pages, {report.internal} internal links ({report.fragments} anchors), "
          f"{len(report.external)} external URLs; {len(report.problems)} problems")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
