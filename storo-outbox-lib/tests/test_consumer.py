from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from storo_testing import ServiceDatabase, TcpProxy, drain

from storo_outbox import Backoff, DatabaseUnavailable, RetryLater, make_envelope
from support import (
    SCHEMA,
    Channel,
    make_consumer,
    record_effect,
    scalar,
    wait_for,
)


def send(channel: Channel, envelope: dict[str, Any] | str) -> None:
    body = envelope if isinstance(envelope, str) else json.dumps(envelope)
    channel.sqs.send_message(QueueUrl=channel.queue_url, MessageBody=body)


def happened(subject: str = "s-1", type_: str = "outboxtest.happened") -> Any:
    return make_envelope(type=type_, source="storo-test", subject=subject, data={})


def outcomes(channel: Channel) -> dict[str, float]:
    queue = channel.queue_url.rsplit("/", 1)[-1]
    return {
        outcome: REGISTRY.get_sample_value(
            "storo_consumer_messages_total", {"queue": queue, "outcome": outcome}
        )
        or 0.0
        for outcome in ("handled", "retried", "dead_lettered", "duplicate")
    }


def effects(engine: Engine) -> int:
    return int(scalar(engine, f"SELECT count(*) FROM {SCHEMA}.effects"))


class TestHandling:
    def test_applies_the_effect_and_records_the_event(
        self, engine: Engine, channel: Channel
    ) -> None:
        envelope = happened()
        send(channel, envelope)
        consumer = make_consumer(engine, channel)
        wait_for(lambda: consumer.poll_once() > 0, 10, "the message")
        assert effects(engine) == 1
        assert scalar(engine, f"SELECT event_id FROM {SCHEMA}.inbox") == envelope["id"]
        assert outcomes(channel)["handled"] == 1
        assert drain(channel.sqs, channel.queue_url, timeout=2) == []

    def test_a_redelivered_event_is_skipped(
        self, engine: Engine, channel: Channel
    ) -> None:
        envelope = happened()
        send(channel, envelope)
        send(channel, envelope)
        consumer = make_consumer(engine, channel)
        wait_for(
            lambda: consumer.poll_once() >= 0 and sum(outcomes(channel).values()) >= 2,
            10,
            "both copies",
        )
        assert effects(engine) == 1
        assert outcomes(channel)["duplicate"] == 1

    def test_a_failing_handler_leaves_neither_effect_nor_inbox_row(
        self, engine: Engine, channel: Channel
    ) -> None:
        calls: list[str] = []

        def flaky(session: Session, envelope: dict[str, Any]) -> None:
            record_effect(session, envelope)
            calls.append(envelope["id"])
            if len(calls) == 1:
                raise RuntimeError("the first attempt fails after its insert")

        send(channel, happened())
        consumer = make_consumer(
            engine,
            channel,
            handlers={"outboxtest.happened": flaky},
            retry_backoff=Backoff(base=0, cap=0),
        )
        wait_for(lambda: consumer.poll_once() >= 0 and len(calls) == 2, 15, "retry")
        assert effects(engine) == 1
        assert outcomes(channel)["retried"] == 1
        assert outcomes(channel)["handled"] == 1


class TestRetryLater:
    def test_the_message_comes_back_after_the_delay(
        self, engine: Engine, channel: Channel
    ) -> None:
        seen: list[int] = []

        def not_yet(session: Session, envelope: dict[str, Any]) -> None:
            seen.append(1)
            if len(seen) == 1:
                raise RetryLater("the transfer is not known yet", delay=1)
            record_effect(session, envelope)

        send(channel, happened())
        consumer = make_consumer(
            engine, channel, handlers={"outboxtest.happened": not_yet}
        )
        wait_for(lambda: consumer.poll_once() >= 0 and effects(engine) == 1, 15, "2nd")
        assert outcomes(channel)["retried"] == 1
        assert len(seen) == 2


class TestDeadLetters:
    def test_a_poison_message_reaches_the_dlq_and_the_rest_flow_on(
        self, engine: Engine, channel: Channel
    ) -> None:
        def explode(session: Session, envelope: dict[str, Any]) -> None:
            raise RuntimeError("this event can never be handled")

        poison = happened("p-1", "outboxtest.poison")
        invalid = {"id": "x", "type": "outboxtest.happened"}  # no source, no data
        good = [happened(f"g-{n}") for n in range(6)]
        send(channel, good[0])
        send(channel, poison)
        send(channel, "this is not json")
        send(channel, invalid)
        for envelope in good[1:]:
            send(channel, envelope)
        consumer = make_consumer(
            engine,
            channel,
            handlers={
                "outboxtest.happened": record_effect,
                "outboxtest.poison": explode,
            },
            retry_backoff=Backoff(base=0, cap=0),
            max_receives=3,
        )
        dead: list[dict[str, Any]] = []

        def settled() -> bool:
            consumer.poll_once()
            response = channel.sqs.receive_message(
                QueueUrl=channel.dlq_url,
                MaxNumberOfMessages=10,
                MessageAttributeNames=["All"],
            )
            dead.extend(response.get("Messages", []))
            return effects(engine) == len(good) and len(dead) == 3

        wait_for(settled, 30, "the good events handled and three dead letters")
        reasons = {
            m["Body"]: m["MessageAttributes"]["storo-dead-letter-reason"]["StringValue"]
            for m in dead
        }
        assert reasons == {
            json.dumps(poison): "retries_exhausted",
            "this is not json": "invalid",
            json.dumps(invalid): "invalid",
        }
        assert outcomes(channel)["handled"] == len(good)
        assert outcomes(channel)["dead_lettered"] == 3
        assert outcomes(channel)["retried"] == 2  # receives 1 and 2 of the poison

    def test_a_type_without_handler_is_dead_lettered(
        self, engine: Engine, channel: Channel
    ) -> None:
        send(channel, happened(type_="outboxtest.unhandled"))
        consumer = make_consumer(engine, channel)
        wait_for(lambda: consumer.poll_once() > 0, 10, "the message")
        (message,) = drain(channel.sqs, channel.dlq_url, count=1)
        assert message["type"] == "outboxtest.unhandled"

    def test_the_dlq_is_found_from_the_redrive_policy(
        self, engine: Engine, channel: Channel
    ) -> None:
        assert make_consumer(engine, channel).dlq_url == channel.dlq_url


