"""Serve the browser libraries from the site itself: files copied from node_modules at build time.

Nothing is fetched from a CDN at page load (many readers are in mainland China), and nothing
is committed twice: package.json pins each library and `npm ci` installs it.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# package -> files to serve (globs relative to the package folder); licenses travel with them.
ASSETS = {
    "katex": ["dist/katex.min.js", "dist/katex.min.css", "dist/fonts/*.woff2", "LICENSE"],
    "mermaid": ["dist/mermaid.min.js", "LICENSE"],
    "ts-fsrs": ["dist/index.umd.js", "LICENSE"],
}


def vendor_files(config: MkDocsConfig, root: Path) -> list[File]:
    """One File per vendored asset, at assets/vendor/<package>/<path below dist/>."""
    wanted = json.loads((root / "package.json").read_text())["dependencies"]
    files = []
    for package, patterns in ASSETS.items():
        folder = root / "node_modules" / package
        meta = folder / "package.json"
        if not meta.exists():
            raise PluginError(f"node_modules/{package} is missing: run `npm ci` (or `make setup`)")
        version = json.loads(meta.read_text())["version"]
        if version != wanted[package]:
            raise PluginError(
                f"node_modules/{package} is {version} but package.json pins {wanted[package]}: "
                "run `npm ci`"
            )
        for pattern in patterns:
            for path in sorted(folder.glob(pattern)):
                rel = path.relative_to(folder).as_posix().removeprefix("dist/")
                dest = f"assets/vendor/{package}/{rel}"
                files.append(File.generated(config, dest, abs_src_path=str(path)))
    return files
