"""handbook/linkcheck.py: a small planted site with known faults, then the real site."""

from __future__ import annotations

import shutil
from pathlib import Path

from handbook import linkcheck

from .conftest import serve

FIXTURE = Path(__file__).parent / "fixtures" / "linkcheck-site"


def check(**kwargs) -> linkcheck.Report:
    return linkcheck.check_site(FIXTURE, **kwargs)


def test_finds_the_planted_page_link_anchor_and_image():
    report = check(deferred=("pdf/",))
    assert sorted(map(str, report.problems)) == [
        "/book/: guide/#no-such-heading: no element with id 'no-such-heading' in guide/",
        "/book/: guide/img/missing.png: no such file: guide/img/missing.png",
        "/book/: missing/: no such file: missing/",
    ]
    assert not report.ok


def test_counts_what_it_checked():
    report = check(deferred=("pdf/",))
    assert report.pages == 3
    # index: css, alternate, 5 good links, 3 planted faults, 2 srcset + 1 src, the pdf, sitemap;
    # guide: css, 2 links, 1 img; en: css, 1 link, sitemap probe
    assert report.internal == 23
    assert report.fragments == 4  # guide/#setup, #top, guide/#no-such-heading, ../en/#start


def test_lists_external_links_without_fetching_them():
    report = check()
    assert dict(report.external) == {
        "https://external.example/paper": ["/book/", "/book/"],
    }
    assert report.external_hosts() == {"external.example": 1}
    assert report.fetched == 0


def test_a_deferred_folder_is_listed_until_its_files_exist(tmp_path):
    report = check(deferred=("pdf/",))
    assert [(p.page, p.target) for p in report.deferred] == [("/book/", "pdf/book.pdf")]
    assert not any("pdf/" in p.link for p in report.problems)
    site = tmp_path / "s"
    shutil.copytree(FIXTURE, site)
    assert [p.target for p in report.recheck_deferred(site)] == ["pdf/book.pdf"]
    (site / "pdf").mkdir()
    (site / "pdf" / "book.pdf").write_bytes(b"%PDF-1.7\n")
    assert report.recheck_deferred(site) == []
    # without deferral the same link is simply broken
    assert any(p.link == "pdf/book.pdf" for p in check().problems)


def test_site_url_is_read_from_the_canonical_link():
    assert linkcheck.infer_site_url(FIXTURE) == "https://example.org/book/"
    # told another site_url, the root-relative /book/ links leave the site
    report = check(site_url="https://example.org/other/")
    outside = [p.link for p in report.problems if p.reason.startswith("outside the site")]
    assert {"/book/guide/", "/book/en/", "https://example.org/book/guide/"} <= set(outside)


def test_cli_exit_code(capsys):
    assert linkcheck.main([str(FIXTURE)]) == 1
    out = capsys.readouterr().out
    assert "/book/: missing/: no such file: missing/" in out
    assert "3 pages" in out


def test_external_fetch_reports_dead_links_with_a_per_host_cap(tmp_path):
    (tmp_path / "ok.html").write_text("ok")
    server, url = serve(tmp_path)
    try:
        report = linkcheck.Report()
        report.external[url + "ok.html"].append("/a/")
        report.external[url + "gone.html"].append("/b/")
        report.external[url + "zzz.html"].append("/c/")
        linkcheck.fetch_external(report, timeout=5, per_host=1, max_per_host=2)
    finally:
        server.shutdown()
    assert report.fetched == 2
    assert report.not_fetched == [url + "zzz.html"]
    assert [str(p) for p in report.problems] == [f"/b/: {url}gone.html: HTTP 404"]


def test_the_real_site_has_no_broken_link_anchor_or_asset(site):
    report = linkcheck.check_site(site, deferred=("pdf/",))
    assert report.problems == [], "\n".join(map(str, report.problems[:30]))
    assert report.pages > 40
    assert report.internal > 1000 and report.fragments > 100
    # both languages were checked, and the home pages link to their PDF and EPUB editions
    targets = {p.target for p in report.deferred}
    assert targets == {f"pdf/llm-handbook-{lang}.{ext}" for lang in ("zh", "en")
                       for ext in ("pdf", "epub")}
