from __future__ import annotations

import json

import storo_specs

from storo_testing import MotoServer, drain


class TestTopologyFixture:
    def test_every_topic_and_queue_of_the_specs_exists(
        self, topology: dict[str, str]
    ) -> None:
        document = storo_specs.topology()
        for name in document["topics"]:
            assert topology[name].startswith("arn:aws:sns:")
        for queue in document["queues"]:
            assert topology[queue["name"]].endswith("/" + queue["name"])
            assert topology[queue["dead_letter_queue"]].endswith(
                "/" + queue["dead_letter_queue"]
            )

    def test_a_gateway_event_reaches_only_the_subscribed_inboxes(
        self, aws: MotoServer, topology: dict[str, str]
    ) -> None:
        sns, sqs = aws.client("sns"), aws.client("sqs")
        sns.publish(
            TopicArn=topology["storo-gw-usdc-events"],
            Message=json.dumps({"type": "transfers.accepted", "n": 1}),
            MessageAttributes={
                "type": {"DataType": "String", "StringValue": "transfers.accepted"}
            },
        )
        # cts and recon subscribe to accepted from the gateways; the ledger does not.
        assert drain(sqs, topology["storo-cts-inbox"], count=1, timeout=5) == [
            {"type": "transfers.accepted", "n": 1}
        ]
        assert len(drain(sqs, topology["storo-recon-inbox"], count=1, timeout=5)) == 1
        assert drain(sqs, topology["storo-ledger-inbox"], timeout=2) == []
