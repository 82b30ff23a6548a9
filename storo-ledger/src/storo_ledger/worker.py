"""The worker: outbox relay, inbox consumer and the hold sweeps, until SIGTERM."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from prometheus_client import start_http_server
from sqlalchemy import Engine
from storo_otel import get_logger, instrument_engine
from storo_outbox import Consumer, Relay, run_loops

from storo_ledger import SCHEMA
from storo_ledger.db import make_sessions
from storo_ledger.postings.consumers import handlers
from storo_ledger.postings.service import Postings
from storo_ledger.settings import LedgerSettings

log = get_logger(__name__)


def postings_for(settings: LedgerSettings) -> Postings:
    return Postings(hold_ttl=timedelta(hours=settings.hold_ttl_hours))


def client(settings: LedgerSettings, name: str) -> Any:
    return boto3.client(
        name, endpoint_url=settings.aws_endpoint_url, region_name=settings.aws_region
    )


def sweep_once(engine: Engine, settings: LedgerSettings, postings: Postings) -> int:
    """Release expired holds and refuse stale parked events; one transaction each."""
    sessions = make_sessions(engine)
    now = datetime.now(UTC)
    with sessions.begin() as session:
        expired = postings.expire_due(session, now=now)
    with sessions.begin() as session:
        refused = postings.refuse_stale_parked(
            session, now=now, park_ttl=timedelta(seconds=settings.park_ttl_seconds)
        )
    return expired + refused


def run(
    engine: Engine, settings: LedgerSettings, stop: threading.Event | None = None
) -> int:
    """Relay, consumer and sweeps until SIGTERM or ``stop``; the exit code."""
    if not settings.events_topic_arn or not settings.inbox_queue_url:
        raise RuntimeError(
            "the worker needs STORO_LEDGER_EVENTS_TOPIC_ARN and"
            " STORO_LEDGER_INBOX_QUEUE_URL"
        )
    postings = postings_for(settings)
    relay = Relay(
        engine,
        schema=SCHEMA,
        sns=client(settings, "sns"),
        topic_arn=settings.events_topic_arn,
        batch_size=settings.relay_batch_size,
    )
    consumer = Consumer(
        engine,
        schema=SCHEMA,
        sqs=client(settings, "sqs"),
        queue_url=settings.inbox_queue_url,
        handlers=handlers(postings),
        wait_seconds=settings.inbox_wait_seconds,
    )
    instrument_engine(engine)
    if settings.worker_metrics_port:
        try:
            start_http_server(
                settings.worker_metrics_port, addr=settings.worker_metrics_host
            )
        except OSError as error:  # a busy port costs the metrics, not the books
            log.warning(
                "ledger.worker.metrics_unavailable",
                port=settings.worker_metrics_port,
                error=repr(error),
            )

    def sweeps(stop: threading.Event) -> None:
        rounds = 0
        while not stop.wait(settings.sweep_interval_seconds):
            try:
                sweep_once(engine, settings, postings)
                # inbox ids older than SQS can redeliver (14 days) are of no more use
                if rounds % 120 == 0:
                    consumer.prune()
            except Exception as error:  # the loop outlives a bad round
                log.warning("ledger.sweep.failed", error=repr(error))
            rounds += 1

    return run_loops(
        {
            "relay": relay.run_forever,
            "consumer": consumer.run_forever,
            "sweeps": sweeps,
        },
        stop=stop,
    )
