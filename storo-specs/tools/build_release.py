"""Build the wheel of released versions, each from its frozen bundle.

    python tools/build_release.py --all --out dist
    python tools/build_release.py 1.0.0 --out dist

The bundle is verified against its manifest first, then copied to a scratch folder
and built there with hatchling (its reproducible mode fixes timestamps and order), so
the wheel carries exactly the released contracts and code.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bundles import RELEASES, BundleError, released_versions, verify


def build(version: str, out: Path, releases: Path = RELEASES) -> Path:
    drift = verify(version, releases)
    if drift.problems:
        raise BundleError("; ".join(drift.problems))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "project"
        shutil.copytree(releases / version, work)
        built = Path(tmp) / "dist"
        subprocess.run(
            [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", built],
            cwd=work,
            check=True,
            capture_output=True,
        )
        (wheel,) = built.glob("*.whl")
        expected = f"storo_specs-{version}-py3-none-any.whl"
        if wheel.name != expected:
            raise BundleError(f"built {wheel.name}, expected {expected}")
        target = out / wheel.name
        shutil.copy2(wheel, target)
        return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("versions", nargs="*")
    parser.add_argument("--all", action="store_true", help="every released version")
    parser.add_argument("--out", type=Path, default=Path("dist"))
    args = parser.parse_args(argv)
    versions = released_versions() if args.all else args.versions
    if not versions:
        print("no released version to build")
        return 1
    try:
        for version in versions:
            print(f"built {build(version, args.out)}")
    except BundleError as exc:
        print(f"refused: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
