from __future__ import annotations

import pytest

import storo_specs
from fixture_check import check_invalid, check_valid
from tests.conftest import FIXTURES, load

VALID = sorted(FIXTURES.glob("*/valid/*.json"))
INVALID = sorted(FIXTURES.glob("*/invalid/*.json"))


def _referenced_components(document: str) -> set[str]:
    """Components used directly as a request or response body."""
    doc = storo_specs.openapi(document)
    found = set()
    for item in doc["paths"].values():
        for op in item.values():
            bodies = [op.get("requestBody", {}), *op.get("responses", {}).values()]
            for body in bodies:
                for media in body.get("content", {}).values():
                    ref = media.get("schema", {}).get("$ref", "")
                    if ref.startswith("#/components/schemas/"):
                        found.add(ref.rsplit("/", 1)[1])
    return found | {"Problem"}


class TestGoldenFixtures:
    @pytest.mark.parametrize(
        "path", VALID, ids=lambda p: f"{p.parent.parent.name}/{p.stem}"
    )
    def test_valid_fixture_validates(self, path):
        assert check_valid(path).problem is None

    @pytest.mark.parametrize(
        "path", INVALID, ids=lambda p: f"{p.parent.parent.name}/{p.stem}"
    )
    def test_invalid_fixture_fails_exactly_for_its_reason(self, path):
        assert check_invalid(path).problem is None

    def test_every_event_type_has_valid_and_invalid_fixtures(self):
        valid = {(e["type"], e["v"]) for e in map(load, VALID) if "specversion" in e}
        invalid = {
            (d["sample"]["type"], d["sample"]["v"])
            for d in map(load, INVALID)
            if "specversion" in d["sample"] and "expect" in d
        }
        assert set(storo_specs.event_types()) <= valid
        assert set(storo_specs.event_types()) <= invalid

    @pytest.mark.parametrize(
        "document", ["cts", "ledger", "compliance", "directory", "recon", "gw-oppwa"]
    )
    def test_every_request_and_response_body_has_a_valid_fixture(self, document):
        covered = {
            e["component"] for e in map(load, VALID) if e.get("document") == document
        }
        assert _referenced_components(document) - covered == set()

    @pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
    def test_each_invalid_fixture_says_why(self, path):
        doc = load(path)
        assert len(doc["why"]) > 10
        assert ("expect" in doc) != ("expect_error" in doc)
