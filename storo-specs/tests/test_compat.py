"""The compatibility check's verdicts, one test per kind of change."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from compat import Contracts, compare, deprecation_history
from tests.conftest import ROOT

Json = dict[str, Any]


class Tree:
    """A copy of the contracts to change, file by file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for part in ("events", "api"):
            shutil.copytree(ROOT / part, root / part)

    def edit(self, rel: str, change: Callable[[Json], None]) -> None:
        path = self.root / rel
        doc = json.loads(path.read_text())
        change(doc)
        path.write_text(json.dumps(doc))

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()


ACCEPTED = "events/transfers.accepted/v1.json"
DEFS = "events/defs.json"
CTS = "api/cts.json"


def data(doc: Json) -> Json:
    schema: Json = doc["$defs"]["data"]
    return schema


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Contracts:
    """The unchanged contracts, loaded once (tests never edit this one)."""
    return Contracts(Tree(tmp_path_factory.mktemp("pristine")).root)


@pytest.fixture
def old(tmp_path: Path) -> Tree:
    return Tree(tmp_path / "old")


@pytest.fixture
def new(tmp_path: Path) -> Tree:
    return Tree(tmp_path / "new")


def verdict(old: Tree | Contracts, new: Tree, **kwargs: Any) -> tuple[str, set[str]]:
    before = old if isinstance(old, Contracts) else old.root
    report = compare(before, new.root, **kwargs)
    return report.verdict, report.kinds()


class TestSchemaChanges:
    def test_no_change(self, pristine, new):
        assert verdict(pristine, new) == ("none", set())

    def test_description_only_is_a_patch(self, pristine, new):
        new.edit(ACCEPTED, lambda d: d.update(description="Reworded."))
        assert verdict(pristine, new) == ("patch", {"annotation_changed"})

    def test_removed_field_is_breaking(self, pristine, new):
        new.edit(ACCEPTED, lambda d: data(d)["properties"].pop("accepted_at"))
        assert verdict(pristine, new)[0] == "breaking"
        assert "property_removed" in verdict(pristine, new)[1]

    def test_renamed_field_is_breaking(self, pristine, new):
        def rename(d: Json) -> None:
            props = data(d)["properties"]
            props["rail_ref"] = props.pop("rail_reference")
            data(d)["required"] = [
                "rail_ref" if r == "rail_reference" else r for r in data(d)["required"]
            ]

        new.edit(ACCEPTED, rename)
        kind = verdict(pristine, new)
        assert kind[0] == "breaking"
        assert {"property_removed", "required_property_added"} <= kind[1]

    def test_optional_field_made_required_is_breaking(self, pristine, new):
        new.edit(
            DEFS, lambda d: d["$defs"]["Party"]["required"].append("date_of_birth")
        )
        assert verdict(pristine, new) == ("breaking", {"made_required"})

    def test_required_field_made_optional_is_minor(self, pristine, new):
        new.edit(ACCEPTED, lambda d: data(d)["required"].remove("accepted_at"))
        assert verdict(pristine, new) == ("minor", {"made_optional"})

    def test_new_optional_field_is_minor(self, pristine, new):
        new.edit(
            ACCEPTED,
            lambda d: data(d)["properties"].update(confirmations={"type": "integer"}),
        )
        assert verdict(pristine, new) == ("minor", {"property_added"})

    def test_new_required_field_is_breaking(self, pristine, new):
        def add(d: Json) -> None:
            data(d)["properties"]["confirmations"] = {"type": "integer"}
            data(d)["required"].append("confirmations")

        new.edit(ACCEPTED, add)
        assert verdict(pristine, new) == ("breaking", {"required_property_added"})

    def test_type_narrowed_is_breaking(self, pristine, new):
        new.edit(
            DEFS,
            lambda d: d["$defs"]["Party"]["properties"]["institution"].update(
                type="string"
            ),
        )
        assert verdict(pristine, new) == ("breaking", {"type_narrowed"})

    def test_type_widened_is_minor(self, pristine, new):
        new.edit(DEFS, lambda d: d["$defs"]["Reason"].update(type=["string", "null"]))
        assert verdict(pristine, new) == ("minor", {"type_widened"})

    def test_enum_narrowed_is_breaking(self, pristine, new):
        new.edit(DEFS, lambda d: d["$defs"]["Rail"]["enum"].remove("zimswitch"))
        assert verdict(pristine, new) == ("breaking", {"enum_narrowed"})

    def test_enum_widened_is_minor(self, pristine, new):
        new.edit(DEFS, lambda d: d["$defs"]["Rail"]["enum"].append("swift"))
        assert verdict(pristine, new) == ("minor", {"enum_widened"})

    def test_tighter_bound_is_breaking_and_looser_minor(self, pristine, new, tmp_path):
        new.edit(DEFS, lambda d: d["$defs"]["Reason"].update(maxLength=100))
        assert verdict(pristine, new) == ("breaking", {"bound_tightened"})
        looser = Tree(tmp_path / "looser")
        looser.edit(DEFS, lambda d: d["$defs"]["Reason"].update(maxLength=1000))
        assert verdict(pristine, looser) == ("minor", {"bound_loosened"})

    def test_changed_pattern_is_breaking(self, pristine, new):
        new.edit(DEFS, lambda d: d["$defs"]["Country"].update(pattern="^[A-Z]{3}$"))
        assert verdict(pristine, new) == ("breaking", {"pattern_changed"})

    def test_closed_object_is_breaking(self, pristine, new):
        new.edit(ACCEPTED, lambda d: data(d).update(additionalProperties=False))
        assert verdict(pristine, new) == ("breaking", {"closed_to_extra_fields"})

    def test_changed_const_is_breaking(self, pristine, new):
        new.edit(ACCEPTED, lambda d: d["properties"]["v"].update(const=2))
        assert verdict(pristine, new) == ("breaking", {"const_changed"})

    def test_currency_exponent_changed_is_breaking(self, pristine, new):
        def move_usd_to_three_decimals(d: Json) -> None:
            for money in ("Money", "SignedMoney"):
                rules = d["$defs"][money]["allOf"]
                for rule in rules:
                    enum = rule["if"]["properties"]["currency"]["enum"]
                    if "USD" in enum:
                        enum.remove("USD")
                    if "KWD" in enum:
                        enum.append("USD")

        new.edit(DEFS, move_usd_to_three_decimals)
        assert verdict(pristine, new)[0] == "breaking"


