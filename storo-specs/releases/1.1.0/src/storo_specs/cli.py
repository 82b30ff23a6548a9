"""`storo-specs validate FILE...`: check sample payloads against the contracts."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storo_specs import VERSION, event_types
from storo_specs.errors import ContractError, EventInvalid
from storo_specs.validation import validate_example


def _samples(path: Path) -> list[tuple[str, Any]]:
    loaded = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(loaded, list):
        return [(f"{path}[{i}]", item) for i, item in enumerate(loaded)]
    return [(str(path), loaded)]


def _validate(files: Sequence[str], quiet: bool) -> int:
    failures = 0
    for name in files:
        try:
            samples = _samples(Path(name))
        except (OSError, ValueError) as exc:
            print(f"{name}: /: unreadable: {exc}")
            failures += 1
            continue
        for label, sample in samples:
            try:
                what = validate_example(sample)
            except EventInvalid as exc:
                failures += 1
                for issue in exc.issues:
                    print(f"{label}: {issue}")
            except ContractError as exc:
                failures += 1
                print(f"{label}: /: {type(exc).__name__}: {exc}")
            else:
                if not quiet:
                    print(f"{label}: ok ({what})")
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="storo-specs", description=f"Storo contracts {VERSION}"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="validate sample envelopes/API examples")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("-q", "--quiet", action="store_true", help="print failures only")
    sub.add_parser("version", help="print the contract release")
    sub.add_parser("types", help="list event types and versions")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return _validate(args.files, args.quiet)
    if args.command == "version":
        print(VERSION)
    else:
        for type_, v in event_types():
            print(f"{type_} v{v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
