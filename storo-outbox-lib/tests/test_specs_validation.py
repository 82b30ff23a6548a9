"""The consumer's default validator is the pinned storo-specs."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import storo_specs
from sqlalchemy.engine import Engine
from storo_testing import drain

from storo_outbox import Consumer, make_envelope
from support import SCHEMA, Channel, record_effect, scalar, wait_for

SAMPLE = Path(__file__).parent.parent / "samples" / "transfers.accepted.json"


def accepted(**data: Any) -> dict[str, Any]:
    transfer_id = str(uuid.uuid4())
    return make_envelope(
        type="transfers.accepted",
        source="storo-gw-usdc",
        subject=transfer_id,
        data={
            "transfer_id": transfer_id,
            "rail": "usdc",
            "rail_reference": "QXJ4LG7ZK2VH5MTD3WN6BPRYC4FSA8EU2JHKQ7TLM5XNV3DPWRZA",
            "accepted_at": "2026-12-03T10:15:41.900000Z",
            **data,
        },
    )


class TestDefaultValidator:
    def test_make_envelope_builds_what_the_specs_accept(self) -> None:
        storo_specs.validate_event(accepted())

    def test_the_sample_is_valid(self) -> None:
        storo_specs.validate_event(json.loads(SAMPLE.read_text()))

    def test_a_valid_event_is_handled_and_an_invalid_one_dead_lettered(
        self, engine: Engine, channel: Channel
    ) -> None:
        good = accepted()
        bad = accepted(rail="carrier-pigeon")
        for envelope in (bad, good):
            channel.sqs.send_message(
                QueueUrl=channel.queue_url, MessageBody=json.dumps(envelope)
            )
        consumer = Consumer(
            engine,
            schema=SCHEMA,
            sqs=channel.sqs,
            queue_url=channel.queue_url,
            handlers={"transfers.accepted": record_effect},
            wait_seconds=1,
        )
        wait_for(
            lambda: (
                consumer.poll_once() >= 0
                and scalar(engine, f"SELECT count(*) FROM {SCHEMA}.effects") == 1
            ),
            15,
            "the valid event",
        )
        assert scalar(engine, f"SELECT event_id FROM {SCHEMA}.effects") == good["id"]
        (dead,) = drain(channel.sqs, channel.dlq_url, count=1)
        assert dead["id"] == bad["id"]