class TestSlowHandlers:
    def test_visibility_is_extended_so_no_other_consumer_sees_the_message(
        self, engine: Engine, channel: Channel
    ) -> None:
        """A handler slower than the visibility timeout keeps its message hidden.

        Without the extension the message would reappear after two seconds and the
        second consumer, polling all along, would receive it.
        """
        started = threading.Event()

        def slow(session: Session, envelope: dict[str, Any]) -> None:
            started.set()
            time.sleep(4.5)
            record_effect(session, envelope)

        send(channel, happened())
        slow_consumer = make_consumer(
            engine,
            channel,
            handlers={"outboxtest.happened": slow},
            visibility_timeout=2,
        )
        worker = threading.Thread(target=slow_consumer.poll_once)
        worker.start()
        assert started.wait(10)
        other = make_consumer(engine, channel)
        taken = 0
        while worker.is_alive():
            taken += other.poll_once()
        worker.join()
        assert taken == 0
        assert effects(engine) == 1
        assert outcomes(channel)["duplicate"] == 0


class TestLag:
    def test_lag_is_the_age_of_the_oldest_message_received(
        self, engine: Engine, channel: Channel
    ) -> None:
        send(channel, happened())
        time.sleep(1.1)
        consumer = make_consumer(engine, channel)
        wait_for(lambda: consumer.poll_once() > 0, 10, "the message")
        queue = channel.queue_url.rsplit("/", 1)[-1]
        lag = REGISTRY.get_sample_value("storo_consumer_lag_seconds", {"queue": queue})
        assert lag is not None
        assert lag >= 1.0
        consumer.poll_once()
        assert (
            REGISTRY.get_sample_value("storo_consumer_lag_seconds", {"queue": queue})
            == 0
        )


class TestDatabaseOutage:
    def test_no_message_is_received_or_dead_lettered_while_the_database_is_down(
        self, engine: Engine, channel: Channel, database: ServiceDatabase
    ) -> None:
        """The consumer reaches PostgreSQL through a proxy that is cut off.

        The message received when the failure shows is released at once; while the
        database stays down, polling receives nothing (the test's own receive is
        the message's second); once it is back, the event is handled, not
        dead-lettered, although ``max_receives`` is 2.
        """
        url = sa.make_url(database.url)
        proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
        proxied = sa.create_engine(url.set(port=proxy.port), pool_pre_ping=True)
        try:
            send(channel, happened())
            consumer = make_consumer(proxied, channel, max_receives=2)
            proxied.dispose()
            proxy.stop()
            with pytest.raises(DatabaseUnavailable):
                wait_for(lambda: consumer.poll_once() > 0, 10, "the message")
            for _ in range(3):
                with pytest.raises(DatabaseUnavailable):
                    consumer.poll_once()
            (seen,) = channel.sqs.receive_message(
                QueueUrl=channel.queue_url,
                WaitTimeSeconds=2,
                MessageSystemAttributeNames=["ApproximateReceiveCount"],
            )["Messages"]
            assert seen["Attributes"]["ApproximateReceiveCount"] == "2"
            channel.sqs.change_message_visibility(
                QueueUrl=channel.queue_url,
                ReceiptHandle=seen["ReceiptHandle"],
                VisibilityTimeout=0,
            )
            proxy.start()
            wait_for(lambda: consumer.poll_once() > 0, 10, "the message again")
        finally:
            proxy.stop()
            proxied.dispose()
        assert effects(engine) == 1
        assert outcomes(channel)["dead_lettered"] == 0
        assert drain(channel.sqs, channel.dlq_url, timeout=1) == []


class TestPrune:
    def test_forgets_only_inbox_ids_older_than_asked(
        self, engine: Engine, channel: Channel
    ) -> None:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"INSERT INTO {SCHEMA}.inbox (event_id, type, source, handled_at)"
                    " VALUES ('old', 't', 's', now() - interval '15 days'),"
                    " ('new', 't', 's', now())"
                )
            )
        assert make_consumer(engine, channel).prune() == 1
        assert scalar(engine, f"SELECT event_id FROM {SCHEMA}.inbox") == "new"


class TestEnvelopeBasics:
    def test_an_envelope_without_source_is_dead_lettered_whatever_the_validator(
        self, engine: Engine, channel: Channel
    ) -> None:
        envelope = happened()
        del envelope["source"]
        send(channel, envelope)
        consumer = make_consumer(engine, channel, validate=lambda _envelope: None)
        wait_for(lambda: consumer.poll_once() > 0, 10, "the message")
        (dead,) = drain(channel.sqs, channel.dlq_url, count=1)
        assert dead["id"] == envelope["id"]
        assert effects(engine) == 0
