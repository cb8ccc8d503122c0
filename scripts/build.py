#!/usr/bin/env python3
"""The one build command: strict build of both languages, link check, and (--pdf) the PDF edition.

    python scripts/build.py            # make build: build + check
    python scripts/build.py --pdf      # make pdf:   build (with the print pages) + check + PDFs
                                       #             and EPUBs (one Chromium render for both)
    python scripts/build.py -d /tmp/site --external

Stages print their progress and timing; the summary at the end says what failed. The exit code
is 0 only if every stage succeeded (a strict-mode warning, a broken link or anchor, a failed
PDF render), 1 otherwise, and 2 for bad arguments. Links into site/pdf/ are checked after the
PDFs are written; a build without --pdf lists them as not built rather than failing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook import epub, linkcheck, pdf  # noqa: E402 - after the path is set

PDF_FOLDER = pdf.PDF_DIR + "/"


@dataclass
class Stage:
    name: str
    seconds: float = 0.0
    ok: bool = True
    detail: str = ""
    skipped: bool = False
    lines: list[str] = field(default_factory=list)


def say(text: str = "") -> None:
    print(text, flush=True)


def run_build(args, stage: Stage) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if args.pdf:
        env["PRINT_SITE"] = "true"  # mkdocs.yml: print-site `enabled: !ENV [PRINT_SITE, false]`
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(args.config_file),
           "-d", str(args.site_dir)]
    say(f"  $ {' '.join(cmd[2:])}" + ("   (PRINT_SITE=true)" if args.pdf else ""))
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        line = line.rstrip("\n")
        log.append(line)
        if args.verbose or line.startswith(("WARNING", "ERROR", "Aborted", "Error", "Traceback")):
            say(f"  {line}")
    proc.wait()
    warnings = sum(1 for line in log if line.startswith("WARNING"))
    if proc.returncode != 0:
        stage.ok = False
        if not any(line.startswith(("WARNING", "ERROR", "Aborted")) for line in log):
            for line in log[-25:]:  # a crash: show its end
                say(f"  {line}")
        stage.detail = f"mkdocs exited {proc.returncode}"
        if warnings:
            stage.detail += f", {warnings} warnings"
    else:
        pages = sum(1 for _ in args.site_dir.rglob("*.html"))
        stage.detail = f"zh + en, {pages} HTML pages"
        if args.pdf:
            stage.detail += ", print pages included"


def run_check(args, stage: Stage) -> linkcheck.Report:
    report = linkcheck.check_site(args.site_dir, deferred=(PDF_FOLDER,))
    if args.external:
        say(f"  fetching {len(report.external)} external URLs "
            f"(timeout {args.timeout:g} s, {args.per_host} at a time per host) …")
        linkcheck.fetch_external(report, timeout=args.timeout, per_host=args.per_host)
    for problem in report.problems:
        say(f"  BROKEN {problem}")
    hosts = report.external_hosts()
    if report.external:
        fetched = f"{report.fetched} fetched" if args.external else "not fetched, use --external"
        say(f"  external: {len(report.external)} URLs on {len(hosts)} hosts ({fetched})")
        for host, n in hosts.most_common():
            say(f"    {host}: {n}")
        if args.verbose:
            for url in sorted(report.external):
                say(f"    {url}")
    if report.deferred and not args.pdf:
        targets = sorted({p.target for p in report.deferred})
        say(f"  {len(report.deferred)} links to the PDF edition not checked (written by --pdf): "
            + ", ".join(targets))
    stage.ok = report.ok
    stage.detail = (f"{report.pages} pages, {report.internal} internal links and assets "
                    f"({report.fragments} with #anchors), {len(report.external)} external; "
                    f"{len(report.problems)} broken")
    return report


def run_pdf(args, stage: Stage, report: linkcheck.Report | None) -> None:
    site_url = linkcheck.infer_site_url(args.site_dir)
    try:
        results = pdf.render(args.site_dir, site_url, capture=epub.capture)
        books = [epub.write(r.captured, args.site_dir / pdf.PDF_DIR / epub.epub_name(r.lang))
                 for r in results]
    except Exception as exc:  # a RenderError, or Playwright/Chromium failing: fail the stage
        stage.ok = False
        stage.detail = "render failed"
        for line in f"{type(exc).__name__}: {exc}".splitlines()[:30]:
            say(f"  ERROR {line}")
        return
    parts = []
    for r in results:
        size = r.path.stat().st_size / 1e6
        say(f"  {r.path.relative_to(args.site_dir)}: {r.pages} pages, {size:.1f} MB, "
            f"{r.diagrams} diagrams, {r.formulas} formulas")
        for note in r.notes:
            say(f"    note: {note}")
        parts.append(f"{r.lang} {r.pages} pages")
    for r, book in zip(results, books, strict=True):
        size = book.path.stat().st_size / 1e6
        say(f"  {book.path.relative_to(args.site_dir)}: {book.chapters} chapters, {size:.1f} MB, "
            f"{book.diagrams} diagrams, {book.formulas} formulas")
        for note in book.notes:
            say(f"    note: {note}")
        parts.append(f"{r.lang} EPUB {size:.1f} MB")
    stage.detail = ", ".join(parts)
    if report is not None:
        missing = report.recheck_deferred(args.site_dir)
        for problem in missing:
            say(f"  BROKEN {problem}")
        if missing:
            stage.ok = False
            stage.detail += f"; {len(missing)} links to the PDFs still broken"
        elif report.deferred:
            stage.detail += f"; the {len(report.deferred)} links to them resolve"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdf", action="store_true", help="also render site/pdf/*.pdf and *.epub")
    parser.add_argument("--external", action="store_true", help="also fetch external links")
    parser.add_argument("-d", "--site-dir", type=Path, default=ROOT / "site",
                        help="output folder (default: site/)")
    parser.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml")
    parser.add_argument("--no-build", action="store_true",
                        help="check (and print) an existing build instead of building")
    parser.add_argument("--timeout", type=float, default=10.0, help="per external request, s")
    parser.add_argument("--per-host", type=int, default=2, help="parallel requests per host")
    parser.add_argument("-v", "--verbose", action="store_true", help="show all mkdocs output")
    args = parser.parse_args(argv)
    args.site_dir = args.site_dir.resolve()

    stages = [Stage("build"), Stage("check"), Stage("pdf", skipped=not args.pdf)]
    report = None
    total = time.perf_counter()
    for number, stage in enumerate(stages, 1):
        if stage.skipped:
            continue
        say(f"[{number}/{len(stages)}] {stage.name} …")
        start = time.perf_counter()
        if stage.name == "build":
            if args.no_build:
                stage.skipped, stage.detail = True, f"existing {args.site_dir}"
                if not (args.site_dir / "index.html").exists():
                    stage.ok, stage.detail = False, f"{args.site_dir} has no index.html"
            else:
                run_build(args, stage)
        elif stage.name == "check":
            if not stages[0].ok:
                stage.skipped, stage.ok, stage.detail = True, False, "not run: the build failed"
            else:
                report = run_check(args, stage)
        elif stage.name == "pdf":
            if not stages[0].ok:
                stage.skipped, stage.ok, stage.detail = True, False, "not run: the build failed"
            else:
                run_pdf(args, stage, report)
        stage.seconds = time.perf_counter() - start
        mark = "ok" if stage.ok else "FAILED"
        say(f"      {mark} in {stage.seconds:.1f} s: {stage.detail}")

    ok = all(s.ok for s in stages)
    say()
    say("Summary")
    for stage in stages:
        if stage.name == "pdf" and not args.pdf:
            say(f"  {stage.name:<6} skipped (use --pdf)")
            continue
        mark = "skipped" if stage.skipped and stage.ok else "ok" if stage.ok else "FAILED"
        time_s = f"{stage.seconds:6.1f} s" if stage.seconds else "     - "
        say(f"  {stage.name:<6} {mark:<7} {time_s}  {stage.detail}")
    say(f"  total  {'ok' if ok else 'FAILED':<7} {time.perf_counter() - total:6.1f} s  "
        f"site: {args.site_dir}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
