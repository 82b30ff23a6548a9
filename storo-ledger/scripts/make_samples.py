"""Regenerate samples/ by running the ledger on a throwaway database.

    .venv/bin/python scripts/make_samples.py

Every sample is what the service really emitted or answered, not hand-written.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from storo_platform.money import Money
from storo_testing import create_service_database, find_or_start
from storo_testing.databases import drop_service_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storo_ledger.app import build  # noqa: E402 - after the path set-up above
from storo_ledger.db import make_engine, make_sessions  # noqa: E402
from storo_ledger.migrations import upgrade  # noqa: E402
from storo_ledger.postings.service import Postings, fund  # noqa: E402
from storo_ledger.settings import LedgerSettings  # noqa: E402
from tests import events  # noqa: E402

ACCOUNT = "ZA4410000000012345"


def write(name: str, document: Any) -> None:
    (ROOT / "samples" / name).write_text(json.dumps(document, indent=2) + "\n")


def main() -> None:
    server = find_or_start()
    db = create_service_database(server, "ledger")
    try:
        upgrade(db.url)
        engine = make_engine(db.url)
        sessions = make_sessions(engine)
        postings = Postings(hold_ttl=timedelta(hours=120))
        with sessions.begin() as s:
            fund(s, account=ACCOUNT, money=Money(100000, "ZAR"), reference="demo")
        t1, t2, t3 = (events.new_transfer() for _ in range(3))
        for envelope in [
            events.submitted(t1, ACCOUNT),
            events.settled(t1),
            events.returned(t1),
            events.submitted(t2, ACCOUNT),
            events.failed(t2),
            events.settled(t2),  # after the void: refused
            events.submitted(t3, ACCOUNT),
        ]:
            with sessions.begin() as s:
                postings.handle(s, envelope)
        with sessions.begin() as s:
            expires_at = s.execute(
                text("SELECT expires_at FROM ledger.holds WHERE transfer_id = :t"),
                {"t": t3},
            ).scalar_one()
            postings.expire_due(s, now=expires_at)
        with sessions() as s:
            rows = s.execute(
                text("SELECT type, envelope FROM ledger.outbox ORDER BY id")
            ).all()
        seen: dict[str, Any] = {}
        for event_type, envelope in rows:
            key = event_type
            if event_type == "ledger.entry.posted":
                kind = envelope["data"]["kind"]
                if envelope["data"]["transfer_id"] is None:
                    kind = "deposit"  # an operator's fund, booked as a post
                key = f"{event_type}.{kind}"
            seen.setdefault(key, envelope)
        for key, envelope in seen.items():
            write(f"{key}.json", envelope)
        app = build(LedgerSettings(database_url=db.url, log_format="console"))
        customer = f"customer:{ACCOUNT}:ZAR"
        with TestClient(app) as client:
            answers = [
                ("AccountPage", client.get("/v1/accounts", params={"limit": 3})),
                ("Account", client.get(f"/v1/accounts/{customer}")),
                ("Balance", client.get(f"/v1/accounts/{customer}/balance")),
                ("EntryPage", client.get(f"/v1/transfers/{t1}/entries")),
                ("TrialBalance", client.get("/v1/trial-balance?currency=ZAR")),
            ]
        write(
            "api-examples.json",
            [
                {"document": "ledger", "component": name, "instance": answer.json()}
                for name, answer in answers
            ],
        )
        app.state.engine.dispose()
        engine.dispose()
    finally:
        drop_service_database(server, db)


if __name__ == "__main__":
    main()
