from __future__ import annotations

import json
import secrets
from typing import Any

from storo_testing import MotoServer, drain

from storo_outbox import topology


def document(prefix: str, types: list[str]) -> dict[str, Any]:
    return {
        "topics": [f"{prefix}-a-events", f"{prefix}-b-events"],
        "max_receive_count": 5,
        "queues": [
            {"name": f"{prefix}-b-inbox", "dead_letter_queue": f"{prefix}-b-inbox-dlq"}
        ],
        "subscriptions": [
            {
                "topic": f"{prefix}-a-events",
                "queue": f"{prefix}-b-inbox",
                "raw_message_delivery": True,
                "filter_policy": {"type": types},
            }
        ],
    }


def publish(sns: Any, topic_arn: str, type_: str) -> None:
    sns.publish(
        TopicArn=topic_arn,
        Message=json.dumps({"type": type_}),
        MessageAttributes={"type": {"DataType": "String", "StringValue": type_}},
    )


class TestProvision:
    def test_returns_arns_and_urls_and_is_idempotent(self, aws: MotoServer) -> None:
        prefix = f"storo-p{secrets.token_hex(3)}"
        sns, sqs = aws.client("sns"), aws.client("sqs")
        names = topology.provision(sns, sqs, document(prefix, ["x.one"]))
        assert names[f"{prefix}-a-events"].startswith("arn:aws:sns:")
        assert names[f"{prefix}-b-inbox"].endswith(f"/{prefix}-b-inbox")
        assert topology.provision(sns, sqs, document(prefix, ["x.one"])) == names
        subscriptions = sns.list_subscriptions_by_topic(
            TopicArn=names[f"{prefix}-a-events"]
        )["Subscriptions"]
        assert len(subscriptions) == 1

    def test_queues_have_redrive_and_a_policy_for_the_topic(
        self, aws: MotoServer
    ) -> None:
        prefix = f"storo-p{secrets.token_hex(3)}"
        sns, sqs = aws.client("sns"), aws.client("sqs")
        names = topology.provision(sns, sqs, document(prefix, ["x.one"]))
        attributes = sqs.get_queue_attributes(
            QueueUrl=names[f"{prefix}-b-inbox"], AttributeNames=["All"]
        )["Attributes"]
        redrive = json.loads(attributes["RedrivePolicy"])
        assert redrive["deadLetterTargetArn"].endswith(f":{prefix}-b-inbox-dlq")
        assert int(redrive["maxReceiveCount"]) == 5
        (statement,) = json.loads(attributes["Policy"])["Statement"]
        assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == [
            names[f"{prefix}-a-events"]
        ]

    def test_subscriptions_deliver_raw_and_only_the_filtered_types(
        self, aws: MotoServer
    ) -> None:
        prefix = f"storo-p{secrets.token_hex(3)}"
        sns, sqs = aws.client("sns"), aws.client("sqs")
        names = topology.provision(sns, sqs, document(prefix, ["x.one"]))
        topic = names[f"{prefix}-a-events"]
        publish(sns, topic, "x.two")
        publish(sns, topic, "x.one")
        assert drain(sqs, names[f"{prefix}-b-inbox"], timeout=3) == [{"type": "x.one"}]

    def test_a_changed_filter_policy_is_converged(self, aws: MotoServer) -> None:
        prefix = f"storo-p{secrets.token_hex(3)}"
        sns, sqs = aws.client("sns"), aws.client("sqs")
        topology.provision(sns, sqs, document(prefix, ["x.one"]))
        names = topology.provision(sns, sqs, document(prefix, ["x.two"]))
        topic = names[f"{prefix}-a-events"]
        publish(sns, topic, "x.one")
        publish(sns, topic, "x.two")
        assert drain(sqs, names[f"{prefix}-b-inbox"], timeout=3) == [{"type": "x.two"}]


class TestPlan:
    def test_reads_the_specs_document_form(self) -> None:
        plan = topology.plan(
            {
                "version": 1,
                "max_receive_count": 4,
                "topics": ["storo-cts-events"],
                "queues": [
                    {
                        "name": "storo-cts-inbox",
                        "dead_letter_queue": "storo-cts-inbox-dlq",
                    }
                ],
                "subscriptions": [
                    {
                        "topic": "storo-gw-usdc-events",
                        "queue": "storo-cts-inbox",
                        "raw_message_delivery": True,
                        "filter_policy": {"type": ["transfers.accepted"]},
                    }
                ],
            }
        )
        assert plan.topics == ("storo-cts-events", "storo-gw-usdc-events")
        assert plan.queues == (
            topology.Queue("storo-cts-inbox", "storo-cts-inbox-dlq", 4),
        )
        assert plan.subscriptions == (
            topology.Subscription(
                "storo-gw-usdc-events", "storo-cts-inbox", ("transfers.accepted",)
            ),
        )
