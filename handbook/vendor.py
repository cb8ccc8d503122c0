"""The browser libraries the site serves itself, committed under docs/assets/vendor/.

Nothing is fetched from a CDN at page load (many readers are in mainland China), and building
or serving the site needs Python only: the files are committed with their licenses, and
`manifest.json` records the version and SHA-256 of each. package.json / package-lock.json pin
the versions; `make vendor` (npm ci, then `refresh`) updates the files, and `problems` is what
the tests check: committed files, manifest and pins agree.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

# package -> files to serve (globs relative to the package folder); licenses travel with them.
ASSETS = {
    "katex": ["dist/katex.min.js", "dist/katex.min.css", "dist/fonts/*.woff2", "LICENSE"],
    "mermaid": ["dist/mermaid.min.js", "LICENSE"],
    "ts-fsrs": ["dist/index.umd.js", "LICENSE"],
}
VENDOR = Path("docs/assets/vendor")
MANIFEST = VENDOR / "manifest.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pinned(root: Path) -> dict[str, str]:
    """Package -> version, as package.json pins it and package-lock.json resolved it."""
    wanted = json.loads((root / "package.json").read_text(encoding="utf-8"))["dependencies"]
    lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for package, version in wanted.items():
        locked = lock.get(f"node_modules/{package}", {}).get("version")
        if locked != version:
            raise ValueError(f"package-lock.json has {package} {locked}; package.json: {version}")
    return {package: wanted[package] for package in ASSETS}


def refresh(root: Path) -> dict:
    """Copy the pinned files from node_modules (after `npm ci`) and rewrite the manifest."""
    manifest: dict[str, dict] = {}
    for package, version in pinned(root).items():
        source = root / "node_modules" / package
        installed = json.loads((source / "package.json").read_text(encoding="utf-8"))["version"]
        if installed != version:
            raise SystemExit(f"node_modules/{package} is {installed}, pinned {version}: run npm ci")
        target = root / VENDOR / package
        shutil.rmtree(target, ignore_errors=True)
        files = {}
        for pattern in ASSETS[package]:
            for path in sorted(source.glob(pattern)):
                rel = path.relative_to(source).as_posix().removeprefix("dist/")
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target / rel)
                files[rel] = _sha256(path)
        manifest[package] = {"version": version, "files": files}
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (root / MANIFEST).write_text(text, encoding="utf-8")
    return manifest


def problems(root: Path) -> list[str]:
    """Where the committed files, the manifest and the pins disagree (empty when they agree)."""
    manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    out = []
    for package, version in pinned(root).items():
        entry = manifest.get(package, {})
        if entry.get("version") != version:
            out.append(f"{MANIFEST}: {package} is {entry.get('version')}, pinned {version}")
        folder = root / VENDOR / package
        on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        listed = set(entry.get("files", {}))
        stray = sorted(on_disk - listed)
        out += [f"{VENDOR / package / rel}: not in the manifest" for rel in stray]
        out += [f"{VENDOR / package / rel}: missing" for rel in sorted(listed - on_disk)]
        for rel in sorted(on_disk & listed):
            if _sha256(folder / rel) != entry["files"][rel]:
                out.append(f"{VENDOR / package / rel}: differs from the manifest")
    return out


if __name__ == "__main__":
    import sys

    refresh(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
