"""The relay: publishes committed outbox events to the service's SNS topic.

Each round claims up to ``batch_size`` pending events with ``FOR UPDATE SKIP LOCKED``
(so several relays share the work without waiting on each other), publishes them with
one ``PublishBatch`` call while still holding the row locks, and marks the published
rows in the same transaction. A relay that dies after publishing but before its commit
leaves the rows pending: they are published again, and consumers drop the duplicate by
event id (at-least-once delivery, exactly-once effect).

Order per subject: an event is claimed only when no earlier event of its subject is
still unpublished, whether that one is pending, backing off, or locked by another
relay. "Earlier" is the outbox identity order, which is the commit order of the
subject's changes as long as a service serialises the transactions that touch one
subject (it locks the subject's row, as any state machine must).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
import structlog
from sqlalchemy.engine import Connection, Engine, Row

from storo_outbox import metrics
from storo_outbox.backoff import Backoff
from storo_outbox.envelope import MAX_MESSAGE_BYTES, message_body, message_size

log = structlog.get_logger("storo_outbox.relay")

# SNS accepts at most ten entries in one PublishBatch call.
MAX_BATCH = 10


def _claim_sql(schema: str) -> sa.TextClause:
    return sa.text(
        f"""
        SELECT o.id, o.type, o.envelope, o.attempts
        FROM "{schema}".outbox AS o
        WHERE o.published_at IS NULL
          AND o.next_attempt_at <= now()
          AND NOT EXISTS (
            SELECT 1 FROM "{schema}".outbox AS earlier
            WHERE earlier.subject = o.subject
              AND earlier.published_at IS NULL
              AND earlier.id < o.id
          )
        ORDER BY o.id
        LIMIT :limit
        FOR UPDATE OF o SKIP LOCKED
        """
    )


class Relay:
    """Publishes a schema's outbox to one SNS topic.

    ``sns`` is a boto3 SNS client (anything with ``publish_batch``).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        schema: str,
        sns: Any,
        topic_arn: str,
        batch_size: int = MAX_BATCH,
        poll_interval: float = 0.5,
        backoff: Backoff | None = None,
        retention: timedelta = timedelta(days=7),
        prune_interval: float = 3600.0,
        metrics_interval: float = 1.0,
    ) -> None:
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH}")
        self.engine = engine
        self.schema = schema
        self.sns = sns
        self.topic_arn = topic_arn
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.backoff = backoff or Backoff(base=0.2, cap=30.0)
        self.retention = retention
        self.prune_interval = prune_interval
        self.metrics_interval = metrics_interval
        self._claim = _claim_sql(schema)
        self._metrics_due = 0.0

    def run_once(self) -> int:
        """Publish one batch of pending events; return how many were published.

        An error from SNS itself (endpoint down, throttling) propagates after the
        transaction rolled back, leaving every claimed row pending for the next round.
        """
        try:
            with self.engine.begin() as conn:
                rows = conn.execute(self._claim, {"limit": self.batch_size}).all()
                if not rows:
                    return 0
                return self._publish(conn, rows)
        finally:
            self._refresh_metrics_if_due()

    def _publish(self, conn: Connection, rows: Sequence[Row[Any]]) -> int:
        entries: list[dict[str, Any]] = []
        total = 0
        for row in rows:
            body = message_body(row.envelope)
            size = message_size(body, row.type)
            if size > MAX_MESSAGE_BYTES:
                self._park(conn, row.id, f"the message is {size} bytes")
                continue
            if total + size > MAX_MESSAGE_BYTES:
                # The batch would pass SNS's limit; the rest waits for the next round.
                break
            total += size
            entries.append(
                {
                    "Id": str(row.id),
                    "Message": body,
                    "MessageAttributes": {
                        "type": {"DataType": "String", "StringValue": row.type}
                    },
                }
            )
        if not entries:
            return 0
        started = time.perf_counter()
        response = self.sns.publish_batch(
            TopicArn=self.topic_arn, PublishBatchRequestEntries=entries
        )
        metrics.OUTBOX_PUBLISH_SECONDS.labels(self.schema).observe(
            time.perf_counter() - started
        )
        published = [int(entry["Id"]) for entry in response.get("Successful", [])]
        if published:
            conn.execute(
                sa.text(
                    f'UPDATE "{self.schema}".outbox SET published_at = now(),'
                    " attempts = attempts + 1 WHERE id = ANY(:ids)"
                ),
                {"ids": published},
            )
            metrics.OUTBOX_PUBLISHED.labels(self.schema).inc(len(published))
        failed = response.get("Failed", [])
        if failed:
            self._record_failures(conn, rows, failed)
        return len(published)

    def _record_failures(
        self, conn: Connection, rows: Sequence[Row[Any]], failed: list[dict[str, Any]]
    ) -> None:
        # A single rejected entry backs off on its own; its subject's later events
        # wait behind it, everything else keeps flowing.
        attempts = {row.id: row.attempts for row in rows}
        for entry in failed:
            row_id = int(entry["Id"])
            delay = self.backoff.delay_for(attempts[row_id])
            reason = f"{entry.get('Code')}: {entry.get('Message')}"
            conn.execute(
                sa.text(
                    f'UPDATE "{self.schema}".outbox SET attempts = attempts + 1,'
                    " last_error = :error, next_attempt_at = now()"
                    " + make_interval(secs => :delay) WHERE id = :id"
                ),
                {"error": reason[:2000], "delay": delay, "id": row_id},
            )
            log.warning(
                "outbox.publish_rejected",
                schema=self.schema,
                outbox_id=row_id,
                code=entry.get("Code"),
                retry_in=delay,
            )
        metrics.OUTBOX_PUBLISH_FAILURES.labels(self.schema).inc(len(failed))

    def _park(self, conn: Connection, row_id: int, reason: str) -> None:
        # Only a row written around emit() can be this large. It stays pending (and
        # visible in the backlog gauges) until an operator repairs or deletes it;
        # its subject's later events wait behind it, as order requires.
        conn.execute(
            sa.text(
                f'UPDATE "{self.schema}".outbox SET attempts = attempts + 1,'
                " last_error = :error, next_attempt_at = 'infinity' WHERE id = :id"
            ),
            {"error": reason, "id": row_id},
        )
        metrics.OUTBOX_PUBLISH_FAILURES.labels(self.schema).inc()
        log.error("outbox.message_too_large", schema=self.schema, outbox_id=row_id)

    def refresh_metrics(self) -> tuple[int, float]:
        """Update the backlog gauges from the table; return (backlog, oldest age)."""
        with self.engine.connect() as conn:
            backlog, age = conn.execute(
                sa.text(
                    "SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now()"
                    f' - min(created_at)), 0) FROM "{self.schema}".outbox'
                    " WHERE published_at IS NULL"
                )
            ).one()
        metrics.OUTBOX_BACKLOG.labels(self.schema).set(backlog)
        metrics.OUTBOX_OLDEST_PENDING_AGE.labels(self.schema).set(float(age))
        return int(backlog), float(age)

    def _refresh_metrics_if_due(self) -> None:
        now = time.monotonic()
        if now < self._metrics_due:
            return
        self._metrics_due = now + self.metrics_interval
        try:
            self.refresh_metrics()
        except sa.exc.SQLAlchemyError:
            log.warning("outbox.metrics_failed", schema=self.schema, exc_info=True)

    def prune(self, retention: timedelta | None = None, *, chunk: int = 5000) -> int:
        """Delete rows published longer than ``retention`` ago; return how many.

        Deletes in chunks so no statement holds many row locks for long.
        """
        keep = retention if retention is not None else self.retention
        deleted = 0
        while True:
            with self.engine.begin() as conn:
                count = conn.execute(
                    sa.text(
                        f'DELETE FROM "{self.schema}".outbox WHERE id IN ('
                        f'SELECT id FROM "{self.schema}".outbox'
                        " WHERE published_at < now() - make_interval(secs => :secs)"
                        " LIMIT :chunk)"
                    ),
                    {"secs": keep.total_seconds(), "chunk": chunk},
                ).rowcount
            deleted += count
            if count < chunk:
                return deleted

    def run_forever(self, stop: threading.Event) -> None:
        """Publish until ``stop`` is set, backing off with jitter while SNS fails."""
        log.info("outbox.relay_started", schema=self.schema, topic=self.topic_arn)
        prune_due = time.monotonic()
        while not stop.is_set():
            try:
                if time.monotonic() >= prune_due:
                    prune_due = time.monotonic() + self.prune_interval
                    pruned = self.prune()
                    if pruned:
                        log.info("outbox.pruned", schema=self.schema, rows=pruned)
                published = self.run_once()
            except Exception as error:  # noqa: BLE001 - the loop must survive outages
                delay = self.backoff.next_delay()
                log.warning(
                    "outbox.publish_failed",
                    schema=self.schema,
                    error=repr(error),
                    failures=self.backoff.failures,
                    retry_in=round(delay, 3),
                )
                stop.wait(delay)
                continue
            self.backoff.reset()
            if published == 0:
                stop.wait(self.poll_interval)
        log.info("outbox.relay_stopped", schema=self.schema)
