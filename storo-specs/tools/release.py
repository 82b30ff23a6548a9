"""`make release VERSION=x.y.z`: freeze the working tree as an immutable release.

Refuses when the number is not above the latest release, when a fixture gives the
wrong verdict, when the compatibility check finds a breaking change, or when the
changes need a bigger bump than the number given (additive: minor; removal after
deprecation: major).
"""

from __future__ import annotations

import sys

import compat
from bundles import ROOT, BundleError, freeze, latest, parse_version
from fixture_check import check_tree


def required_bump(previous: str, version: str) -> str:
    old, new = parse_version(previous), parse_version(version)
    if new <= old:
        raise BundleError(f"{version} is not above the latest release {previous}")
    if new[0] > old[0]:
        return "major"
    return "minor" if new[1] > old[1] else "patch"


def release(version: str) -> int:
    parse_version(version)
    previous = latest()
    given = "major" if previous is None else required_bump(previous, version)
    wrong = [v for v in check_tree(ROOT / "fixtures") if v.problem]
    if wrong:
        for verdict in wrong:
            print(f"fixture {verdict.path.name}: {verdict.problem}")
        return 1
    if previous is not None:
        report = compat.compare_release(previous)
        if report.verdict == "breaking":
            print(report.render())
            print("refused: breaking changes come as a new event version or /vN path")
            return 1
        order = ["none", "patch", "minor", "major"]
        needed = report.verdict
        if order.index(needed) > order.index(given):
            print(report.render())
            print(
                f"refused: these changes need a {needed} release, {version} is {given}"
            )
            return 1
    target = freeze(version)
    print(f"released {version} into {target.relative_to(ROOT)}")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: release.py x.y.z")
        return 2
    try:
        return release(argv[0])
    except BundleError as exc:
        print(f"refused: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
