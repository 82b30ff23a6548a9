"""`storo-compliance serve|worker|migrate|ingest|load-samples`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from storo_compliance.lists.model import LIST_NAMES, ListName
from storo_compliance.settings import SCHEMA, ComplianceSettings

SAMPLES = Path(__file__).resolve().parent / "samples_data"
SAMPLE_SOURCES: dict[ListName, Path] = {
    "ofac_sdn": SAMPLES / "ofac_sdn",
    "un_consolidated": SAMPLES / "un_consolidated.xml",
    "eu_consolidated": SAMPLES / "eu_consolidated.xml",
    "za_fic": SAMPLES / "za_fic.xml",
}


def _database_url(settings: ComplianceSettings) -> str:
    if not settings.database_url:
        sys.exit("STORO_COMPLIANCE_DATABASE_URL is not set")
    return settings.database_url


def cmd_serve(args: argparse.Namespace, settings: ComplianceSettings) -> int:
    import uvicorn

    uvicorn.run(
        "storo_compliance.app:build_app",
        factory=True,
        host=args.host,
        port=args.port or settings.port,
        reload=args.reload,
        log_config=None,
    )
    return 0


def cmd_worker(args: argparse.Namespace, settings: ComplianceSettings) -> int:
    import boto3
    from storo_otel import configure_logging, get_logger
    from storo_outbox import Relay, run_loops

    from storo_compliance.db import make_engine

    configure_logging("storo-compliance", fmt=settings.log_format)
    log = get_logger("storo_compliance.worker")
    if not settings.events_topic_arn:
        sys.exit("STORO_COMPLIANCE_EVENTS_TOPIC_ARN is not set")
    engine = make_engine(_database_url(settings))
    sns = boto3.client(
        "sns", endpoint_url=settings.aws_endpoint_url, region_name=settings.aws_region
    )
    relay = Relay(
        engine,
        schema=SCHEMA,
        sns=sns,
        topic_arn=settings.events_topic_arn,
        poll_interval=settings.relay_poll_seconds,
    )
    # compliance has a topic but no inbox: the worker runs the relay only.
    log.info("worker.configured", topic=settings.events_topic_arn)
    try:
        return run_loops({"relay": relay.run_forever})
    finally:
        engine.dispose()


def cmd_migrate(args: argparse.Namespace, settings: ComplianceSettings) -> int:
    from storo_platform.migrations import upgrade

    upgrade("storo_compliance", _database_url(settings))
    print("compliance schema is at head")
    return 0


def _ingest(settings: ComplianceSettings, list_name: ListName, source: str) -> bool:
    from storo_compliance.app import s3_factory
    from storo_compliance.db import make_engine, make_sessions
    from storo_compliance.lists.service import ingest

    engine = make_engine(_database_url(settings))
    try:
        result = ingest(
            engine,
            make_sessions(engine),
            list_name,
            source,
            s3=s3_factory(settings),
            batch_size=settings.ingest_batch_size,
            progress=lambda line: print(line, flush=True),
        )
    finally:
        engine.dispose()
    print(f"job {result.job_id}: {result.status}", flush=True)
    return result.status != "failed"


def cmd_ingest(args: argparse.Namespace, settings: ComplianceSettings) -> int:
    if args.batch_size:
        settings.ingest_batch_size = args.batch_size
    return 0 if _ingest(settings, args.list, args.source) else 1


def cmd_load_samples(args: argparse.Namespace, settings: ComplianceSettings) -> int:
    ok = True
    for list_name, path in SAMPLE_SOURCES.items():
        ok = _ingest(settings, list_name, str(path)) and ok
    return 0 if ok else 1


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="storo-compliance", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP API (uvicorn)")
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--reload", action="store_true")
    serve.set_defaults(run=cmd_serve)
    sub.add_parser("worker", help="run the outbox relay until SIGTERM").set_defaults(
        run=cmd_worker
    )
    sub.add_parser("migrate", help="alembic upgrade head").set_defaults(run=cmd_migrate)
    ingest = sub.add_parser("ingest", help="load a list file from a path or S3")
    ingest.add_argument("list", choices=LIST_NAMES)
    ingest.add_argument("source", help="path, directory (OFAC) or s3://bucket/key")
    ingest.add_argument("--batch-size", type=int, default=None)
    ingest.set_defaults(run=cmd_ingest)
    sub.add_parser(
        "load-samples", help="ingest the bundled sample of each list"
    ).set_defaults(run=cmd_load_samples)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    code: int = args.run(args, ComplianceSettings())
    return code


if __name__ == "__main__":
    raise SystemExit(main())