class TestEventsAndVersions:
    def test_new_event_type_is_minor(self, pristine, new):
        (new.root / "events/transfers.held").mkdir()
        shutil.copy(new.root / ACCEPTED, new.root / "events/transfers.held/v1.json")
        assert verdict(pristine, new) == ("minor", {"event_added"})

    def test_breaking_change_as_a_new_version_is_minor(self, pristine, new):
        v2 = new.root / "events/transfers.accepted/v2.json"
        shutil.copy(new.root / ACCEPTED, v2)
        new.edit(
            "events/transfers.accepted/v2.json",
            lambda d: (
                d["properties"]["v"].update(const=2),
                data(d)["properties"].pop("accepted_at"),
            ),
        )
        assert verdict(pristine, new) == ("minor", {"event_added"})

    def test_removed_event_never_deprecated_is_breaking(self, pristine, new):
        new.remove(ACCEPTED)
        assert verdict(pristine, new) == ("breaking", {"event_removed"})


def _deprecate(after: str) -> Callable[[Json], None]:
    return lambda d: d.update({"deprecated": True, "x-storo-removable-after": after})


class TestDeprecation:
    def test_marking_deprecated_is_minor(self, pristine, new):
        new.edit(ACCEPTED, _deprecate("1.3.0"))
        assert verdict(pristine, new, latest_release="1.0.0") == (
            "minor",
            {"deprecated"},
        )

    def test_mark_without_a_removal_release_is_refused(self, pristine, new):
        new.edit(ACCEPTED, lambda d: d.update(deprecated=True))
        kinds = verdict(pristine, new, latest_release="1.0.0")
        assert kinds == ("breaking", {"deprecated", "deprecation_mark_invalid"})

    def test_mark_naming_a_past_release_is_refused(self, pristine, new):
        new.edit(ACCEPTED, _deprecate("1.0.0"))
        assert verdict(pristine, new, latest_release="1.2.0")[0] == "breaking"

    def test_removal_after_two_releases_and_the_date_is_major(self, old, new):
        old.edit(ACCEPTED, _deprecate("1.2.0"))
        new.remove(ACCEPTED)
        history = {"event:transfers.accepted/v1": ["1.1.0", "1.2.0"]}
        result = verdict(old, new, history=history, latest_release="1.2.0")
        assert result == ("major", {"event_removed_after_deprecation"})

    def test_removal_after_one_release_is_too_early(self, old, new):
        old.edit(ACCEPTED, _deprecate("1.1.0"))
        new.remove(ACCEPTED)
        history = {"event:transfers.accepted/v1": ["1.1.0"]}
        result = verdict(old, new, history=history, latest_release="1.1.0")
        assert result == ("breaking", {"event_removed_too_early"})

    def test_removal_before_the_named_release_is_too_early(self, old, new):
        old.edit(ACCEPTED, _deprecate("1.5.0"))
        new.remove(ACCEPTED)
        history = {"event:transfers.accepted/v1": ["1.1.0", "1.2.0"]}
        result = verdict(old, new, history=history, latest_release="1.2.0")
        assert result == ("breaking", {"event_removed_too_early"})

    def test_history_counts_the_releases_that_carried_the_mark(self, tmp_path):
        releases = tmp_path / "releases"
        for version, marked in [("1.0.0", False), ("1.1.0", True), ("1.2.0", True)]:
            tree = Tree(releases / version)
            (tree.root / "manifest.json").write_text("{}")
            if marked:
                tree.edit(ACCEPTED, _deprecate("1.2.0"))
                tree.edit(
                    CTS,
                    lambda d: d["paths"]["/v1/transfers"]["get"].update(
                        deprecated=True
                    ),
                )
        assert deprecation_history(releases) == {
            "event:transfers.accepted/v1": ["1.1.0", "1.2.0"],
            "operation:cts GET /v1/transfers": ["1.1.0", "1.2.0"],
        }


