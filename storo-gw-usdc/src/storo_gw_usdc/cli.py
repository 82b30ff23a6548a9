"""`storo-gw-usdc serve|worker|migrate|seed-dev`."""

from __future__ import annotations

import argparse
import sys

import structlog

from storo_gw_usdc import SCHEMA, SERVICE, runtime
from storo_gw_usdc.settings import GatewaySettings

log = structlog.get_logger("storo_gw_usdc.cli")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="storo-gw-usdc")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP API (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8610)
    serve.add_argument("--reload", action="store_true")
    commands.add_parser("worker", help="run relay, inbox consumer and rail loops")
    commands.add_parser("migrate", help="alembic upgrade head")
    seeding = commands.add_parser("seed-dev", help="seed the development simulator")
    seeding.add_argument("--algod-url", default=None)
    args = parser.parse_args(argv)
    settings = GatewaySettings()
    _configure_logging(settings)
    if args.command == "serve":
        _serve(args)
    elif args.command == "worker":
        sys.exit(_worker(settings))
    elif args.command == "migrate":
        from storo_platform.migrations import upgrade

        if not settings.database_url:
            sys.exit("STORO_GW_USDC_DATABASE_URL is not set")
        upgrade("storo_gw_usdc", settings.database_url)
        print(f"{SCHEMA}: migrated to head")
    elif args.command == "seed-dev":
        from storo_gw_usdc.devseed import seed

        vault = runtime.vault(settings)
        vault.ensure_storage(settings.aws_region)
        address = seed(
            algod_url=args.algod_url or settings.algod_url,
            secrets=runtime.aws(settings, "secretsmanager"),
            secret_id=settings.hot_wallet_secret_id,
            asset_id=settings.asset_id,
        )
        print(address)


def _configure_logging(settings: GatewaySettings) -> None:
    from storo_otel import configure_logging

    configure_logging(SERVICE, fmt=settings.log_format)


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run(
        "storo_gw_usdc.app:build",
        factory=True,
        host=args.host,
        port=args.port,
        reload=args.reload,
    )


def _worker(settings: GatewaySettings) -> int:
    from prometheus_client import start_http_server
    from storo_otel import configure_tracing
    from storo_outbox import Relay, run_loops

    from storo_gw_usdc.transfers.consumers import make_consumer
    from storo_gw_usdc.transfers.worker import RailWorker

    if not (settings.events_topic_arn and settings.inbox_queue_url):
        sys.exit("STORO_GW_USDC_EVENTS_TOPIC_ARN and _INBOX_QUEUE_URL must be set")
    configure_tracing(SERVICE, settings.otlp_endpoint)
    engine = runtime.engine(settings)
    gateway = runtime.gateway(settings)
    relay = Relay(
        engine,
        schema=SCHEMA,
        sns=runtime.aws(settings, "sns"),
        topic_arn=settings.events_topic_arn,
    )
    consumer = make_consumer(
        engine,
        gateway,
        sqs=runtime.aws(settings, "sqs"),
        queue_url=settings.inbox_queue_url,
    )
    rail = RailWorker(engine, gateway, poll_seconds=settings.poll_seconds)
    if settings.worker_metrics_port:
        start_http_server(settings.worker_metrics_port)
    log.info("worker.configured", hot_wallet=gateway.wallet.address)
    try:
        return run_loops(
            {
                "relay": relay.run_forever,
                "inbox": consumer.run_forever,
                "rail": rail.run_forever,
            }
        )
    finally:
        engine.dispose()
