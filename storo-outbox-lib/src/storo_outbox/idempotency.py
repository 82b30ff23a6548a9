"""HTTP idempotency keys: one effect per key, the first response replayed.

The request's own transaction calls :meth:`IdempotencyKeys.begin` before doing any
work and :meth:`IdempotencyKeys.complete` before it commits. ``begin`` inserts the
key row (``INSERT ... ON CONFLICT DO NOTHING``); a second request with the same key
blocks on that insert until the first commits or rolls back, then either replays the
stored response or, if the first rolled back, goes ahead itself. The effect, the
outbox event and the stored response therefore commit together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from storo_outbox.tables import tables


class IdempotencyKeyReused(Exception):
    """The key was first used with another request; answer 422 (or 409)."""

    status = 422

    def __init__(self, key: str) -> None:
        super().__init__(f"idempotency key {key!r} was used with another request")
        self.key = key


class IdempotencyKeyInProgress(Exception):
    """A committed key row has no response yet (its request committed early)."""

    status = 409

    def __init__(self, key: str) -> None:
        super().__init__(f"idempotency key {key!r} has a request still in progress")
        self.key = key


@dataclass(frozen=True)
class Replay:
    """The stored first response for a key."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    """A SHA-256 over the method, the path and the body.

    A JSON body is canonicalised first (sorted keys, no insignificant whitespace), so
    the same document sent with other formatting counts as the same request.
    """
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except ValueError:
        canonical = body
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), canonical):
        # Length prefixes keep ("a", "bc") and ("ab", "c") apart.
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class IdempotencyKeys:
    """The ``idempotency_keys`` table of one schema."""

    def __init__(self, schema: str) -> None:
        self.schema = schema
        self.table = tables(schema).idempotency_keys

    def begin(self, session: Session, key: str, fingerprint: str) -> Replay | None:
        """Claim ``key`` for this request, or return the response to replay.

        Returns None when this request is the first (go ahead, then ``complete``).
        Raises :class:`IdempotencyKeyReused` when the key belongs to another request.
        """
        table = self.table
        claimed = session.execute(
            insert(table)
            .values(key=key, fingerprint=fingerprint)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(table.c.key)
        ).first()
        if claimed is not None:
            return None
        row = session.execute(
            sa.select(
                table.c.fingerprint,
                table.c.status,
                table.c.response_body,
                table.c.response_headers,
            )
            .where(table.c.key == key)
            .with_for_update()
        ).one_or_none()
        if row is None:
            # The row was pruned between the two statements: claim it afresh.
            return self.begin(session, key, fingerprint)
        if row.fingerprint != fingerprint:
            raise IdempotencyKeyReused(key)
        if row.status is None:
            raise IdempotencyKeyInProgress(key)
        return Replay(
            status=row.status,
            body=row.response_body,
            headers=dict(row.response_headers or {}),
        )

    def complete(
        self,
        session: Session,
        key: str,
        status: int,
        body: dict[str, Any],
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Store the response of the request that claimed ``key``."""
        session.execute(
            sa.update(self.table)
            .where(self.table.c.key == key)
            .values(
                status=status,
                response_body=body,
                response_headers=dict(headers or {}),
                completed_at=sa.func.now(),
            )
        )

    def prune(self, session: Session, older_than_seconds: float) -> int:
        """Forget keys created longer ago than ``older_than_seconds``."""
        cutoff = sa.func.now() - sa.func.make_interval(
            0, 0, 0, 0, 0, 0, older_than_seconds
        )
        result = session.execute(
            sa.delete(self.table).where(self.table.c.created_at < cutoff)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
