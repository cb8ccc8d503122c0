"""The committed browser libraries: the pinned versions, byte for byte, and a build that needs
no node_modules."""

from __future__ import annotations

import shutil
from pathlib import Path

from handbook import vendor
from tests.conftest import ROOT, make_project, mkdocs_build


def test_committed_libraries_match_the_pinned_versions():
    assert vendor.problems(ROOT) == []
    assert set(vendor.pinned(ROOT)) == set(vendor.ASSETS)
    for package in vendor.ASSETS:  # each library travels with its licence
        assert (ROOT / vendor.VENDOR / package / "LICENSE").stat().st_size > 500


def test_a_changed_or_stray_file_is_reported(tmp_path: Path):
    for name in ("package.json", "package-lock.json"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / vendor.VENDOR, tmp_path / vendor.VENDOR)
    katex = tmp_path / vendor.VENDOR / "katex"
    (katex / "katex.min.css").write_text("/* edited by hand */", encoding="utf-8")
    (katex / "extra.js").write_text("", encoding="utf-8")
    (tmp_path / vendor.VENDOR / "ts-fsrs" / "index.umd.js").unlink()
    found = vendor.problems(tmp_path)
    assert any("katex.min.css: differs" in p for p in found)
    assert any("extra.js: not in the manifest" in p for p in found)
    assert any("index.umd.js: missing" in p for p in found)


def test_a_copy_without_node_modules_builds_and_serves_the_libraries(tmp_path: Path):
    config = make_project(tmp_path / "project", {})
    assert not (config.parent / "node_modules").exists()
    result = mkdocs_build(tmp_path / "site", config)
    assert result.returncode == 0, result.stderr[-3000:]
    for rel in ("katex/katex.min.css", "katex/fonts/KaTeX_Main-Regular.woff2",
                "mermaid/mermaid.min.js", "ts-fsrs/index.umd.js"):
        assert (tmp_path / "site" / "assets" / "vendor" / rel).stat().st_size > 1000, rel
