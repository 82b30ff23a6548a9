"""What gateway and recon events do to a transfer: every transition and refusal.

The handler is called the way the inbox consumer calls it (inside one transaction);
tests/test_worker.py runs the same path through SQS.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from storo_cts.transfers.consumers import TransferUnknown, handle_rail_event
from tests.conftest import new_key, party, transfer_body
from tests.dependencies import Dependencies
from tests.events import rail_event
from tests.support import changes, check_api, outbox


def submitted(client: httpx.Client, **overrides: Any) -> str:
    response = client.post(
        "/v1/transfers",
        json=transfer_body(**overrides),
        headers={"Idempotency-Key": new_key()},
    )
    assert response.status_code == 201
    transfer_id: str = response.json()["transfer_id"]
    return transfer_id


def deliver(engine: Engine, envelope: dict[str, Any]) -> None:
    with Session(engine) as session, session.begin():
        handle_rail_event(session, envelope)


def status_of(client: httpx.Client, transfer_id: str) -> str:
    body = client.get(f"/v1/transfers/{transfer_id}").json()
    check_api("Transfer", body)
    status: str = body["status"]
    return status


def consumed(client: httpx.Client, transfer_id: str) -> list[tuple[str, str]]:
    timeline = client.get(f"/v1/transfers/{transfer_id}/events").json()
    check_api("TransferTimeline", timeline)
    return [
        (e["type"], e["outcome"])
        for e in timeline["events"]
        if e["direction"] == "consumed"
    ]


def anomalies(event_type: str, found: str, reported: str) -> float:
    value = REGISTRY.get_sample_value(
        "storo_cts_transfer_anomalies_total",
        {"event_type": event_type, "from_status": found, "to_status": reported},
    )
    return value or 0.0


APPLIED = [
    (["accepted"], "accepted", [("submitted", "accepted")]),
    (
        ["accepted", "settled"],
        "settled",
        [("submitted", "accepted"), ("accepted", "settled")],
    ),
    (
        ["accepted", "returned"],
        "returned",
        [("submitted", "accepted"), ("accepted", "returned")],
    ),
    (
        ["accepted", "settled", "returned"],
        "returned",
        [("submitted", "accepted"), ("accepted", "settled"), ("settled", "returned")],
    ),
    (["failed"], "failed", [("submitted", "failed")]),
    (
        ["accepted", "failed"],
        "failed",
        [("submitted", "accepted"), ("accepted", "failed")],
    ),
    (["rejected"], "rejected", [("submitted", "rejected")]),
]


class TestAppliedEvents:
    @pytest.mark.parametrize(("kinds", "final", "steps"), APPLIED)
    def test_events_in_order_move_the_transfer(
        self,
        client: httpx.Client,
        engine: Engine,
        admin: Engine,
        dependencies: Dependencies,
        kinds: list[str],
        final: str,
        steps: list[tuple[str, str]],
    ) -> None:
        transfer_id = submitted(client)
        for kind in kinds:
            deliver(engine, rail_event(kind, transfer_id))

        assert status_of(client, transfer_id) == final
        assert changes(outbox(admin, transfer_id))[3:] == steps
        assert consumed(client, transfer_id) == [
            (f"transfers.{k}", "applied") for k in kinds
        ]

    def test_settled_before_accepted_implies_the_acceptance(
        self,
        client: httpx.Client,
        engine: Engine,
        admin: Engine,
        dependencies: Dependencies,
    ) -> None:
        transfer_id = submitted(client)
        settled = rail_event("settled", transfer_id)
        deliver(engine, settled)

        assert status_of(client, transfer_id) == "settled"
        emitted = [e for e in outbox(admin, transfer_id) if e["data"].get("to")][3:]
        assert [(e["data"]["from"], e["data"]["to"]) for e in emitted] == [
            ("submitted", "accepted"),
            ("accepted", "settled"),
        ]
        implied = emitted[0]["data"]["cause"]
        assert implied["event_id"] == settled["id"]
        assert implied["reason"] == "implied_by:transfers.settled"
        timeline = client.get(f"/v1/transfers/{transfer_id}/events").json()["events"]
        assert [e["implied"] for e in timeline if e["status"] == "accepted"] == [True]

    def test_the_late_acceptance_is_recorded_not_applied(
        self,
        client: httpx.Client,
        engine: Engine,
        admin: Engine,
        dependencies: Dependencies,
    ) -> None:
        transfer_id = submitted(client)
        deliver(engine, rail_event("settled", transfer_id))
        deliver(engine, rail_event("accepted", transfer_id))

        assert status_of(client, transfer_id) == "settled"
        assert consumed(client, transfer_id) == [
            ("transfers.settled", "applied"),
            ("transfers.accepted", "late"),
        ]
        assert len(changes(outbox(admin, transfer_id))) == 5

    def test_recon_confirming_a_settlement_changes_nothing(
        self,
        client: httpx.Client,
        engine: Engine,
        admin: Engine,
        dependencies: Dependencies,
    ) -> None:
        transfer_id = submitted(client)
        deliver(engine, rail_event("settled", transfer_id))
        deliver(engine, rail_event("settled", transfer_id, source="storo-recon"))

        assert status_of(client, transfer_id) == "settled"
        assert consumed(client, transfer_id)[-1] == (
            "transfers.settled",
            "confirmation",
        )

    def test_the_rail_reference_and_return_reason_are_kept(
        self, client: httpx.Client, engine: Engine, dependencies: Dependencies
    ) -> None:
        transfer_id = submitted(client)
        accepted = rail_event("accepted", transfer_id)
        deliver(engine, accepted)
        deliver(engine, rail_event("returned", transfer_id))
        body = client.get(f"/v1/transfers/{transfer_id}").json()
        assert body["reason_code"] == "account_closed"
        assert body["rail_reference"] is not None


IMPOSSIBLE = [
    (["accepted", "returned"], "settled", "returned"),
    (["failed"], "accepted", "failed"),
    (["failed"], "settled", "failed"),
    (["rejected"], "accepted", "rejected"),
    (["accepted"], "rejected", "accepted"),
    (["settled"], "failed", "settled"),
    (["settled"], "rejected", "settled"),
    (["accepted", "returned"], "failed", "returned"),
]


class TestAnomalies:
    @pytest.mark.parametrize(("before", "kind", "stays"), IMPOSSIBLE)
    def test_an_impossible_event_is_kept_as_an_anomaly_and_never_applied(
        self,
        client: httpx.Client,
        engine: Engine,
        admin: Engine,
        dependencies: Dependencies,
        before: list[str],
        kind: str,
        stays: str,
    ) -> None:
        transfer_id = submitted(client)
        for earlier in before:
            deliver(engine, rail_event(earlier, transfer_id))
        emitted_before = len(outbox(admin, transfer_id))
        raised_before = anomalies(f"transfers.{kind}", stays, kind)

        event = rail_event(kind, transfer_id)
        deliver(engine, event)

        assert status_of(client, transfer_id) == stays
        assert len(outbox(admin, transfer_id)) == emitted_before
        assert anomalies(f"transfers.{kind}", stays, kind) == raised_before + 1
        timeline = client.get(f"/v1/transfers/{transfer_id}/events").json()
        last = timeline["events"][-1]
        assert last["outcome"] == "anomaly"
        assert last["status"] == stays
        assert last["anomaly"]["from"] == stays
        assert last["anomaly"]["to"] == kind
        assert last["anomaly"]["cause"]["event_id"] == event["id"]

    def test_an_event_from_another_rail_is_an_anomaly(
        self, client: httpx.Client, engine: Engine, dependencies: Dependencies
    ) -> None:
        transfer_id = submitted(client)
        deliver(engine, rail_event("accepted", transfer_id, rail="zimswitch"))
        assert status_of(client, transfer_id) == "submitted"
        assert consumed(client, transfer_id) == [("transfers.accepted", "anomaly")]

    def test_a_rail_event_for_a_held_transfer_is_an_anomaly(
        self, client: httpx.Client, engine: Engine, dependencies: Dependencies
    ) -> None:
        transfer_id = submitted(client, creditor=party("Petra Review", country="ZW"))
        deliver(engine, rail_event("accepted", transfer_id))
        assert status_of(client, transfer_id) == "held"
        assert consumed(client, transfer_id) == [("transfers.accepted", "anomaly")]

    def test_an_event_for_an_unknown_transfer_is_refused(self, engine: Engine) -> None:
        event = rail_event("accepted", "5a0e3c8e-8d0b-4e7a-9d8e-6f1f1d2a3b4c")
        with pytest.raises(TransferUnknown):
            deliver(engine, event)
