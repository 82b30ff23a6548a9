from __future__ import annotations

import json

from jsonschema import Draft202012Validator

import storo_specs
from tests.conftest import ROOT

GATEWAYS = ["gw-usdc", "gw-oppwa", "gw-zimswitch"]


def subscriptions() -> dict[tuple[str, str], set[str]]:
    return {
        (s["queue"], s["topic"]): set(s["filter_policy"]["type"])
        for s in storo_specs.topology()["subscriptions"]
    }


class TestTopology:
    def test_matches_its_schema(self):
        schema = json.loads((ROOT / "topology.schema.json").read_text())
        Draft202012Validator(schema).validate(storo_specs.topology())

    def test_every_service_has_a_topic_and_the_consumers_an_inbox(self):
        services = storo_specs.topology()["services"]
        assert set(services) == {
            "cts",
            "ledger",
            "compliance",
            "directory",
            "recon",
            *GATEWAYS,
        }
        for name, svc in services.items():
            assert svc["topic"] == f"storo-{name}-events"
            if name in {"compliance", "directory"}:
                assert svc["queue"] is None and svc["dead_letter_queue"] is None
            else:
                assert svc["queue"] == f"storo-{name}-inbox"
                assert svc["dead_letter_queue"] == f"storo-{name}-inbox-dlq"

    def test_redrive_after_five_receives(self):
        topo = storo_specs.topology()
        assert {q["max_receive_count"] for q in topo["queues"]} == {5}

    def test_subscriptions_are_the_briefs(self):
        t = lambda *names: {f"transfers.{n}" for n in names}  # noqa: E731
        expected = {}
        for gw in GATEWAYS:
            expected[("storo-cts-inbox", f"storo-{gw}-events")] = t(
                "accepted", "settled", "returned", "failed", "rejected"
            )
            expected[("storo-ledger-inbox", f"storo-{gw}-events")] = t(
                "settled", "returned", "failed", "rejected"
            )
            expected[(f"storo-{gw}-inbox", "storo-cts-events")] = t(
                f"submitted.{gw[3:]}"
            )
            expected[("storo-recon-inbox", f"storo-{gw}-events")] = t(
                "accepted", "settled"
            )
        expected[("storo-cts-inbox", "storo-recon-events")] = t("settled", "returned")
        expected[("storo-ledger-inbox", "storo-cts-events")] = t(
            "submitted.usdc", "submitted.oppwa", "submitted.zimswitch"
        )
        expected[("storo-ledger-inbox", "storo-recon-events")] = t(
            "settled", "returned"
        )
        assert subscriptions() == expected
        assert all(
            s["raw_message_delivery"] for s in storo_specs.topology()["subscriptions"]
        )

    def test_every_filtered_type_is_produced_by_its_topic(self):
        for (queue, topic), types in subscriptions().items():
            source = topic.removesuffix("-events")
            for type_ in types:
                schema = storo_specs.event_schema(type_, 1)
                assert source in schema["x-storo-event"]["producers"], (queue, type_)

    def test_schemas_name_the_consumers_the_topology_gives(self):
        for type_, v in storo_specs.event_types():
            meta = storo_specs.event_schema(type_, v)["x-storo-event"]
            consumers = {
                queue.removesuffix("-inbox")
                for (queue, topic), types in subscriptions().items()
                if type_ in types
            }
            assert set(meta["consumers"]) == consumers, type_
