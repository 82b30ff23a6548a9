"""Checking the golden fixtures: valid ones pass, invalid ones fail for their reason.

A valid fixture is a sample as `storo-specs validate` reads it. An invalid fixture is
`{"why": str, "expect": [{"pointer", "rule"}], "sample": ...}` (the exact issues the
sample must raise) or `{"why": str, "expect_error": "UnknownEventType", "sample": ...}`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storo_specs import ContractError, EventInvalid, validate_example


@dataclass(frozen=True)
class Verdict:
    path: Path
    problem: str | None


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def check_valid(path: Path) -> Verdict:
    try:
        validate_example(_load(path))
    except ContractError as exc:
        return Verdict(path, f"expected valid, got {exc}")
    return Verdict(path, None)


def check_invalid(path: Path) -> Verdict:
    doc = _load(path)
    if not doc.get("why"):
        return Verdict(path, "an invalid fixture must say why it fails")
    try:
        validate_example(doc["sample"])
    except EventInvalid as exc:
        got = sorted({(i.pointer, i.rule) for i in exc.issues})
        want = sorted((e["pointer"], e["rule"]) for e in doc.get("expect", []))
        if "expect_error" in doc or got != want:
            return Verdict(
                path, f"expected {want or doc.get('expect_error')}, got {got}"
            )
    except ContractError as exc:
        if type(exc).__name__ != doc.get("expect_error"):
            return Verdict(path, f"expected {doc.get('expect')}, got {exc!r}")
    else:
        return Verdict(path, "expected invalid, but it validates")
    return Verdict(path, None)


def check_tree(root: Path) -> list[Verdict]:
    verdicts = [check_valid(p) for p in sorted(root.glob("*/valid/*.json"))]
    verdicts += [check_invalid(p) for p in sorted(root.glob("*/invalid/*.json"))]
    return verdicts
