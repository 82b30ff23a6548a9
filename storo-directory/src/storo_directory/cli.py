"""`storo-directory`: serve, worker, migrate, import, load-samples."""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import structlog

from storo_directory.settings import DirectorySettings

log = structlog.get_logger(__name__)


def _database_url(settings: DirectorySettings) -> str:
    if not settings.database_url:
        raise SystemExit("STORO_DIRECTORY_DATABASE_URL is not set")
    return settings.database_url


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run(
        "storo_directory.app:create",
        factory=True,
        host=args.host,
        port=args.port,
        reload=args.reload,
        access_log=False,
    )
    return 0


def _worker(_args: argparse.Namespace) -> int:
    import boto3
    from storo_otel import configure_logging
    from storo_outbox import Relay, run_loops

    from storo_directory.catalog.repository import SCHEMA
    from storo_directory.db import make_engine

    settings = DirectorySettings()
    configure_logging("storo-directory", fmt=settings.log_format)
    if not settings.events_topic_arn:
        raise SystemExit("STORO_DIRECTORY_EVENTS_TOPIC_ARN is not set")
    sns = boto3.client(
        "sns", endpoint_url=settings.aws_endpoint_url, region_name=settings.aws_region
    )
    engine = make_engine(_database_url(settings))
    # The directory has a topic and no inbox: the worker only relays the outbox.
    relay = Relay(engine, schema=SCHEMA, sns=sns, topic_arn=settings.events_topic_arn)
    try:
        return run_loops({"relay": relay.run_forever})
    finally:
        engine.dispose()


def _migrate(_args: argparse.Namespace) -> int:
    from storo_platform.migrations import upgrade

    upgrade("storo_directory", _database_url(DirectorySettings()))
    print("directory schema migrated to head")
    return 0


def _import(args: argparse.Namespace) -> int:
    from storo_directory.catalog.errors import ImportRefused
    from storo_directory.catalog.parsing import guess_format
    from storo_directory.publishing import publish_file

    settings = DirectorySettings()
    path = Path(args.file)
    fmt = args.format or guess_format(path.name, None)
    try:
        published = publish_file(
            settings,
            dataset=args.dataset,
            path=path,
            fmt=fmt,
            version=args.version,
            effective_from=args.effective_from,
            source="cli",
            published_by=args.operator,
        )
    except ImportRefused as refused:
        print(f"refused: {refused.detail}; nothing was published", file=sys.stderr)
        for error in refused.row_errors:
            where = f"row {error.row}" if error.row else "import"
            field = f" {error.field}" if error.field else ""
            print(f"  {where}{field}: {error.rule}: {error.message}", file=sys.stderr)
        return 1
    header = published.header
    state = "published" if published.created else "already published"
    print(
        f"{state}: {header.dataset} {header.version} "
        f"({header.record_count} records, sha256 {header.sha256})"
    )
    return 0


def _load_samples(_args: argparse.Namespace) -> int:
    from storo_directory.publishing import load_samples

    for published in load_samples(DirectorySettings()):
        header = published.header
        state = "published" if published.created else "already published"
        print(f"{state}: {header.dataset} {header.version} ({header.record_count})")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="storo-directory", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP API (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8400)
    serve.add_argument("--reload", action="store_true")
    serve.set_defaults(run=_serve)

    worker = commands.add_parser("worker", help="relay the outbox until SIGTERM")
    worker.set_defaults(run=_worker)

    migrate = commands.add_parser("migrate", help="alembic upgrade head")
    migrate.set_defaults(run=_migrate)

    imp = commands.add_parser("import", help="validate and publish a dataset file")
    imp.add_argument(
        "dataset", choices=["institutions", "bins", "fees", "settlement_windows"]
    )
    imp.add_argument("file")
    imp.add_argument("--version", help="version name (JSON files may carry it)")
    imp.add_argument("--effective-from", help="RFC 3339 date-time (default: now)")
    imp.add_argument("--format", choices=["csv", "json"], help="default: by suffix")
    imp.add_argument("--operator", help="recorded as published_by")
    imp.set_defaults(run=_import)

    samples = commands.add_parser(
        "load-samples", help="publish the bundled datasets (idempotent)"
    )
    samples.set_defaults(run=_load_samples)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
