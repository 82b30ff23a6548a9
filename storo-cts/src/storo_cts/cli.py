"""``storo-cts serve | worker | migrate``."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence
from typing import Any

from storo_cts.settings import SCHEMA, SERVICE, CtsSettings, get_settings


def migrate(database_url: str | None = None) -> None:
    from storo_platform.migrations import upgrade

    url = database_url or get_settings().database_url
    if not url:
        raise SystemExit("set STORO_CTS_DATABASE_URL")
    upgrade("storo_cts", url)


def serve(port: int, host: str, reload: bool, workers: int) -> None:
    import uvicorn

    uvicorn.run(
        "storo_cts.app:app_factory",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=None if reload else workers,
        access_log=False,
        log_config=None,
    )


def _aws_clients(settings: CtsSettings) -> tuple[Any, Any]:
    import boto3

    endpoint, region = settings.aws_endpoint_url, settings.aws_region
    return (
        boto3.client("sns", endpoint_url=endpoint, region_name=region),
        boto3.client("sqs", endpoint_url=endpoint, region_name=region),
    )


def worker(settings: CtsSettings, stop: threading.Event | None = None) -> int:
    """Run the outbox relay and the inbox consumer until SIGTERM or ``stop``."""
    from storo_otel import configure_logging, get_logger
    from storo_outbox import Consumer, Relay, run_loops

    from storo_cts.db import make_engine
    from storo_cts.transfers.consumers import HANDLERS

    configure_logging(SERVICE, fmt=settings.log_format, level=settings.log_level)
    log = get_logger("storo_cts.worker")
    if not settings.events_topic_arn or not settings.inbox_queue_url:
        raise SystemExit("set STORO_CTS_EVENTS_TOPIC_ARN and STORO_CTS_INBOX_QUEUE_URL")
    engine = make_engine(settings)
    sns, sqs = _aws_clients(settings)
    relay = Relay(
        engine,
        schema=SCHEMA,
        sns=sns,
        topic_arn=settings.events_topic_arn,
        batch_size=settings.worker_batch_size,
    )
    consumer = Consumer(
        engine,
        schema=SCHEMA,
        sqs=sqs,
        queue_url=settings.inbox_queue_url,
        handlers=HANDLERS,
        wait_seconds=settings.inbox_wait_seconds,
        batch_size=settings.worker_batch_size,
    )
    log.info("worker.configured", topic=settings.events_topic_arn)
    try:
        return run_loops(
            {"relay": relay.run_forever, "consumer": consumer.run_forever}, stop=stop
        )
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="storo-cts", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="run the HTTP API (uvicorn)")
    serve_cmd.add_argument("--port", type=int, default=8100)
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--reload", action="store_true")
    serve_cmd.add_argument("--workers", type=int, default=1)
    commands.add_parser("worker", help="run the outbox relay and the inbox consumer")
    commands.add_parser("migrate", help="upgrade the cts schema to the latest version")
    args = parser.parse_args(argv)

    if args.command == "serve":
        serve(args.port, args.host, args.reload, args.workers)
    elif args.command == "migrate":
        migrate()
    elif args.command == "worker":
        sys.exit(worker(get_settings()))
    else:  # pragma: no cover - argparse refuses unknown commands
        sys.exit(2)


if __name__ == "__main__":
    main()
