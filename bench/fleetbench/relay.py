"""The relay beside the emulator's own rate: storo-outbox-lib against raw PublishBatch.

Both publish the same envelopes (real ``transfers.status.changed`` events, valid
under storo-specs), serialised the same way and in batches of ten, to fresh topics
with no subscriber on the fleet's moto server in the same run. The two take turns,
a tenth of the events at a time, so a drift of the emulator (or of the machine's
load) during the step does not favour either side.
The ratio is then the relay's own overhead: claiming rows with ``FOR UPDATE SKIP
LOCKED``, marking them published, committing.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import sqlalchemy as sa
import storo_outbox
from sqlalchemy.orm import Session
from storo_outbox import Relay, emit, make_envelope, tables
from storo_specs import validate_event

SCHEMA = "bench_relay"
TYPE = "transfers.status.changed"


def _data(transfer_id: str) -> dict[str, object]:
    return {
        "transfer_id": transfer_id,
        "from": "screened",
        "to": "submitted",
        "cause": {"event_id": None, "event_type": None, "reason": "routed"},
        "at": "2026-12-03T10:00:00.123456Z",
    }


class _TimedSns:
    """Passes PublishBatch through and adds up the time spent inside it."""

    def __init__(self, sns: Any) -> None:
        self._sns = sns
        self.seconds = 0.0

    def publish_batch(self, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self._sns.publish_batch(**kwargs)
        finally:
            self.seconds += time.perf_counter() - started


def _raw_rate(sns: Any, topic: str, bodies: list[str]) -> float:
    started = time.perf_counter()
    for first in range(0, len(bodies), 10):
        sns.publish_batch(
            TopicArn=topic,
            PublishBatchRequestEntries=[
                {
                    "Id": str(n),
                    "Message": body,
                    "MessageAttributes": {
                        "type": {"DataType": "String", "StringValue": TYPE}
                    },
                }
                for n, body in enumerate(bodies[first : first + 10])
            ],
        )
    return len(bodies) / (time.perf_counter() - started)


def measure(
    admin_url: str, sns: Any, events: int, rounds: int = 10
) -> dict[str, float | int]:
    engine = sa.create_engine(admin_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    tables(SCHEMA).outbox.metadata.create_all(engine)

    subjects = [str(uuid.uuid4()) for _ in range(events)]
    validate_event(
        make_envelope(
            type=TYPE, source="storo-cts", subject=subjects[0], data=_data(subjects[0])
        )
    )
    with Session(engine) as session, session.begin():
        for subject in subjects:
            emit(
                session,
                schema=SCHEMA,
                type=TYPE,
                source="storo-cts",
                subject=subject,
                data=_data(subject),
            )
    raw_bodies = [
        json.dumps(
            make_envelope(type=TYPE, source="storo-cts", subject=s, data=_data(s)),
            separators=(",", ":"),
        )
        for s in subjects
    ]

    def topic(kind: str) -> str:
        name = f"bench-{kind}-{uuid.uuid4().hex[:8]}"
        return str(sns.create_topic(Name=name)["TopicArn"])

    # Raw and relay take turns, a chunk each, so both see the same emulator and
    # the same machine load, whatever drifts during the step.
    raw_topic = topic("raw")
    timed = _TimedSns(sns)
    relay = Relay(engine, schema=SCHEMA, sns=timed, topic_arn=topic("relay"))
    raw_seconds = relay_seconds = 0.0
    published = 0
    chunk = max(10, events // rounds)
    for first in range(0, events, chunk):
        bodies = raw_bodies[first : first + chunk]
        raw_seconds += len(bodies) / _raw_rate(sns, raw_topic, bodies)
        started = time.perf_counter()
        goal = min(events, published + len(bodies))
        while published < goal:
            count = relay.run_once()
            if count == 0:
                break
            published += count
        relay_seconds += time.perf_counter() - started

    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {SCHEMA} CASCADE"))
    engine.dispose()
    return {
        "storo_outbox_version": storo_outbox.__version__,
        "events": events,
        "published": published,
        "batch_size": relay.batch_size,
        "rounds": rounds,
        "relay_events_per_s": round(published / relay_seconds, 1),
        "raw_publish_batch_per_s": round(events / raw_seconds, 1),
        # Where the relay's time went: inside PublishBatch, and everything else
        # (claiming, marking published, committing, serialising).
        "relay_seconds": round(relay_seconds, 3),
        "relay_in_publish_batch_seconds": round(timed.seconds, 3),
    }
