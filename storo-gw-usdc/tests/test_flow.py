"""A transfer through the gateway, against PostgreSQL, moto and the simulator."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from algosdk import encoding
from sqlalchemy.engine import Engine
from storo_outbox import Relay
from storo_specs import validate_event
from storo_testing import drain

from storo_gw_usdc import SCHEMA
from storo_gw_usdc.algorand.client import Algod, Submitted
from storo_gw_usdc.sim.ledger import FailureMode, FailureStage
from storo_gw_usdc.sim.server import Simulator
from storo_gw_usdc.tables import rail_transfers, raw_payloads
from storo_gw_usdc.transfers.worker import RailWorker
from tests.conftest import CREDITOR, HOT, HOT_USDC, STRANGER
from tests.helpers import USDC_ASSET, of_type, outbox, submitted


def deliver(sqs: Any, inbox: str, envelope: dict[str, Any] | str) -> None:
    body = envelope if isinstance(envelope, str) else json.dumps(envelope)
    sqs.send_message(
        QueueUrl=inbox,
        MessageBody=body,
        MessageAttributes={
            "type": {"DataType": "String", "StringValue": "transfers.submitted.usdc"}
        },
    )


def consume_all(consumer: Any) -> int:
    handled = 0
    while (count := consumer.poll_once()) > 0:
        handled += count
    return handled


def run_rail(rail: RailWorker, rounds: int = 6) -> None:
    for _ in range(rounds):
        rail.run_once()


def row(engine: Engine, transfer_id: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(
            sa.select(rail_transfers).where(
                rail_transfers.c.transfer_id == uuid.UUID(transfer_id)
            )
        ).one()


def usdc(sim: Simulator, address: str) -> int:
    return sim.chain.accounts[address].assets.get(USDC_ASSET, -1)


def emitted(engine: Engine) -> list[dict[str, Any]]:
    envelopes = outbox(engine)
    for envelope in envelopes:
        validate_event(envelope)
    return envelopes


def raw_bodies(sqs: Any, queue_url: str, count: int) -> list[str]:
    """Message bodies as sent (the DLQ may hold text that is not JSON)."""
    bodies: list[str] = []
    for _ in range(10):
        answer = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1
        )
        for message in answer.get("Messages", []):
            bodies.append(message["Body"])
            sqs.delete_message(
                QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"]
            )
        if len(bodies) >= count:
            break
    return bodies


class Crash(Exception):  # noqa: N818 - stands for the process dying
    pass


class TestSettlement:
    def test_submitted_becomes_settled_with_the_asset_moved(
        self,
        engine: Engine,
        sim: Simulator,
        sqs: Any,
        inbox: str,
        consumer: Any,
        rail: RailWorker,
    ) -> None:
        event = submitted(CREDITOR.address, amount="125.50")
        validate_event(event)
        deliver(sqs, inbox, event)
        assert consume_all(consumer) == 1
        transfer_id = event["data"]["transfer_id"]
        assert row(engine, transfer_id).state == "signed"

        run_rail(rail)

        record = row(engine, transfer_id)
        assert record.state == "settled"
        assert usdc(sim, CREDITOR.address) == 125_500_000
        assert usdc(sim, HOT.address) == HOT_USDC - 125_500_000
        events = emitted(engine)
        assert [e["type"] for e in events] == [
            "transfers.accepted",
            "transfers.settled",
        ]
        accepted, settled = events
        assert accepted["subject"] == transfer_id
        assert accepted["data"]["rail_reference"] == record.txid
        confirmed = sim.chain.txns[record.txid].confirmed_round
        assert settled["data"]["details"]["confirmed_round"] == confirmed
        assert settled["data"]["amount"] == {"amount": "125.500000", "currency": "USDC"}
        assert settled["data"]["proof"] == "rail_confirmation"

    def test_only_references_to_raw_payloads_are_in_the_database(
        self,
        engine: Engine,
        sim: Simulator,
        sqs: Any,
        inbox: str,
        consumer: Any,
        rail: RailWorker,
        vault: Any,
    ) -> None:
        event = submitted(CREDITOR.address)
        deliver(sqs, inbox, event)
        consume_all(consumer)
        run_rail(rail)
        with engine.connect() as conn:
            refs = conn.execute(
                sa.select(raw_payloads.c.kind, raw_payloads.c.object_key).order_by(
                    raw_payloads.c.id
                )
            ).all()
        assert [r.kind for r in refs] == ["signed-txn", "submit-answer", "confirmation"]
        txid = row(engine, event["data"]["transfer_id"]).txid
        signed = vault.get(refs[0].object_key)
        assert base64.b64encode(signed).decode() == encoding.msgpack_encode(
            sim.chain.txns[txid].stxn
        )
        assert json.loads(vault.get(refs[2].object_key))["confirmed-round"] > 0


class TestFailures:
    @pytest.mark.parametrize(
        ("creditor", "amount", "inject", "reason_code"),
        [
            (STRANGER.address, "10.00", None, "receiver_not_opted_in"),
            (CREDITOR.address, "20000.00", None, "insufficient_funds"),
            (
                CREDITOR.address,
                "10.00",
                "validity_window_passed",
                "validity_window_passed",
            ),
            (
                CREDITOR.address,
                "10.00",
                "receiver_not_opted_in",
                "receiver_not_opted_in",
            ),
            (CREDITOR.address, "10.00", "insufficient_funds", "insufficient_funds"),
        ],
    )
    def test_a_refused_submission_fails_the_transfer(
        self,
        engine: Engine,
        sim: Simulator,
        sqs: Any,
        inbox: str,
        consumer: Any,
        rail: RailWorker,
        creditor: str,
        amount: str,
        inject: str | None,
        reason_code: str,
    ) -> None:
        if inject:
            sim.chain.fail_next(FailureMode(inject), FailureStage.SUBMIT)
        event = submitted(creditor, amount=amount)
        deliver(sqs, inbox, event)
        consume_all(consumer)
        run_rail(rail)
        record = row(engine, event["data"]["transfer_id"])
        assert record.state == "failed"
        events = emitted(engine)
        assert [e["type"] for e in events] == ["transfers.failed"]
        assert events[0]["data"]["reason_code"] == reason_code
        assert events[0]["data"]["rail_reference"] is None
        assert usdc(sim, HOT.address) == HOT_USDC

    @pytest.mark.parametrize(
        "mode",
        ["receiver_not_opted_in", "insufficient_funds", "validity_window_passed"],
    )
    def test_a_transaction_kicked_from_the_pool_is_returned(
        self,
        engine: Engine,
        sim: Simulator,
        sqs: Any,
        inbox: str,
        consumer: Any,
        rail: RailWorker,
        mode: str,
    ) -> None:
        sim.chain.fail_next(FailureMode(mode), FailureStage.POOL)
        event = submitted(CREDITOR.address, amount="10.00")
        deliver(sqs, inbox, event)
        consume_all(consumer)
        run_rail(rail)
        record = row(engine, event["data"]["transfer_id"])
        assert record.state == "returned"
        events = emitted(engine)
        assert [e["type"] for e in events] == [
            "transfers.accepted",
            "transfers.returned",
        ]
        returned = events[1]["data"]
        assert returned["reason_code"] == mode
        assert returned["rail_reference"] == record.txid
        assert usdc(sim, CREDITOR.address) == 0

    def test_a_window_that_closes_in_the_pool_returns_the_transfer(
        self,
        engine: Engine,
        sim: Simulator,
        sqs: Any,
        inbox: str,
        consumer: Any,
        rail: RailWorker,
    ) -> None:
        sim.chain.confirm_rounds = 50
        rail.gateway.validity_rounds = 3
        event = submitted(CREDITOR.address, amount="10.00")
        deliver(sqs, inbox, event)
        consume_all(consumer)
        run_rail(rail)
        events = emitted(engine)
        assert events[-1]["type"] == "transfers.returned"
        assert events[-1]["data"]["reason_code"] == "validity_window_passed"


class TestRedelivery:
    def test_a_crash_between_submit_and_commit_sends_once(
        self,
        engine: Engine,
        sim: Simulator,
        sqs: Any,
        inbox: str,
        consumer: Any,
        rail: RailWorker,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        event = submitted(CREDITOR.address, amount="42.000001")
        deliver(sqs, inbox, event)
        consume_all(consumer)
        transfer_id = event["data"]["transfer_id"]
        recorded = row(engine, transfer_id)

        real_submit = Algod.submit

        def submit_then_die(self: Algod, raw: bytes, txid: str) -> Submitted:
            real_submit(self, raw, txid)
            raise Crash("the process died before committing")

        monkeypatch.setattr(Algod, "submit", submit_then_die)
        with pytest.raises(Crash):
            rail.submit_signed()
        monkeypatch.undo()
        assert row(engine, transfer_id).state == "signed"
        assert outbox(engine) == []

        # The same event again (SQS redelivery) and a re-emitted copy (new id).
        again = dict(event, id=str(uuid.uuid4()))
        deliver(sqs, inbox, event)
        deliver(sqs, inbox, again)
        consume_all(consumer)
        after = row(engine, transfer_id)
        assert (after.txid, after.signed_ref) == (recorded.txid, recorded.signed_ref)

        run_rail(rail)

        assert row(engine, transfer_id).state == "settled"
        assert sim.chain.broadcasts == 2
        assert list(sim.chain.txns) == [recorded.txid]
        assert usdc(sim, CREDITOR.address) == 42_000_001
        types = [e["type"] for e in emitted(engine)]
        assert types == ["transfers.accepted", "transfers.settled"]


class TestMalformed:
    def test_malformed_events_are_rejected_or_dead_lettered_and_the_next_flows(
        self,
        engine: Engine,
        sim: Simulator,
        sqs: Any,
        inbox: str,
        consumer: Any,
        rail: RailWorker,
        topology: dict[str, str],
    ) -> None:
        broken = submitted(CREDITOR.address)
        del broken["specversion"]
        zar = submitted(CREDITOR.address, currency="ZAR")
        good = submitted(CREDITOR.address, amount="1.00")
        deliver(sqs, inbox, "this is not json")
        deliver(sqs, inbox, broken)
        deliver(sqs, inbox, zar)
        deliver(sqs, inbox, good)
        consume_all(consumer)
        run_rail(rail)

        dead = raw_bodies(sqs, topology["storo-gw-usdc-inbox-dlq"], count=2)
        assert sorted(dead) == sorted(["this is not json", json.dumps(broken)])
        events = emitted(engine)
        rejected = of_type(events, "transfers.rejected")
        assert [r["data"]["reason_code"] for r in rejected] == ["unsupported_currency"]
        assert rejected[0]["data"]["stage"] == "gateway"
        assert row(engine, good["data"]["transfer_id"]).state == "settled"
        assert usdc(sim, CREDITOR.address) == 1_000_000


class TestRelay:
    def test_events_reach_cts_through_the_topic(
        self,
        engine: Engine,
        sim: Simulator,
        sqs: Any,
        inbox: str,
        consumer: Any,
        rail: RailWorker,
        aws: Any,
        topology: dict[str, str],
    ) -> None:
        event = submitted(CREDITOR.address)
        deliver(sqs, inbox, event)
        consume_all(consumer)
        run_rail(rail)
        relay = Relay(
            engine,
            schema=SCHEMA,
            sns=aws.client("sns"),
            topic_arn=topology["storo-gw-usdc-events"],
        )
        assert relay.run_once() + relay.run_once() == 2  # one per subject per round
        received = drain(sqs, topology["storo-cts-inbox"], timeout=5, count=2)
        for name in ("storo-ledger-inbox", "storo-recon-inbox"):
            drain(sqs, topology[name], timeout=3)
        assert sorted(e["type"] for e in received) == [
            "transfers.accepted",
            "transfers.settled",
        ]
        for envelope in received:
            validate_event(envelope)
            assert envelope["source"] == "storo-gw-usdc"
