"""The served API against storo-specs' CTS document, both ways.

1. FastAPI's own document and storo-specs' agree on paths, operations and status
   codes (so neither can grow a route or an answer the other does not know).
2. schemathesis generates requests from storo-specs' document and sends them to a
   live CTS: no answer may be a server error or break the document's schemas.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
import storo_specs
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.specs.openapi.checks import positive_data_acceptance

from storo_cts.app import build_app
from storo_cts.settings import CtsSettings
from tests.dependencies import Dependencies
from tests.openapi import bundled

METHODS = {"get", "post", "put", "patch", "delete"}


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): operation
        for path, item in document["paths"].items()
        if path.startswith("/v1/")
        for method, operation in item.items()
        if method in METHODS
    }


@pytest.fixture(scope="module")
def served(settings: CtsSettings, engine: Any) -> dict[str, Any]:
    document: dict[str, Any] = build_app(settings, engine).openapi()
    return document


class TestDocumentsAgree:
    def test_the_same_operations_are_served_and_specified(
        self, served: dict[str, Any]
    ) -> None:
        assert set(operations(served)) == set(operations(storo_specs.openapi("cts")))

    def test_each_operation_has_the_same_id_and_status_codes(
        self, served: dict[str, Any]
    ) -> None:
        specified = operations(storo_specs.openapi("cts"))
        for key, operation in operations(served).items():
            expected = specified[key]
            assert operation["operationId"] == expected["operationId"], key
            assert set(operation["responses"]) == set(expected["responses"]), key

    def test_the_specified_parameters_are_served(self, served: dict[str, Any]) -> None:
        specified = operations(storo_specs.openapi("cts"))
        for key, operation in operations(served).items():
            names = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
            wanted = {
                (p["in"], p["name"]) for p in specified[key].get("parameters", [])
            }
            assert wanted <= names, key


schema = schemathesis.openapi.from_dict(bundled("cts"))


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_request_breaks_the_server_or_the_schema(
    case: Case, cts_url: str, dependencies: Dependencies
) -> None:
    # A document-valid body may still break a business rule (an amount above the
    # limit, a rail that does not carry the currency): 422 is the right answer, so
    # "every valid request is accepted" does not hold for this API.
    case.call_and_validate(base_url=cts_url, excluded_checks=[positive_data_acceptance])


def test_the_live_document_is_served(cts_url: str) -> None:
    response = httpx.get(f"{cts_url}/openapi.json")
    assert response.status_code == 200
    assert "/v1/transfers" in response.json()["paths"]
