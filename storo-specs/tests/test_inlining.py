from __future__ import annotations

import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from storo_specs.inlining import bundle_document, inline

BASE = "https://example.test/"


def registry(**docs: dict) -> Registry:  # type: ignore[type-arg]
    return Registry().with_resources(
        (BASE + name.replace("_", "."), DRAFT202012.create_resource(doc))
        for name, doc in docs.items()
    )


class TestInline:
    def test_relative_refs_across_files_are_replaced(self):
        reg = registry(
            a_json={"$id": BASE + "a.json", "$ref": "b.json#/$defs/x"},
            b_json={
                "$id": BASE + "b.json",
                "$defs": {"x": {"$ref": "#/$defs/y"}, "y": {"type": "string"}},
            },
        )
        assert inline({"$ref": BASE + "a.json"}, BASE, reg) == {"type": "string"}

    def test_siblings_of_a_ref_still_apply(self):
        reg = registry(b_json={"$defs": {"y": {"type": "string"}}})
        got = inline({"$ref": "b.json#/$defs/y", "maxLength": 3}, BASE, reg)
        assert got == {"allOf": [{"type": "string"}], "maxLength": 3}

    def test_recursion_is_refused(self):
        reg = registry(b_json={"$defs": {"y": {"items": {"$ref": "#/$defs/y"}}}})
        with pytest.raises(ValueError, match="recursive"):
            inline({"$ref": "b.json#/$defs/y"}, BASE, reg)


class TestBundle:
    def test_external_schemas_become_components_with_unique_names(self):
        reg = registry(
            defs_json={"$defs": {"Money": {"type": "object"}, "Code": {"enum": ["A"]}}}
        )
        doc = {
            "openapi": "3.1.0",
            "components": {
                "schemas": {
                    "Money": {"$ref": "defs.json#/$defs/Money"},
                    "Code": {"type": "integer"},
                    "Price": {
                        "properties": {
                            "code": {"$ref": "defs.json#/$defs/Code"},
                            "money": {"$ref": "#/components/schemas/Money"},
                        }
                    },
                }
            },
        }
        out = bundle_document(doc, BASE + "api.json", reg)["components"]["schemas"]
        assert out["Money"] == {"type": "object"}
        assert out["Code"] == {"type": "integer"}
        assert out["Price"]["properties"]["code"] == {
            "$ref": "#/components/schemas/Code2"
        }
        assert out["Code2"] == {"enum": ["A"]}
        assert out["Price"]["properties"]["money"] == {
            "$ref": "#/components/schemas/Money"
        }
