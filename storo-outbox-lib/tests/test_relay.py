from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from storo_testing import drain

from storo_outbox import (
    MAX_MESSAGE_BYTES,
    EnvelopeTooLarge,
    Relay,
    emit,
    make_envelope,
    tables,
)
from support import SCHEMA, Channel, emit_events, scalar


def relay_for(engine: Engine, channel: Channel, **kwargs: Any) -> Relay:
    return Relay(
        engine, schema=SCHEMA, sns=channel.sns, topic_arn=channel.topic_arn, **kwargs
    )


class TestRunOnce:
    def test_publishes_the_envelope_with_its_type_attribute(
        self, engine: Engine, channel: Channel
    ) -> None:
        (envelope,) = emit_events(engine, ["s-1"])
        assert relay_for(engine, channel).run_once() == 1
        response = channel.sqs.receive_message(
            QueueUrl=channel.queue_url,
            WaitTimeSeconds=2,
            MessageAttributeNames=["All"],
        )
        (message,) = response["Messages"]
        assert json.loads(message["Body"]) == envelope
        assert message["MessageAttributes"]["type"]["StringValue"] == (
            "outboxtest.happened"
        )

    def test_marks_published_rows(self, engine: Engine, channel: Channel) -> None:
        emit_events(engine, ["a", "b", "c"])
        assert relay_for(engine, channel).run_once() == 3
        assert (
            scalar(
                engine,
                f"SELECT count(*) FROM {SCHEMA}.outbox WHERE published_at IS NULL",
            )
            == 0
        )
        assert relay_for(engine, channel).run_once() == 0

    def test_publishes_at_most_a_batch(self, engine: Engine, channel: Channel) -> None:
        emit_events(engine, [f"s-{n}" for n in range(13)])
        relay = relay_for(engine, channel)
        assert [relay.run_once(), relay.run_once(), relay.run_once()] == [10, 3, 0]
        assert len(drain(channel.sqs, channel.queue_url, count=13)) == 13


class TestOrderPerSubject:
    def test_a_later_event_waits_while_an_earlier_one_is_locked(
        self, engine: Engine, channel: Channel
    ) -> None:
        first, second, other = emit_events(engine, ["s-1", "s-1", "s-2"])
        relay = relay_for(engine, channel)
        # Another relay holds the subject's first event (it is mid-publish).
        with engine.connect() as holder, holder.begin():
            holder.execute(
                sa.text(
                    f"SELECT 1 FROM {SCHEMA}.outbox WHERE event_id = :id FOR UPDATE"
                ),
                {"id": first["id"]},
            )
            assert relay.run_once() == 1
            assert [e["id"] for e in drain(channel.sqs, channel.queue_url)] == [
                other["id"]
            ]
        assert relay.run_once() == 1
        assert relay.run_once() == 1
        received = drain(channel.sqs, channel.queue_url, count=2)
        assert [e["id"] for e in received] == [first["id"], second["id"]]

    def test_one_batch_takes_only_the_head_of_each_subject(
        self, engine: Engine, channel: Channel
    ) -> None:
        emit_events(engine, ["s-1", "s-1", "s-1"])
        relay = relay_for(engine, channel)
        assert [relay.run_once() for _ in range(4)] == [1, 1, 1, 0]
        received = drain(channel.sqs, channel.queue_url, count=3)
        assert [e["data"]["n"] for e in received] == [0, 1, 2]


class TestPrune:
    def test_removes_only_rows_published_before_the_retention(
        self, engine: Engine, channel: Channel
    ) -> None:
        emit_events(engine, ["old", "recent", "pending"])
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"UPDATE {SCHEMA}.outbox SET published_at = now() - CASE subject"
                    " WHEN 'old' THEN interval '8 days' ELSE interval '1 hour' END"
                    " WHERE subject <> 'pending'"
                )
            )
        assert relay_for(engine, channel).prune() == 1
        with engine.connect() as conn:
            left = conn.execute(
                sa.text(f"SELECT subject FROM {SCHEMA}.outbox ORDER BY id")
            ).scalars()
            assert list(left) == ["recent", "pending"]


class TestMetrics:
    def test_backlog_and_oldest_age_follow_the_table(
        self, engine: Engine, channel: Channel
    ) -> None:
        emit_events(engine, ["a", "b"])
        relay = relay_for(engine, channel)
        assert relay.refresh_metrics()[0] == 2
        labels = {"schema": SCHEMA}
        assert REGISTRY.get_sample_value("storo_outbox_backlog", labels) == 2
        age = REGISTRY.get_sample_value(
            "storo_outbox_oldest_pending_age_seconds", labels
        )
        assert age is not None
        assert age >= 0
        before = (
            REGISTRY.get_sample_value("storo_outbox_publish_seconds_count", labels) or 0
        )
        relay.run_once()
        relay.refresh_metrics()
        assert REGISTRY.get_sample_value("storo_outbox_backlog", labels) == 0
        assert (
            REGISTRY.get_sample_value("storo_outbox_oldest_pending_age_seconds", labels)
            == 0
        )
        assert (
            REGISTRY.get_sample_value("storo_outbox_publish_seconds_count", labels)
            == before + 1
        )


class TestMessageSize:
    def test_emit_refuses_an_envelope_too_large_for_sns(self, engine: Engine) -> None:
        with (
            pytest.raises(EnvelopeTooLarge),
            Session(engine) as session,
            session.begin(),
        ):
            emit(
                session,
                schema=SCHEMA,
                type="outboxtest.happened",
                source="storo-test",
                subject="s-1",
                data={"blob": "x" * MAX_MESSAGE_BYTES},
            )
        assert scalar(engine, f"SELECT count(*) FROM {SCHEMA}.outbox") == 0

    def test_an_oversized_row_is_parked_and_the_others_flow(
        self, engine: Engine, channel: Channel
    ) -> None:
        huge = make_envelope(
            type="outboxtest.happened",
            source="storo-test",
            subject="s-huge",
            data={"blob": "x" * MAX_MESSAGE_BYTES},
        )
        with engine.begin() as conn:
            conn.execute(
                tables(SCHEMA)
                .outbox.insert()
                .values(
                    event_id=uuid.UUID(huge["id"]),
                    type=huge["type"],
                    subject=huge["subject"],
                    envelope=huge,
                )
            )
        (small,) = emit_events(engine, ["s-small"])
        relay = relay_for(engine, channel)
        assert relay.run_once() == 1
        assert [e["id"] for e in drain(channel.sqs, channel.queue_url)] == [small["id"]]
        with engine.connect() as conn:
            parked = conn.execute(
                sa.text(
                    f"SELECT published_at, next_attempt_at = 'infinity' AS parked,"
                    f" last_error FROM {SCHEMA}.outbox WHERE subject = 's-huge'"
                )
            ).one()
        assert parked.published_at is None
        assert parked.parked
        assert "bytes" in parked.last_error
        assert relay.run_once() == 0

    def test_a_batch_stays_within_the_sns_request_limit(
        self, engine: Engine, channel: Channel
    ) -> None:
        third = MAX_MESSAGE_BYTES // 3
        with Session(engine) as session, session.begin():
            for n in range(3):
                emit(
                    session,
                    schema=SCHEMA,
                    type="outboxtest.happened",
                    source="storo-test",
                    subject=f"s-{n}",
                    data={"blob": "x" * third},
                )
        relay = relay_for(engine, channel)
        assert [relay.run_once(), relay.run_once(), relay.run_once()] == [2, 1, 0]
        assert len(drain(channel.sqs, channel.queue_url, count=3)) == 3
