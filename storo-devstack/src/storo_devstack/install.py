"""A virtual environment per service, with its pinned releases from the package index.

Every service runs from its own environment so that each gets exactly the versions of
storo-specs and the libraries it pins; nothing is installed from a sibling folder. A
swapped service instead runs from the source folder the developer names, editable.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from storo_devstack.layout import REPOSITORY_ROOT, Layout
from storo_devstack.report import DevstackError, detail

_WHEEL = re.compile(r"^(?P<name>[A-Za-z0-9_]+)-(?P<version>[0-9][^-]*)-.*\.whl$")


def uv() -> str:
    candidates = [
        os.environ.get("UV"),
        str(Path(sys.executable).parent / "uv"),
        shutil.which("uv"),
        str(REPOSITORY_ROOT / ".tools" / "bin" / "uv"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    raise DevstackError("uv not found: run `make tools` at the repository root")


def released_version(layout: Layout, package: str) -> str | None:
    """The newest version of a package in the index, or None if it was never built."""
    wanted = package.replace("-", "_")
    versions = []
    for wheel in layout.registry.glob("*.whl"):
        match = _WHEEL.match(wheel.name)
        if match and match["name"] == wanted:
            versions.append(tuple(int(p) for p in match["version"].split(".")[:3]))
    if not versions:
        return None
    return ".".join(str(p) for p in max(versions))


def venv(layout: Layout, name: str) -> Path:
    return layout.venvs / name


def install_release(layout: Layout, name: str, package: str, version: str) -> Path:
    target = venv(layout, name)
    _uv("venv", "-q", "--allow-existing", "--python", sys.executable, str(target))
    detail(f"{package}=={version} into {target}")
    _uv(
        "pip",
        "install",
        "-q",
        "--python",
        str(target / "bin" / "python"),
        "--find-links",
        str(layout.registry),
        f"{package}=={version}",
        # A rebuilt index may hold a new wheel under the same version while a service
        # is being developed: the service's own package is always taken afresh.
        "--reinstall-package",
        package,
    )
    return target


def install_source(layout: Layout, name: str, source: Path) -> Path:
    if not (source / "pyproject.toml").exists():
        raise DevstackError(
            f"{source} has no pyproject.toml: give the folder of a service"
        )
    target = venv(layout, f"{name}-swap")
    _uv("venv", "-q", "--allow-existing", "--python", sys.executable, str(target))
    detail(f"{source} (editable) into {target}")
    _uv(
        "pip",
        "install",
        "-q",
        "--python",
        str(target / "bin" / "python"),
        "--find-links",
        str(layout.registry),
        "-e",
        str(source),
        "watchfiles",
    )
    return target


def _uv(*args: str) -> None:
    result = subprocess.run([uv(), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise DevstackError(
            f"uv {' '.join(args[:2])} failed:\n{result.stderr.strip()}\n"
            "Is the package index built? Run `make registry` at the repository root."
        )
