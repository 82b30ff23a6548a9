"""``storo-ledger``: serve, worker, migrate, verify, fund, expire."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from storo_otel import configure_logging, configure_tracing
from storo_platform.money import MoneyError, parse_amount

from storo_ledger import SERVICE, __version__
from storo_ledger.db import make_engine, make_sessions
from storo_ledger.settings import LedgerSettings


def _settings() -> LedgerSettings:
    settings = LedgerSettings()
    if not settings.database_url:
        sys.exit("storo-ledger: STORO_LEDGER_DATABASE_URL is not set")
    return settings


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    _settings()
    uvicorn.run(
        "storo_ledger.app:factory",
        factory=True,
        host=args.host,
        port=args.port,
        reload=args.reload,
        log_config=None,
    )
    return 0


def worker(args: argparse.Namespace) -> int:
    from storo_ledger import worker as loops

    settings = _settings()
    configure_logging(SERVICE, fmt=settings.log_format, level=settings.log_level)
    configure_tracing(SERVICE, settings.otlp_endpoint, version=__version__)
    assert settings.database_url
    return loops.run(make_engine(settings.database_url), settings)


def migrate(args: argparse.Namespace) -> int:
    from storo_platform.migrations import upgrade

    settings = _settings()
    assert settings.database_url
    upgrade("storo_ledger", settings.database_url, args.revision)
    return 0


def verify(args: argparse.Namespace) -> int:
    from storo_ledger.journal import audit

    settings = _settings()
    assert settings.database_url
    engine = make_engine(settings.database_url, pool_size=1)
    with make_sessions(engine).begin() as session:
        report = audit.verify(session)
    engine.dispose()
    brk = report.first_break
    print(
        json.dumps(
            {
                "ok": report.ok,
                "entries_checked": report.entries_checked,
                "first_break": None
                if brk is None
                else {"seq": brk.seq, "entry_id": brk.entry_id, "reason": brk.reason},
                "balance_mismatches": report.balance_mismatches,
            }
        )
    )
    if brk is not None:
        print(
            f"storo-ledger: entry {brk.entry_id} (seq {brk.seq}) does not fit the"
            f" chain: {brk.reason}",
            file=sys.stderr,
        )
    return 0 if report.ok else 1


def fund(args: argparse.Namespace) -> int:
    from storo_ledger.postings.service import fund as book_deposit

    settings = _settings()
    assert settings.database_url
    try:
        money = parse_amount(args.amount, args.currency)
    except MoneyError as error:
        sys.exit(f"storo-ledger: --amount/--currency: {error} ({error.rule})")
    reference = args.reference or f"{args.account}:{money.currency}:{money.amount}"
    engine = make_engine(settings.database_url, pool_size=1)
    with make_sessions(engine).begin() as session:
        posted = book_deposit(
            session, account=args.account, money=money, reference=reference
        )
    engine.dispose()
    if posted is None:
        print(f"deposit {reference!r} was already booked; nothing done")
    else:
        print(
            f"booked deposit {reference!r}: entry {posted.entry_id}, seq {posted.seq}"
        )
    return 0


def expire(args: argparse.Namespace) -> int:
    from storo_ledger import worker as loops

    settings = _settings()
    assert settings.database_url
    engine = make_engine(settings.database_url, pool_size=1)
    count = loops.sweep_once(engine, settings, loops.postings_for(settings))
    engine.dispose()
    print(f"released or refused {count} item(s)")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="storo-ledger", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the HTTP API (uvicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8200)
    p.add_argument("--reload", action="store_true")
    p.set_defaults(run=serve)

    p = sub.add_parser("worker", help="run the outbox relay, inbox consumer and sweeps")
    p.set_defaults(run=worker)

    p = sub.add_parser("migrate", help="alembic upgrade of the ledger schema")
    p.add_argument("--revision", default="head")
    p.set_defaults(run=migrate)

    p = sub.add_parser("verify", help="recompute the hash chain; exit 1 on a break")
    p.set_defaults(run=verify)

    p = sub.add_parser("fund", help="book a deposit into a customer account")
    p.add_argument("--account", required=True, help="the customer's account number")
    p.add_argument("--amount", required=True, help='decimal string, e.g. "1000.00"')
    p.add_argument("--currency", required=True)
    p.add_argument(
        "--reference",
        help="idempotency reference (default: account, currency and amount)",
    )
    p.set_defaults(run=fund)

    p = sub.add_parser("expire", help="release expired holds once (the worker does it)")
    p.set_defaults(run=expire)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
