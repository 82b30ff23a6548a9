"""Through the emulator: events fan out to the inbox, are booked once, and the
ledger's own events leave through the outbox relay."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text
from storo_outbox import Consumer, Relay
from storo_specs import validate_event
from storo_testing import MotoServer, ServiceDatabase, drain

from storo_ledger import SCHEMA
from storo_ledger.db import make_engine, make_sessions
from storo_ledger.postings.consumers import handlers
from storo_ledger.postings.service import Postings, fund
from tests import events


@pytest.fixture(scope="module")
def engine(fresh_db: ServiceDatabase) -> Iterator[Engine]:
    made = make_engine(fresh_db.url)
    yield made
    made.dispose()


def publish(sns: Any, topic_arn: str, envelope: dict[str, Any]) -> None:
    sns.publish(
        TopicArn=topic_arn,
        Message=json.dumps(envelope),
        MessageAttributes={
            "type": {"DataType": "String", "StringValue": envelope["type"]}
        },
    )


def consume_all(consumer: Consumer, rounds: int = 20) -> int:
    handled = 0
    for _ in range(rounds):
        got = consumer.poll_once()
        if not got:
            return handled
        handled += got
    return handled


class TestInbox:
    def test_each_event_is_booked_once_whatever_the_redeliveries(
        self,
        aws: MotoServer,
        topology: dict[str, str],
        engine: Engine,
        postings: Postings,
    ) -> None:
        sns, sqs = aws.client("sns"), aws.client("sqs")
        queue = topology["storo-ledger-inbox"]
        drain(sqs, queue)
        account, transfer = events.new_account(), events.new_transfer()
        from storo_platform.money import Money

        with make_sessions(engine).begin() as session:
            fund(session, account=account, money=Money(50000, "ZAR"), reference="m1")
        submitted = events.submitted(transfer, account)
        settled_by_gateway = events.settled(transfer)
        settled_by_recon = events.settled(
            transfer, source="storo-recon", proof="statement"
        )
        # settlement first, then the submission three times (as SNS may redeliver)
        publish(sns, topology["storo-gw-oppwa-events"], settled_by_gateway)
        for _ in range(3):
            publish(sns, topology["storo-cts-events"], submitted)
        publish(sns, topology["storo-recon-events"], settled_by_recon)

        consumer = Consumer(
            engine,
            schema=SCHEMA,
            sqs=sqs,
            queue_url=queue,
            handlers=handlers(postings),
            wait_seconds=1,
        )
        assert consume_all(consumer) == 5
        with engine.connect() as conn:
            kinds = conn.execute(
                text(
                    "SELECT kind FROM ledger.entries"
                    " WHERE transfer_id = CAST(:t AS uuid) ORDER BY seq"
                ),
                {"t": transfer},
            ).scalars()
            assert list(kinds) == ["hold", "post"]
            inbox = conn.execute(
                text("SELECT count(*) FROM ledger.inbox WHERE subject = :t"),
                {"t": transfer},
            ).scalar_one()
            assert inbox == 3  # one submission, two settlements
        assert drain(sqs, topology["storo-ledger-inbox-dlq"]) == []


class TestRelay:
    def test_entry_events_reach_the_ledger_topic_valid(
        self, aws: MotoServer, topology: dict[str, str], engine: Engine
    ) -> None:
        sns, sqs = aws.client("sns"), aws.client("sqs")
        probe = sqs.create_queue(QueueName="ledger-test-probe")["QueueUrl"]
        probe_arn = sqs.get_queue_attributes(
            QueueUrl=probe, AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
        sns.subscribe(
            TopicArn=topology["storo-ledger-events"],
            Protocol="sqs",
            Endpoint=probe_arn,
            Attributes={"RawMessageDelivery": "true"},
        )
        relay = Relay(
            engine, schema=SCHEMA, sns=sns, topic_arn=topology["storo-ledger-events"]
        )
        published = 0
        while (sent := relay.run_once()) > 0:
            published += sent
        assert published > 0
        received = drain(sqs, probe, timeout=10, count=published)
        assert len(received) == published
        for envelope in received:
            validate_event(envelope)
        assert {e["type"] for e in received} == {"ledger.entry.posted"}


class TestWorker:
    def test_the_worker_books_from_the_inbox_and_publishes(
        self,
        aws: MotoServer,
        topology: dict[str, str],
        fresh_db: ServiceDatabase,
        engine: Engine,
    ) -> None:
        import threading

        from storo_ledger import worker
        from storo_ledger.settings import LedgerSettings

        sns = aws.client("sns")
        settings = LedgerSettings(
            database_url=fresh_db.url,
            aws_endpoint_url=aws.endpoint_url,
            events_topic_arn=topology["storo-ledger-events"],
            inbox_queue_url=topology["storo-ledger-inbox"],
            inbox_wait_seconds=1,
            worker_metrics_port=0,
            sweep_interval_seconds=0.2,
        )
        account, transfer = events.new_account(), events.new_transfer()
        from storo_platform.money import Money

        with make_sessions(engine).begin() as session:
            fund(session, account=account, money=Money(50000, "ZAR"), reference="w1")
        publish(sns, topology["storo-cts-events"], events.submitted(transfer, account))
        stop = threading.Event()
        loops = threading.Thread(target=worker.run, args=(engine, settings, stop))
        loops.start()
        try:
            booked = None
            for _ in range(100):  # a bounded wait for the effect, not a timing test
                with engine.connect() as conn:
                    booked = conn.execute(
                        text(
                            "SELECT e.kind FROM ledger.entries AS e"
                            " JOIN ledger.outbox AS o"
                            " ON o.subject = e.transfer_id::text"
                            " WHERE e.transfer_id = CAST(:t AS uuid)"
                            " AND o.published_at IS NOT NULL"
                        ),
                        {"t": transfer},
                    ).scalar_one_or_none()
                if booked:
                    break
                stop.wait(0.1)
        finally:
            stop.set()
            loops.join()
        assert booked == "hold"
