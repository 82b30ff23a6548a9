"""Reading envelopes off a queue in tests."""

from __future__ import annotations

import json
import time
from typing import Any


def drain(
    sqs: Any,
    queue_url: str,
    timeout: float = 5.0,
    *,
    count: int | None = None,
    wait_seconds: int = 1,
) -> list[dict[str, Any]]:
    """Receive and delete messages from ``queue_url``; return their parsed bodies.

    Without ``count`` it returns once a receive comes back empty (or ``timeout``
    passed); with ``count`` it keeps receiving until that many arrived or the timeout.
    """
    deadline = time.monotonic() + timeout
    envelopes: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        remaining = max(0.0, deadline - time.monotonic())
        response = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=min(wait_seconds, int(remaining)),
            MessageAttributeNames=["All"],
        )
        messages = response.get("Messages", [])
        if messages:
            sqs.delete_message_batch(
                QueueUrl=queue_url,
                Entries=[
                    {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]}
                    for n, m in enumerate(messages)
                ],
            )
            envelopes.extend(json.loads(m["Body"]) for m in messages)
        if count is not None and len(envelopes) >= count:
            break
        if count is None and not messages:
            break
    return envelopes
