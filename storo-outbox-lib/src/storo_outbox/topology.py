"""Create the fleet's messaging topology (storo-specs ``topology()``) in SNS and SQS.

:func:`provision` is idempotent: run again, it converges the same topics, queues,
dead-letter queues, redrive policies, queue policies and subscriptions, updating
filter policies that changed. The devstack and the test plugin both call it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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
    subscriptions: tuple[Subscription, ...] = field(default=())


def _first(mapping: Mapping[str, Any], *names: str, default: Any = None) -> Any:
    for name in names:
        if name in mapping and mapping[name] is not None:
            return mapping[name]
    return default


def _name(item: Any) -> str:
    if isinstance(item, str):
        return item
    return str(_first(item, "name", "topic", "queue", "arn"))


def _types(item: Mapping[str, Any]) -> tuple[str, ...]:
    types = _first(item, "types", "event_types", "filter", "filter_policy")
    if isinstance(types, Mapping):
        types = types.get("type", [])
    return tuple(types or ())


def _queue(item: Any, default_dlq: str | None = None) -> Queue:
    if isinstance(item, str):
        return Queue(item, default_dlq or f"{item}-dlq")
    redrive = _first(item, "redrive", "redrive_policy", default={})
    dlq = _first(item, "dlq", "dead_letter_queue", "deadLetterQueue", default=None)
    if dlq is None and isinstance(redrive, Mapping):
        dlq = _first(redrive, "dlq", "dead_letter_queue", "deadLetterTargetArn")
    count = _first(item, "max_receive_count", "maxReceiveCount", "max_receives")
    if count is None and isinstance(redrive, Mapping):
        count = _first(redrive, "max_receive_count", "maxReceiveCount")
    return Queue(
        name=_name(item),
        dlq=_name(dlq).rsplit(":", 1)[-1] if dlq else default_dlq,
        max_receive_count=int(count or DEFAULT_MAX_RECEIVES),
    )


def plan(topology: Mapping[str, Any]) -> Plan:
    """Normalise a topology document into topics, queues and subscriptions.

    Accepts the flat form (``topics``, ``queues``, ``subscriptions`` lists) and the
    per-service form (``services``: name -> ``topic``, ``queue``, ``dlq``,
    ``subscriptions``); a subscription may name its topic or the producing service.
    """
    topics: dict[str, None] = {}
    queues: dict[str, Queue] = {}
    subscriptions: list[Subscription] = []
    service_topics: dict[str, str] = {}
    raw_subscriptions: list[tuple[str | None, Mapping[str, Any]]] = []

    services = topology.get("services", {})
    if isinstance(services, list):
        services = {_first(s, "name", "service"): s for s in services}
    for service, spec in services.items():
        topic = _first(spec, "topic", "events_topic")
        if topic:
            service_topics[service] = _name(topic)
            topics[_name(topic)] = None
        queue = _first(spec, "queue", "inbox", "inbox_queue")
        if queue:
            dlq = _first(spec, "dlq", "dead_letter_queue", "inbox_dlq")
            parsed = _queue(queue, _name(dlq) if dlq else None)
            if isinstance(queue, str) and "max_receive_count" in spec:
                parsed = Queue(parsed.name, parsed.dlq, int(spec["max_receive_count"]))
            queues[parsed.name] = parsed
            for sub in _first(spec, "subscriptions", "subscribes", default=[]):
                raw_subscriptions.append((parsed.name, sub))

    for topic in topology.get("topics", []):
        topics[_name(topic)] = None
    for queue in topology.get("queues", []):
        parsed = _queue(queue)
        queues[parsed.name] = parsed
    for sub in topology.get("subscriptions", []):
        raw_subscriptions.append((None, sub))

    for queue_name, sub in raw_subscriptions:
        topic = str(_first(sub, "topic", "from", "source", "producer"))
        topic = service_topics.get(topic, topic)
        queue = queue_name or str(_first(sub, "queue", "to", "endpoint"))
        topics.setdefault(topic, None)
        subscriptions.append(Subscription(topic, queue, _types(sub)))
    return Plan(tuple(topics), tuple(queues.values()), tuple(subscriptions))


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
