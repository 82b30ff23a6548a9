"""Create the fleet's messaging topology (storo-specs ``topology()``) in SNS and SQS.

:func:`provision` is idempotent: run again, it converges the same topics, queues,
dead-letter queues, redrive policies, queue policies and subscriptions, updating
filter policies that changed. The devstack and the test plugin both call it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_MAX_RECEIVES = 5


@dataclass(frozen=True)
class Queue:
    """An inbox queue and its dead-letter queue."""

    name: str
    dlq: str | None
    max_receive_count: int = DEFAULT_MAX_RECEIVES


@dataclass(frozen=True)
class Subscription:
    """A queue subscribed to a topic, receiving only the listed event types."""

    topic: str
    queue: str
    types: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """The topology, normalised."""

    topics: tuple[str, ...]
    queues: tuple[Queue, ...]
    subscriptions: tuple[Subscription, ...]


def plan(topology: Mapping[str, Any]) -> Plan:
    """Read a storo-specs topology document (``topology.schema.json``, version 1).

    Uses its ``topics``, ``queues`` (``name``, ``dead_letter_queue``,
    ``max_receive_count``, defaulting to the document's ``max_receive_count``) and
    ``subscriptions`` (``topic``, ``queue``, ``filter_policy.type``). Subscriptions
    are always raw-delivery: the SQS body is the envelope itself.
    """
    default_receives = int(topology.get("max_receive_count", DEFAULT_MAX_RECEIVES))
    queues = tuple(
        Queue(
            name=queue["name"],
            dlq=queue.get("dead_letter_queue"),
            max_receive_count=int(queue.get("max_receive_count", default_receives)),
        )
        for queue in topology.get("queues", [])
    )
    subscriptions = tuple(
        Subscription(
            topic=sub["topic"],
            queue=sub["queue"],
            types=tuple(sub.get("filter_policy", {}).get("type", ())),
        )
        for sub in topology.get("subscriptions", [])
    )
    topics = dict.fromkeys(topology.get("topics", []))
    topics.update(dict.fromkeys(sub.topic for sub in subscriptions))
    return Plan(tuple(topics), queues, subscriptions)


def _queue_arn(sqs: Any, url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return str(attributes["Attributes"]["QueueArn"])


def _allow_topics(queue_arn: str, topic_arns: Iterable[str]) -> str:
    # SNS may deliver to the queue only on behalf of the topics subscribed to it.
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AllowSubscribedTopics",
                    "Effect": "Allow",
                    "Principal": {"Service": "sns.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": queue_arn,
                    "Condition": {"ArnEquals": {"aws:SourceArn": sorted(topic_arns)}},
                }
            ],
        }
    )


def _subscribe(sns: Any, topic_arn: str, queue_arn: str, types: tuple[str, ...]) -> str:
    attributes = {"RawMessageDelivery": "true"}
    if types:
        attributes["FilterPolicy"] = json.dumps({"type": sorted(types)})
    paginator = sns.get_paginator("list_subscriptions_by_topic")
    for page in paginator.paginate(TopicArn=topic_arn):
        for existing in page["Subscriptions"]:
            if existing["Protocol"] == "sqs" and existing["Endpoint"] == queue_arn:
                arn = existing["SubscriptionArn"]
                for name, value in attributes.items():
                    sns.set_subscription_attributes(
                        SubscriptionArn=arn, AttributeName=name, AttributeValue=value
                    )
                return str(arn)
    response = sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=queue_arn,
        Attributes=attributes,
        ReturnSubscriptionArn=True,
    )
    return str(response["SubscriptionArn"])


def provision(sns: Any, sqs: Any, topology: Mapping[str, Any]) -> dict[str, str]:
    """Create or converge the topology; return names -> topic ARNs and queue URLs.

    Topic names map to their ARN, queue and dead-letter queue names to their URL.
    """
    layout = plan(topology)
    names: dict[str, str] = {}
    for topic in layout.topics:
        names[topic] = str(sns.create_topic(Name=topic)["TopicArn"])
    queue_arns: dict[str, str] = {}
    for queue in layout.queues:
        url = str(sqs.create_queue(QueueName=queue.name)["QueueUrl"])
        names[queue.name] = url
        queue_arns[queue.name] = _queue_arn(sqs, url)
        if queue.dlq:
            dlq_url = str(sqs.create_queue(QueueName=queue.dlq)["QueueUrl"])
            names[queue.dlq] = dlq_url
            redrive = {
                "deadLetterTargetArn": _queue_arn(sqs, dlq_url),
                "maxReceiveCount": str(queue.max_receive_count),
            }
            sqs.set_queue_attributes(
                QueueUrl=url, Attributes={"RedrivePolicy": json.dumps(redrive)}
            )
    by_queue: dict[str, list[Subscription]] = {}
    for sub in layout.subscriptions:
        by_queue.setdefault(sub.queue, []).append(sub)
    for queue_name, subs in by_queue.items():
        if queue_name not in names:
            url = str(sqs.create_queue(QueueName=queue_name)["QueueUrl"])
            names[queue_name] = url
            queue_arns[queue_name] = _queue_arn(sqs, url)
        topic_arns = {names[sub.topic] for sub in subs}
        sqs.set_queue_attributes(
            QueueUrl=names[queue_name],
            Attributes={"Policy": _allow_topics(queue_arns[queue_name], topic_arns)},
        )
        # Several entries may subscribe one queue to one topic: merge their types.
        merged: dict[str, set[str]] = {}
        for sub in subs:
            merged.setdefault(sub.topic, set()).update(sub.types)
        for topic, types in merged.items():
            _subscribe(sns, names[topic], queue_arns[queue_name], tuple(types))
    return names
