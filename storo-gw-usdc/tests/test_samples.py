"""The samples are valid contract instances and cover every event emitted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from storo_specs import validate_event

SAMPLES = sorted((Path(__file__).parent.parent / "samples").glob("*.json"))
EMITTED = {
    "transfers.accepted",
    "transfers.settled",
    "transfers.failed",
    "transfers.returned",
    "transfers.rejected",
}


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_validates(path: Path) -> None:
    validate_event(json.loads(path.read_text()))


def test_every_emitted_type_has_a_sample() -> None:
    types = {json.loads(p.read_text())["type"] for p in SAMPLES}
    assert types >= EMITTED
