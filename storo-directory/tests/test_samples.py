"""samples/ stays true: valid against storo-specs and equal to the bundled data."""

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import storo_specs

from storo_directory.catalog.kinds import KINDS
from storo_directory.catalog.parsing import parse
from storo_directory.catalog.service import canonical_sha256
from storo_directory.catalog.validation import validate_rows

SAMPLES = Path(__file__).parents[1] / "samples"
BUNDLED = files("storo_directory") / "data"


def entries() -> list[tuple[str, Any]]:
    found = []
    for path in sorted(SAMPLES.glob("*.json")):
        document = json.loads(path.read_text())
        items = document if isinstance(document, list) else [document]
        found += [(f"{path.name}[{n}]", item) for n, item in enumerate(items)]
    return found


@pytest.mark.parametrize(("name", "item"), entries(), ids=[n for n, _ in entries()])
def test_sample_is_valid(name: str, item: dict[str, Any]) -> None:
    if "specversion" in item:
        storo_specs.validate_event(item)
    else:
        storo_specs.validate_api(item["document"], item["component"], item["instance"])


def test_sample_events_carry_the_bundled_hashes() -> None:
    manifest = json.loads((BUNDLED / "manifest.json").read_text("utf-8"))
    expected = {}
    for entry in manifest["datasets"]:
        body = (BUNDLED / entry["file"]).read_bytes()
        fmt = "csv" if entry["file"].endswith(".csv") else "json"
        records, errors = validate_rows(KINDS[entry["dataset"]], parse(body, fmt).rows)
        assert errors == []
        expected[entry["dataset"]] = (
            entry["version"],
            len(records),
            canonical_sha256(records),
        )
    events = json.loads((SAMPLES / "directory.dataset.published.json").read_text())
    assert {
        e["data"]["dataset"]: (
            e["data"]["version"],
            e["data"]["record_count"],
            e["data"]["sha256"],
        )
        for e in events
    } == expected
