"""End-to-end delivery through real PostgreSQL and the real emulator.

These are the outbox's promises under failure and load: a relay that dies mid-batch,
an emulator outage, two relays sharing a large backlog, a consumer behind them.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from botocore.config import Config
from prometheus_client import REGISTRY
from sqlalchemy.engine import Engine
from storo_testing import MotoServer, ServiceDatabase, TcpProxy, drain

from storo_outbox import Backoff, Relay, make_envelope, tables, topology
from support import (
    SCHEMA,
    Channel,
    emit_events,
    make_consumer,
    record_effect,
    scalar,
    wait_for,
)

STALLING_RELAY = """
import sys, time
import boto3
from sqlalchemy import create_engine
from storo_outbox import Relay

url, schema, endpoint, topic = sys.argv[1:5]
sns = boto3.client("sns", endpoint_url=endpoint, region_name="af-south-1")


class StallAfterPublish:
    # Forwards to the real client, then stops before the relay can mark the rows.
    def publish_batch(self, **request):
        response = sns.publish_batch(**request)
        print(len(response["Successful"]), flush=True)
        time.sleep(3600)


Relay(create_engine(url), schema=schema, sns=StallAfterPublish(), topic_arn=topic)\\
    .run_once()
"""


def pending(engine: Engine) -> int:
    return int(
        scalar(
            engine, f"SELECT count(*) FROM {SCHEMA}.outbox WHERE published_at IS NULL"
        )
    )


def handled_ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(sa.text(f"SELECT event_id FROM {SCHEMA}.effects")).scalars()
        )


@pytest.fixture
def relay_thread() -> Iterator[Any]:
    """Starts ``run_forever`` loops in threads and stops them at the end."""
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def start(loop: Any) -> None:
        thread = threading.Thread(target=loop.run_forever, args=(stop,), daemon=True)
        thread.start()
        threads.append(thread)

    yield start
    stop.set()
    for thread in threads:
        thread.join(30)


class TestRelayKilledBetweenPublishAndMark:
    def test_publishes_again_and_the_consumer_applies_the_effect_once(
        self,
        engine: Engine,
        database: ServiceDatabase,
        channel: Channel,
        aws: MotoServer,
    ) -> None:
        events = emit_events(engine, ["s-1", "s-2", "s-3"])
        with subprocess.Popen(
            [
                sys.executable,
                "-c",
                STALLING_RELAY,
                database.url,
                SCHEMA,
                aws.endpoint_url,
                channel.topic_arn,
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        ) as relay:
            try:
                assert relay.stdout is not None
                assert relay.stdout.readline().strip() == "3"  # SNS took the batch
                assert pending(engine) == 3  # ... and the rows are not marked
            finally:
                relay.send_signal(signal.SIGKILL)
                relay.wait()
        # The killed relay's transaction died with its connection: the rows are
        # claimable again and a new relay publishes them a second time.
        replacement = Relay(
            engine, schema=SCHEMA, sns=channel.sns, topic_arn=channel.topic_arn
        )
        wait_for(lambda: replacement.run_once() == 3, 15, "the rows to be unlocked")
        assert pending(engine) == 0

        consumer = make_consumer(engine, channel)
        queue = channel.queue_url.rsplit("/", 1)[-1]

        def count(outcome: str) -> float:
            labels = {"queue": queue, "outcome": outcome}
            value = REGISTRY.get_sample_value("storo_consumer_messages_total", labels)
            return value or 0.0

        before = count("duplicate")
        taken = 0
        while taken < 6:
            taken += consumer.poll_once()
        assert sorted(handled_ids(engine)) == sorted(e["id"] for e in events)
        assert count("duplicate") - before == 3
        assert drain(channel.sqs, channel.queue_url, timeout=2) == []


class TestEmulatorOutage:
    def test_the_backlog_grows_for_ten_seconds_then_drains_with_nothing_lost(
        self, engine: Engine, channel: Channel, aws: MotoServer, relay_thread: Any
    ) -> None:
        """The relay reaches SNS through a proxy that is cut off for ten seconds.

        While it is down, events keep being written and none is published (the
        backlog gauge counts every one of them); once it is back, the relay's
        backoff retries find it, and every event reaches the queue exactly once.
        """
        proxy = TcpProxy(aws.host, aws.port)
        sns = aws.client(
            "sns",
            endpoint_url=proxy.url,
            config=Config(
                connect_timeout=1, read_timeout=5, retries={"max_attempts": 1}
            ),
        )
        relay = Relay(
            engine,
            schema=SCHEMA,
            sns=sns,
            topic_arn=channel.topic_arn,
            poll_interval=0.1,
            backoff=Backoff(base=0.1, cap=1.0),
            metrics_interval=0.0,
        )
        relay_thread(relay)
        consumer = make_consumer(engine, channel)
        relay_thread(consumer)
        before = emit_events(engine, [f"before-{n}" for n in range(5)])
        wait_for(lambda: pending(engine) == 0, 15, "the first events to publish")

        proxy.stop()
        during: list[dict[str, Any]] = []
        try:
            outage_ends = time.monotonic() + 10
            while time.monotonic() < outage_ends:
                during += emit_events(engine, [f"during-{len(during)}"])
                time.sleep(0.5)
            assert pending(engine) == len(during)
            wait_for(
                lambda: (
                    REGISTRY.get_sample_value(
                        "storo_outbox_backlog", {"schema": SCHEMA}
                    )
                    == len(during)
                ),
                5,
                "the backlog gauge",
            )
        finally:
            proxy.start()
        wait_for(lambda: pending(engine) == 0, 30, "the backlog to drain")
        expected = sorted(e["id"] for e in before + during)
        wait_for(
            lambda: len(handled_ids(engine)) >= len(expected), 30, "every event handled"
        )
        assert sorted(handled_ids(engine)) == expected
        proxy.stop()


class TestTwoRelaysAtVolume:
    TOTAL = 10_000
    PER_SUBJECT = 5
    SAMPLE_EVERY = 20

    @pytest.mark.slow
    def test_ten_thousand_events_all_arrive_once_in_subject_order(
        self, engine: Engine, aws: MotoServer, relay_thread: Any
    ) -> None:
        """Two relays drain 10,000 outbox events at once; what this proves:

        - at the SNS topic (read from the emulator's own record of what the topic
          received), every one of the 10,000 events arrived exactly once, with its
          envelope as body and its ``type`` attribute, and the five events of each
          of the 2,000 subjects arrived in the order they were written, although
          the two relays interleave;
        - both relays took part (SKIP LOCKED shared the work);
        - through the SQS fan-out, every 20th event (its own type, the only one the
          subscription's filter policy lets through) reached a consumer running at
          the same time and was handled exactly once, and nothing else arrived.
        The fan-out is sampled because moto's SQS slows sharply as a queue fills.
        """
        prefix = f"storo-v{secrets.token_hex(3)}"
        sns, sqs = aws.client("sns"), aws.client("sqs")
        names = topology.provision(
            sns,
            sqs,
            {
                "topics": [f"{prefix}-events"],
                "queues": [
                    {"name": f"{prefix}-inbox", "dead_letter_queue": f"{prefix}-dlq"}
                ],
                "subscriptions": [
                    {
                        "topic": f"{prefix}-events",
                        "queue": f"{prefix}-inbox",
                        "raw_message_delivery": True,
                        "filter_policy": {"type": ["outboxtest.sampled"]},
                    }
                ],
            },
        )
        topic = names[f"{prefix}-events"]
        subjects = self.TOTAL // self.PER_SUBJECT
        written = [
            make_envelope(
                type="outboxtest.sampled"
                if n % self.SAMPLE_EVERY == 0
                else "outboxtest.bulk",
                source="storo-test",
                subject=f"v-{n % subjects}",
                data={"n": n},
            )
            for n in range(self.TOTAL)
        ]
        # One multi-row insert of exactly the rows emit() writes: emit itself is
        # tested elsewhere, and 10,000 single inserts would dominate the run.
        with engine.begin() as conn:
            conn.execute(
                tables(SCHEMA).outbox.insert(),
                [
                    {
                        "event_id": uuid.UUID(e["id"]),
                        "type": e["type"],
                        "subject": e["subject"],
                        "envelope": e,
                    }
                    for e in written
                ],
            )

        published_by: list[list[int]] = [[], []]

        class CountingRelay(Relay):
            def __init__(self, index: int) -> None:
                super().__init__(
                    engine, schema=SCHEMA, sns=sns, topic_arn=topic, poll_interval=0.1
                )
                self.index = index

            def run_once(self) -> int:
                published = super().run_once()
                published_by[self.index].append(published)
                return published

        relay_thread(CountingRelay(0))
        relay_thread(CountingRelay(1))
        channel = Channel(
            topic, names[f"{prefix}-inbox"], names[f"{prefix}-dlq"], sns, sqs
        )
        relay_thread(
            make_consumer(
                engine, channel, handlers={"outboxtest.sampled": record_effect}
            )
        )
        wait_for(lambda: pending(engine) == 0, 180, "all events published")
        sampled = sorted(e["id"] for e in written if e["type"] == "outboxtest.sampled")
        wait_for(
            lambda: len(handled_ids(engine)) >= len(sampled), 90, "the sampled events"
        )

        received = aws.published(topic)
        bodies = [json.loads(item["message"]) for item in received]
        assert sorted(b["id"] for b in bodies) == sorted(e["id"] for e in written)
        by_id = {e["id"]: e for e in written}
        assert all(body == by_id[body["id"]] for body in bodies)
        assert all(
            item["attributes"]["type"]["Value"] == json.loads(item["message"])["type"]
            for item in received
        )
        order: dict[str, list[int]] = defaultdict(list)
        for body in bodies:
            order[body["subject"]].append(body["data"]["n"])
        assert len(order) == subjects
        assert all(ns == sorted(ns) for ns in order.values())
        assert sum(published_by[0]) > 0
        assert sum(published_by[1]) > 0
        assert sum(published_by[0]) + sum(published_by[1]) == self.TOTAL

        assert sorted(handled_ids(engine)) == sampled
        assert drain(sqs, names[f"{prefix}-dlq"], timeout=1) == []
