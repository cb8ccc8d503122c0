"""Smoke run of the benchmark (`scripts/bench.py --smoke`), so that `make bench` cannot rot.

Timings are not checked here (they do not belong in tests); only that every stage runs and the
JSON report has the shape the README and the budget table rely on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_smoke(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--smoke", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=1800,  # a hang guard: the PDF stage alone takes minutes
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "measure" in done.stdout and ("PASS" in done.stdout or "FAIL" in done.stdout)

    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {"meta", "build", "pages", "flashcard_scale", "budgets"}
    assert data["meta"]["mode"] == "smoke"

    for kind in ("site", "baseline"):
        assert data["build"][kind]["cold_s"] > 0
        assert data["build"][kind]["warm_s"] > 0
    pdf = data["build"]["site_pdf"]
    assert "skipped" in pdf or pdf["cold_s"] > 0

    # the study companion's pages are measured too, since the site builds them
    assert set(data["pages"]) == {"home", "chapter", "flashcards", "quiz", "mock", "progress",
                                  "baseline"}
    for name, page in data["pages"].items():
        assert page["requests"] > 0, name
        assert page["transfer_bytes"] > 0, name
        assert page["dom_elements"] > 0, name
        assert page["third_party"] == [], name
    home = data["pages"]["home"]["lighthouse"]
    assert set(home["scores"]) == {"performance", "accessibility", "best-practices", "seo"}
    assert all(0 <= v <= 100 for v in home["scores"].values())

    for lang in ("zh", "en"):
        search = data["search"][lang]
        assert search["questions"] > 0 and search["first_results_ms"] > 0, lang

    (bank,) = data["flashcard_scale"]
    assert bank["questions"] == bank["cards_shown_all"] == 20
    for key in ("build_s", "html_gzip_bytes", "first_render_ms", "filter_ms_median"):
        assert bank[key] > 0, key

    names = [b["budget"] for b in data["budgets"]]
    assert len(names) == 27  # 6 pages x 4 Lighthouse categories, page weight, filter, first render
    assert all(b["pass"] in (True, False, None) for b in data["budgets"])
