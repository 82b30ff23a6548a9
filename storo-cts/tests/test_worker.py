"""The worker against the AWS emulator: relay out, consumer in, DLQ, duplicates."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import storo_specs
from sqlalchemy.engine import Engine
from storo_outbox import Consumer
from storo_testing import drain

from storo_cts.cli import worker
from storo_cts.settings import CtsSettings
from storo_cts.transfers.consumers import HANDLERS
from tests.conftest import new_key, transfer_body
from tests.dependencies import Dependencies
from tests.events import rail_event

pytestmark = pytest.mark.slow


@pytest.fixture
def quiet_outbox(admin: Engine) -> None:
    """Mark what other tests left in the outbox as published.

    The emulator slows down as queues fill, so the relay under test starts from an
    empty backlog and publishes only this test's events.
    """
    with admin.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE cts.outbox SET published_at = now() WHERE published_at IS NULL"
            )
        )


@pytest.fixture
def queues(aws: Any, topology: dict[str, str]) -> dict[str, str]:
    # Emptied by reading (PurgeQueue is allowed once a minute per queue).
    sqs = aws.client("sqs")
    for name in ("storo-cts-inbox", "storo-cts-inbox-dlq", "storo-gw-oppwa-inbox"):
        drain(sqs, topology[name], timeout=2, wait_seconds=0)
    return topology


def create(client: httpx.Client) -> str:
    response = client.post(
        "/v1/transfers", json=transfer_body(), headers={"Idempotency-Key": new_key()}
    )
    assert response.status_code == 201
    transfer_id: str = response.json()["transfer_id"]
    return transfer_id


def status_of(client: httpx.Client, transfer_id: str) -> str:
    status: str = client.get(f"/v1/transfers/{transfer_id}").json()["status"]
    return status


def consumer(engine: Engine, aws: Any, queues: dict[str, str]) -> Consumer:
    return Consumer(
        engine,
        schema="cts",
        sqs=aws.client("sqs"),
        queue_url=queues["storo-cts-inbox"],
        handlers=HANDLERS,
        wait_seconds=1,
    )


def poll_until(consumer: Consumer, done: Any, attempts: int = 10) -> None:
    for _ in range(attempts):
        consumer.poll_once()
        if done():
            return
    raise AssertionError("the consumer did not get there")


class TestWorker:
    def test_the_worker_publishes_the_submission_to_the_gateway_inbox(
        self,
        client: httpx.Client,
        settings: CtsSettings,
        aws: Any,
        queues: dict[str, str],
        quiet_outbox: None,
        dependencies: Dependencies,
    ) -> None:
        transfer_id = create(client)
        configured = settings.model_copy(
            update={
                "aws_endpoint_url": aws.endpoint_url,
                "events_topic_arn": queues["storo-cts-events"],
                "inbox_queue_url": queues["storo-cts-inbox"],
                "inbox_wait_seconds": 1,
            }
        )
        stop = threading.Event()
        thread = threading.Thread(target=worker, args=(configured, stop))
        thread.start()
        try:
            got = drain(
                aws.client("sqs"), queues["storo-gw-oppwa-inbox"], timeout=20, count=1
            )
        finally:
            stop.set()
            thread.join(timeout=15)
        assert not thread.is_alive()
        assert [e["type"] for e in got] == ["transfers.submitted.oppwa"]
        assert got[0]["subject"] == transfer_id
        storo_specs.validate_event(got[0])

    def test_a_gateway_event_moves_the_transfer_once(
        self,
        client: httpx.Client,
        engine: Engine,
        aws: Any,
        queues: dict[str, str],
        dependencies: Dependencies,
    ) -> None:
        transfer_id = create(client)
        accepted = rail_event("accepted", transfer_id)
        aws.client("sns").publish(
            TopicArn=queues["storo-gw-oppwa-events"],
            Message=json.dumps(accepted),
            MessageAttributes={
                "type": {"DataType": "String", "StringValue": accepted["type"]}
            },
        )
        inbox = consumer(engine, aws, queues)
        poll_until(inbox, lambda: status_of(client, transfer_id) == "accepted")

        # The same event again (SQS delivers at least once): nothing changes.
        aws.client("sqs").send_message(
            QueueUrl=queues["storo-cts-inbox"], MessageBody=json.dumps(accepted)
        )
        assert inbox.poll_once() == 1
        events = client.get(f"/v1/transfers/{transfer_id}/events").json()["events"]
        assert [e["type"] for e in events if e["direction"] == "consumed"] == [
            "transfers.accepted"
        ]

    def test_an_invalid_event_goes_to_the_dead_letter_queue(
        self,
        client: httpx.Client,
        engine: Engine,
        aws: Any,
        queues: dict[str, str],
        dependencies: Dependencies,
    ) -> None:
        transfer_id = create(client)
        broken = rail_event("settled", transfer_id)
        broken["data"]["amount"] = {"amount": 125.5, "currency": "USD"}
        aws.client("sqs").send_message(
            QueueUrl=queues["storo-cts-inbox"], MessageBody=json.dumps(broken)
        )
        assert consumer(engine, aws, queues).poll_once() == 1
        parked = drain(aws.client("sqs"), queues["storo-cts-inbox-dlq"], count=1)
        assert [e["id"] for e in parked] == [broken["id"]]
        assert status_of(client, transfer_id) == "submitted"
