"""The JSON documents pgbench sends, so its transactions carry what the services do.

Intake's are read back from a transfer the fleet really took in; posting's are the
documents storo-ledger sends for a hold and a post of that same shape (the formats
of ``storo_ledger.journal.repository`` and ``hashchain``: lines and deltas with
``json.dumps`` defaults, the chain body compact with sorted keys).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import psycopg

DEBTOR = "customer:ZA-BENCH-0001:USDC"


def intake_variables(database_url: str) -> dict[str, str]:
    """The documents of the newest submitted transfer in the fleet's database."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute(
            """
            SELECT t.id, t.debtor, t.creditor, t.screening, q.dataset_versions,
                   k.fingerprint, k.response_body, k.response_headers
              FROM cts.transfers AS t
              JOIN cts.quotes AS q ON q.transfer_id = t.id
              JOIN cts.idempotency_keys AS k ON k.key = t.idempotency_key
             WHERE t.rail = 'usdc' AND k.status = 201
             ORDER BY t.created_at DESC LIMIT 1
            """
        ).fetchone()
        if row is None:
            raise RuntimeError("no submitted transfer in the fleet to copy from")
        transfer_id = row[0]
        events = dict(
            conn.execute(
                """
                SELECT DISTINCT ON (type) type, envelope FROM cts.outbox
                 WHERE subject = %s ORDER BY type, id
                """,
                (str(transfer_id),),
            ).fetchall()
        )
        timeline = dict(
            conn.execute(
                """
                SELECT DISTINCT ON (type) type, data FROM cts.transfer_timeline
                 WHERE transfer_id = %s ORDER BY type, seq
                """,
                (transfer_id,),
            ).fetchall()
        )
    changed, submitted = "transfers.status.changed", "transfers.submitted.usdc"
    # The envelopes as the service sends them: json.dumps defaults, as psycopg's
    # Jsonb adapter writes them.
    return {
        "changed_event": json.dumps(events[changed]),
        "submitted_event": json.dumps(events[submitted]),
        "debtor": json.dumps(row[1]),
        "creditor": json.dumps(row[2]),
        "screening": json.dumps(row[3]),
        "dataset_versions": json.dumps(row[4]),
        "fingerprint": row[5],
        "response": json.dumps(row[6]),
        "headers": json.dumps(row[7]),
        "changed_data": json.dumps(timeline[changed]),
        "submitted_data": json.dumps(timeline[submitted]),
    }


def _lines(lines: list[tuple[str, str, str, int]]) -> list[dict[str, Any]]:
    return [
        {
            "line_no": n,
            "account_id": account,
            "phase": phase,
            "side": side,
            "amount": amount,
            "currency": "USDC",
        }
        for n, (account, phase, side, amount) in enumerate(lines, start=1)
    ]


def _body(kind: str, lines: list[tuple[str, str, str, int]]) -> str:
    document = {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "transfer_id": str(uuid.uuid4()),
        "source_event_id": str(uuid.uuid4()),
        "lines": [
            [n, account, phase, side, amount, "USDC"]
            for n, (account, phase, side, amount) in enumerate(lines, start=1)
        ],
    }
    return json.dumps(document, separators=(",", ":"), sort_keys=True)


def _event(kind: str, lines: list[tuple[str, str, str, int]]) -> str:
    phase = "posted" if kind == "post" else "pending"
    entry_id, transfer_id = str(uuid.uuid4()), str(uuid.uuid4())
    shown = [
        {
            "side": side,
            "amount": {"amount": f"{amount / 10**6:.6f}", "currency": "USDC"},
            "account": account,
        }
        for account, line_phase, side, amount in lines
        if line_phase == phase
    ]
    return json.dumps(
        {
            "v": 1,
            "id": str(uuid.uuid4()),
            "data": {
                "hash": "e5fc8160" * 8,
                "kind": kind,
                "lines": shown,
                "entry_id": entry_id,
                "posted_at": "2026-12-03T11:14:55.170057Z",
                "transfer_id": transfer_id,
            },
            "time": "2026-12-03T11:14:55.170751Z",
            "type": "ledger.entry.posted",
            "source": "storo-ledger",
            "subject": transfer_id,
            "specversion": "1.0",
            "datacontenttype": "application/json",
        }
    )


def _deltas(moves: list[tuple[str, int, int, int, int]]) -> str:
    return json.dumps(
        [
            {"account_id": a, "dp": dp, "cp": cp, "dq": dq, "cq": cq}
            for a, dp, cp, dq, cq in moves
        ]
    )


def posting_variables() -> dict[str, str]:
    """Hold then post of 10.25 USDC with a 0.55125 fee, as the ledger books them."""
    total, amount, fee = 10_801_250, 10_250_000, 551_250
    suspense, settlement, fees = (
        "suspense:usdc:USDC",
        "settlement:usdc:USDC",
        "fees:revenue:USDC",
    )
    hold = [(DEBTOR, "pending", "debit", total), (suspense, "pending", "credit", total)]
    post = [
        (DEBTOR, "pending", "credit", total),
        (suspense, "pending", "debit", total),
        (DEBTOR, "posted", "debit", total),
        (settlement, "posted", "credit", amount),
        (fees, "posted", "credit", fee),
    ]
    return {
        "hold_body": _body("hold", hold),
        "hold_lines": json.dumps(_lines(hold)),
        "hold_deltas": _deltas([(DEBTOR, 0, 0, total, 0), (suspense, 0, 0, 0, total)]),
        "hold_event": _event("hold", hold),
        "post_body": _body("post", post),
        "post_lines": json.dumps(_lines(post)),
        "post_deltas": _deltas(
            [
                (DEBTOR, total, 0, 0, total),
                (fees, 0, fee, 0, 0),
                (settlement, 0, amount, 0, 0),
                (suspense, 0, 0, total, 0),
            ]
        ),
        "post_event": _event("post", post),
        "hold_accounts": "{" + ",".join(sorted({DEBTOR, suspense})) + "}",
        "post_accounts": "{"
        + ",".join(sorted({DEBTOR, suspense, settlement, fees}))
        + "}",
        "ts_format": 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"',
        "submitted_type": "transfers.submitted.usdc",
        "settled_type": "transfers.settled",
    }