class TestApiChanges:
    def test_removed_path_is_breaking(self, pristine, new):
        new.edit(CTS, lambda d: d["paths"].pop("/v1/transfers/{transfer_id}/events"))
        assert verdict(pristine, new) == ("breaking", {"path_removed"})

    def test_removed_operation_is_breaking(self, pristine, new):
        new.edit(CTS, lambda d: d["paths"]["/v1/transfers"].pop("get"))
        assert verdict(pristine, new) == ("breaking", {"operation_removed"})

    def test_new_v2_path_beside_v1_is_minor(self, pristine, new):
        new.edit(
            CTS,
            lambda d: d["paths"].update({"/v2/transfers": d["paths"]["/v1/transfers"]}),
        )
        assert verdict(pristine, new) == ("minor", {"operation_added"})

    def test_deprecated_operation_removed_in_time_is_major(self, old, new):
        old.edit(
            CTS,
            lambda d: d["paths"]["/v1/transfers"]["get"].update(
                {"deprecated": True, "x-storo-removable-after": "1.2.0"}
            ),
        )
        new.edit(CTS, lambda d: d["paths"]["/v1/transfers"].pop("get"))
        history = {"operation:cts GET /v1/transfers": ["1.1.0", "1.2.0"]}
        result = verdict(old, new, history=history, latest_release="1.2.0")
        assert result == ("major", {"operation_removed_after_deprecation"})

    def test_new_required_parameter_is_breaking(self, pristine, new):
        new.edit(
            CTS,
            lambda d: d["paths"]["/v1/transfers"]["get"]["parameters"].append(
                {
                    "name": "tenant",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ),
        )
        assert verdict(pristine, new) == ("breaking", {"required_parameter_added"})

    def test_new_optional_parameter_is_minor(self, pristine, new):
        new.edit(
            CTS,
            lambda d: d["paths"]["/v1/transfers"]["get"]["parameters"].append(
                {
                    "name": "rail",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string"},
                }
            ),
        )
        assert verdict(pristine, new) == ("minor", {"parameter_added"})

    def test_removed_response_is_breaking(self, pristine, new):
        new.edit(
            CTS, lambda d: d["paths"]["/v1/transfers"]["post"]["responses"].pop("201")
        )
        assert verdict(pristine, new) == ("breaking", {"response_removed"})

    def test_removed_media_type_is_breaking(self, pristine, new):
        def drop_json(d: Json) -> None:
            body = d["paths"]["/v1/transfers"]["post"]["requestBody"]["content"]
            body["application/merge-patch+json"] = body.pop("application/json")

        new.edit(CTS, drop_json)
        assert verdict(pristine, new) == (
            "breaking",
            {"media_type_removed", "media_type_added"},
        )

    def test_removed_component_is_breaking(self, pristine, new):
        new.edit(CTS, lambda d: d["components"]["schemas"].pop("TimelineEntry"))
        assert verdict(pristine, new)[0] == "breaking"
        assert "component_removed" in verdict(pristine, new)[1]

    def test_narrowed_request_field_is_breaking(self, pristine, new):
        new.edit(
            CTS,
            lambda d: d["components"]["schemas"]["TransferCreate"]["properties"][
                "reference"
            ].update(maxLength=20),
        )
        assert verdict(pristine, new) == ("breaking", {"bound_tightened"})

    def test_removed_document_is_breaking(self, pristine, new):
        new.remove("api/recon.json")
        assert verdict(pristine, new) == ("breaking", {"document_removed"})
