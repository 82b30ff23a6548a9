"""Frozen release bundles: what a release holds, and proof that it never changed.

`releases/<x.y.z>/` is a buildable copy of the project as it was released: the
contracts, the fixtures, the package source and its pyproject. `manifest.json` lists
the sha256 of every file in it, and `releases/index.json` the sha256 of each manifest,
so an edit to a released file, an added or removed file, or a rewritten manifest is
each detectable.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RELEASES = ROOT / "releases"
INDEX = RELEASES / "index.json"
MANIFEST = "manifest.json"
# What a release freezes, relative to the project root.
FROZEN = [
    "events",
    "api",
    "fixtures",
    "topology.json",
    "topology.schema.json",
    "src/storo_specs",
    "pyproject.toml",
    "README.md",
    "CHANGELOG.md",
]
SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_SKIP = {"__pycache__", ".mypy_cache", ".pytest_cache"}


class BundleError(Exception):
    """A release bundle is missing, malformed or changed since it was released."""


def parse_version(text: str) -> tuple[int, int, int]:
    match = SEMVER.match(text)
    if not match:
        raise BundleError(f"{text!r} is not a release number x.y.z")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(base: Path) -> Iterator[Path]:
    for entry in FROZEN:
        path = base / entry
        if path.is_file():
            yield path
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not _SKIP & set(child.parts):
                    yield child


def inventory(base: Path) -> dict[str, str]:
    """sha256 of every frozen file under `base`, by POSIX path relative to it."""
    return {p.relative_to(base).as_posix(): sha256_file(p) for p in _files(base)}


def released_versions(releases: Path = RELEASES) -> list[str]:
    if not releases.is_dir():
        return []
    found = [p.name for p in releases.iterdir() if (p / MANIFEST).is_file()]
    return sorted(found, key=parse_version)


def latest(releases: Path = RELEASES) -> str | None:
    versions = released_versions(releases)
    return versions[-1] if versions else None


def read_index(releases: Path = RELEASES) -> dict[str, Any]:
    index = releases / INDEX.name
    if not index.is_file():
        return {"releases": {}}
    loaded: dict[str, Any] = json.loads(index.read_text())
    return loaded


@dataclass(frozen=True)
class Drift:
    version: str
    problems: list[str]


def verify(version: str, releases: Path = RELEASES) -> Drift:
    """Compare a bundle with its manifest and the index; list every difference."""
    base = releases / version
    problems: list[str] = []
    manifest_path = base / MANIFEST
    if not manifest_path.is_file():
        return Drift(version, [f"{version}: no {MANIFEST}"])
    manifest = json.loads(manifest_path.read_text())
    recorded = read_index(releases)["releases"].get(version, {})
    if recorded.get("manifest_sha256") != sha256_file(manifest_path):
        problems.append(f"{version}/{MANIFEST}: differs from releases/index.json")
    if manifest.get("version") != version:
        problems.append(
            f"{version}/{MANIFEST}: names version {manifest.get('version')}"
        )
    want: dict[str, str] = manifest.get("files", {})
    have = inventory(base)
    for name in sorted(set(want) | set(have)):
        if name not in have:
            problems.append(f"{version}/{name}: removed")
        elif name not in want:
            problems.append(f"{version}/{name}: added after release")
        elif want[name] != have[name]:
            problems.append(f"{version}/{name}: content changed")
    return Drift(version, problems)


def freeze(version: str, root: Path = ROOT) -> Path:
    """Copy the frozen parts of `root` to releases/<version>/ and record hashes."""
    releases = root / "releases"
    target = releases / version
    if target.exists():
        raise BundleError(f"release {version} exists and is immutable")
    for entry in FROZEN:
        source = root / entry
        if source.is_dir():
            shutil.copytree(
                source, target / entry, ignore=shutil.ignore_patterns(*_SKIP)
            )
        elif source.is_file():
            (target / entry).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / entry)
        else:
            raise BundleError(f"{entry} is missing from the working tree")
    version_file = target / "src" / "storo_specs" / "_version.py"
    version_file.write_text(
        "# The contract release this package carries (frozen by make release).\n"
        f'VERSION = "{version}"\n'
    )
    manifest = {"version": version, "files": inventory(target)}
    (target / MANIFEST).write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    )
    index = read_index(releases)
    index["releases"][version] = {"manifest_sha256": sha256_file(target / MANIFEST)}
    index["releases"] = dict(
        sorted(index["releases"].items(), key=lambda kv: parse_version(kv[0]))
    )
    (releases / INDEX.name).write_text(json.dumps(index, indent=2) + "\n")
    return target
