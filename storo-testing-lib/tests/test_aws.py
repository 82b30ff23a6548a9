from __future__ import annotations

import json
import os
import secrets

import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError

from storo_testing import MotoServer, TcpProxy, drain


class TestAwsFixture:
    def test_answers_and_sets_credentials(self, aws: MotoServer) -> None:
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
        assert os.environ["AWS_DEFAULT_REGION"] == aws.region
        assert os.environ["AWS_ENDPOINT_URL"] == aws.endpoint_url
        queues = aws.client("sqs").list_queues()
        assert queues["ResponseMetadata"]["HTTPStatusCode"] == 200

    def test_published_reads_what_a_topic_received(self, aws: MotoServer) -> None:
        sns = aws.client("sns")
        topic = sns.create_topic(Name=f"storo-t{secrets.token_hex(3)}-events")
        sns.publish(TopicArn=topic["TopicArn"], Message='{"n": 1}')
        (received,) = aws.published(topic["TopicArn"])
        assert json.loads(received["message"]) == {"n": 1}

    def test_a_stopped_server_no_longer_answers(self) -> None:
        server = MotoServer()
        sqs = server.client("sqs", config=Config(retries={"max_attempts": 1}))
        sqs.list_queues()
        server.stop()
        with pytest.raises(EndpointConnectionError):
            sqs.list_queues()


class TestTcpProxy:
    def test_cuts_off_and_restores_the_emulator(self, aws: MotoServer) -> None:
        proxy = TcpProxy(aws.host, aws.port)
        sqs = aws.client(
            "sqs",
            endpoint_url=proxy.url,
            config=Config(retries={"max_attempts": 1}, connect_timeout=1),
        )
        try:
            sqs.list_queues()
            proxy.stop()
            with pytest.raises(EndpointConnectionError):
                sqs.list_queues()
            proxy.start()
            sqs.list_queues()
        finally:
            proxy.stop()


class TestDrain:
    def test_returns_the_bodies_and_empties_the_queue(self, aws: MotoServer) -> None:
        sqs = aws.client("sqs")
        url = sqs.create_queue(QueueName=f"storo-d{secrets.token_hex(3)}")["QueueUrl"]
        for n in range(12):
            sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"n": n}))
        received = drain(sqs, url, count=12, timeout=10)
        assert sorted(e["n"] for e in received) == list(range(12))
        assert drain(sqs, url, timeout=2) == []

    def test_stops_at_the_timeout_when_fewer_arrive(self, aws: MotoServer) -> None:
        sqs = aws.client("sqs")
        url = sqs.create_queue(QueueName=f"storo-d{secrets.token_hex(3)}")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="{}")
        assert drain(sqs, url, count=2, timeout=2) == [{}]
