from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

import storo_specs
from storo_specs import (
    ApiInvalid,
    EventInvalid,
    UnknownComponent,
    UnknownDocument,
    validate_api,
)
from tests.conftest import ROOT

DOCUMENTS = ["cts", "ledger", "compliance", "directory", "recon", "gw-oppwa"]


class TestDocuments:
    @pytest.mark.parametrize("name", DOCUMENTS)
    def test_document_is_valid_openapi_3_1(self, name):
        path = ROOT / "api" / f"{name}.json"
        spec, _ = read_from_filename(str(path))
        validate(spec, base_uri=Path(path).as_uri())
        assert spec["openapi"] == "3.1.0"

    @pytest.mark.parametrize("name", DOCUMENTS)
    def test_every_error_answer_is_the_shared_problem(self, name):
        doc = storo_specs.openapi(name)
        assert doc["components"]["schemas"]["Problem"] == {"$ref": "problem.json"}
        for response in doc["components"]["responses"].values():
            media = response["content"]["application/problem+json"]
            assert media["schema"] == {"$ref": "#/components/schemas/Problem"}

    def test_transfer_create_requires_an_idempotency_key(self):
        op = storo_specs.openapi("cts")["paths"]["/v1/transfers"]["post"]
        (header,) = [p for p in op["parameters"] if p["in"] == "header"]
        assert header["name"] == "Idempotency-Key"
        assert header["required"] is True

    def test_unknown_document(self):
        with pytest.raises(UnknownDocument):
            storo_specs.openapi("payments")


class TestValidateApi:
    def test_quote_request_with_a_wrong_exponent(self):
        body = {
            "amount": {"amount": "10.001", "currency": "ZAR"},
            "corridor": {"from": "ZA", "to": "ZW"},
        }
        with pytest.raises(ApiInvalid) as caught:
            validate_api("directory", "QuoteRequest", body)
        assert [(i.pointer, i.rule) for i in caught.value.issues] == [
            ("/amount/amount", "too_many_decimals")
        ]
        assert isinstance(caught.value, EventInvalid)

    def test_nullable_reference_reports_the_inner_rule(self):
        transfer = {"fee": {"amount": "1.234", "currency": "ZAR"}}
        with pytest.raises(ApiInvalid) as caught:
            validate_api("cts", "Transfer", transfer)
        assert ("/fee/amount", "too_many_decimals") in {
            (i.pointer, i.rule) for i in caught.value.issues
        }

    def test_unknown_component(self):
        with pytest.raises(UnknownComponent):
            validate_api("cts", "Payment", {})

    def test_card_gateway_document_may_carry_card_data(self):
        validate_api(
            "gw-oppwa",
            "OppwaCard",
            {"bin": "411111", "last4Digits": "1111", "holder": "4111111111111111"},
        )


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


class TestBundledDocuments:
    @pytest.mark.parametrize("name", DOCUMENTS)
    def test_bundled_document_is_self_contained_openapi(self, name):
        doc = storo_specs.openapi(name, bundled=True)
        assert [r for r in _refs(doc) if not r.startswith("#/")] == []
        validate(doc)

    def test_shared_definitions_become_components(self):
        schemas = storo_specs.openapi("cts", bundled=True)["components"]["schemas"]
        assert schemas["Problem"]["required"] == ["type", "title", "status"]
        assert "$id" not in schemas["Problem"]
        assert schemas["Money"]["required"] == ["amount", "currency"]
        assert "ZAR" in schemas["CurrencyCode"]["enum"]

    @pytest.mark.parametrize(
        "path",
        sorted((ROOT / "fixtures/api/valid").glob("*.json")),
        ids=lambda p: p.stem,
    )
    def test_bundled_components_accept_the_golden_bodies(self, path):
        example = json.loads(path.read_text())
        doc = storo_specs.openapi(example["document"], bundled=True)
        schema = {**doc, "$ref": f"#/components/schemas/{example['component']}"}
        Draft202012Validator(schema).validate(example["instance"])
