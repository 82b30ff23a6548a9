"""The committed samples stay valid against the pinned storo-specs release."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from storo_specs import validate_api, validate_event

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples").glob("*.json"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_is_valid(path: Path) -> None:
    document = json.loads(path.read_text())
    for item in document if isinstance(document, list) else [document]:
        if "specversion" in item:
            validate_event(item)
        else:
            validate_api(item["document"], item["component"], item["instance"])


def test_every_entry_kind_has_a_sample() -> None:
    names = {p.name for p in SAMPLES}
    for kind in ("hold", "post", "void", "reverse", "expire"):
        assert f"ledger.entry.posted.{kind}.json" in names
    assert "ledger.posting.refused.json" in names
