"""The worker's relay publishes `directory.dataset.published` to the topic."""

import json
from typing import Any

from sqlalchemy import create_engine
from storo_outbox import Relay
from storo_platform.migrations import upgrade
from storo_testing import drain
from storo_testing.databases import ServiceDatabase

from conftest import settings_for
from contract import assert_event
from storo_directory.publishing import load_samples


def test_published_versions_reach_the_topic(
    fresh_database: ServiceDatabase, aws: Any, topology: dict[str, str]
) -> None:
    upgrade("storo_directory", fresh_database.url)
    load_samples(settings_for(fresh_database.url))
    sns, sqs = aws.client("sns"), aws.client("sqs")
    topic_arn = topology["storo-directory-events"]
    # No service subscribes to the directory; a tap queue stands in for operators.
    tap = sqs.create_queue(QueueName="directory-relay-test-tap")["QueueUrl"]
    tap_arn = sqs.get_queue_attributes(QueueUrl=tap, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=tap_arn,
        Attributes={"RawMessageDelivery": "true"},
    )
    engine = create_engine(fresh_database.url)
    try:
        relay = Relay(engine, schema="directory", sns=sns, topic_arn=topic_arn)
        assert relay.run_once() == 4
        assert relay.run_once() == 0
    finally:
        engine.dispose()
    envelopes = drain(sqs, tap, timeout=10, count=4)
    for envelope in envelopes:
        assert_event(envelope)
    assert sorted(e["data"]["dataset"] for e in envelopes) == [
        "bins",
        "fees",
        "institutions",
        "settlement_windows",
    ]
    assert {e["source"] for e in envelopes} == {"storo-directory"}
    assert json.loads(json.dumps(envelopes[0]))["data"]["version"] == "2025.1"
