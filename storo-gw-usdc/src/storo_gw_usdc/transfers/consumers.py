"""The inbox handlers of this gateway: one event type, one handler."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Engine
from storo_outbox import Consumer

from storo_gw_usdc import SCHEMA
from storo_gw_usdc.transfers.service import Gateway
from storo_gw_usdc.transfers.transform import EVENT_TYPE, admit


def handlers(gateway: Gateway) -> Mapping[str, Any]:
    return {EVENT_TYPE: gateway.receive}


def make_consumer(
    engine: Engine, gateway: Gateway, *, sqs: Any, queue_url: str, **options: Any
) -> Consumer:
    """The inbox consumer, with the validator that lets bad `data` be rejected."""
    return Consumer(
        engine,
        schema=SCHEMA,
        sqs=sqs,
        queue_url=queue_url,
        handlers=handlers(gateway),
        validate=admit,
        **options,
    )
