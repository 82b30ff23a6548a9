"""The inbox consumer: takes events from the service's SQS queue exactly once.

Each message is handled in one database transaction that first records the event id
in the inbox (``INSERT ... ON CONFLICT DO NOTHING``) and then runs the handler, so the
effect and the record commit together and a redelivered event finds its id and is
skipped. The message is deleted from the queue only after that commit: a crash in
between means a redelivery, never a lost event.

A message whose body is not a valid envelope, or whose type has no handler, goes
straight to the dead-letter queue; one whose handler keeps failing goes there once it
has been received ``max_receives`` times (matching the queue's redrive policy, which
is the backstop if the consumer itself dies on such a message). Other messages of the
batch keep flowing in either case.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import structlog
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from storo_outbox import metrics
from storo_outbox.backoff import Backoff
from storo_outbox.tables import tables
from storo_outbox.tracing import consumer_span

log = structlog.get_logger("storo_outbox.consumer")

Handler = Callable[[Session, dict[str, Any]], None]
Validator = Callable[[dict[str, Any]], None]

# The message attribute that tells an operator why a message was dead-lettered.
DEAD_LETTER_REASON = "storo-dead-letter-reason"


class DatabaseUnavailable(Exception):
    """The service database does not answer: no message is received until it does.

    Receiving while the database is down would only count receives against each
    message until the redrive policy dead-letters events that did nothing wrong.
    """


class RetryLater(Exception):
    """Raised by a handler to roll back and see the message again later.

    ``delay`` (seconds, at most 43200) is when; None lets the consumer's backoff pick.
    """

    def __init__(self, reason: str = "", *, delay: float | None = None) -> None:
        super().__init__(reason)
        self.delay = delay


@dataclass
class _Message:
    receipt: str
    body: str
    receive_count: int
    sent_at: float
    attributes: dict[str, Any]


def _default_validator() -> Validator:
    # Imported on first use so the outbox half of this library works without specs.
    from storo_specs import validate_event

    validator: Validator = validate_event
    return validator


class _Heartbeat:
    """Keeps the batch's unfinished messages invisible while a handler is slow."""

    def __init__(self, consumer: Consumer, receipts: set[str]) -> None:
        self._consumer = consumer
        self._receipts = receipts
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def done(self, receipt: str) -> None:
        with self._lock:
            self._receipts.discard(receipt)

    def _run(self) -> None:
        timeout = self._consumer.visibility_timeout
        # Extend well before expiry: a third of the timeout leaves two chances.
        while not self._stop.wait(max(timeout / 3, 0.5)):
            with self._lock:
                receipts = list(self._receipts)
            if receipts:
                self._consumer._extend(receipts)


class Consumer:
    """Consumes one SQS queue into handlers keyed by event type."""

    def __init__(
        self,
        engine: Engine,
        *,
        schema: str,
        sqs: Any,
        queue_url: str,
        handlers: Mapping[str, Handler],
        validate: Validator | None = None,
        max_receives: int = 5,
        wait_seconds: int = 20,
        visibility_timeout: int = 30,
        batch_size: int = 10,
        dlq_url: str | None = None,
        retry_backoff: Backoff | None = None,
    ) -> None:
        self.engine = engine
        self.schema = schema
        self.sqs = sqs
        self.queue_url = queue_url
        self.queue_name = queue_url.rstrip("/").rsplit("/", 1)[-1]
        self.handlers = dict(handlers)
        self.validate = validate if validate is not None else _default_validator()
        self.max_receives = max_receives
        self.wait_seconds = wait_seconds
        self.visibility_timeout = visibility_timeout
        self.batch_size = batch_size
        self._dlq_url = dlq_url
        self.retry_backoff = retry_backoff or Backoff(base=1.0, cap=300.0)
        self._inbox = tables(schema).inbox
        self._database_down = False

    @property
    def dlq_url(self) -> str:
        """The dead-letter queue: given, or read from the queue's redrive policy."""
        if self._dlq_url is None:
            attributes = self.sqs.get_queue_attributes(
                QueueUrl=self.queue_url, AttributeNames=["RedrivePolicy"]
            )["Attributes"]
            if "RedrivePolicy" not in attributes:
                raise LookupError(f"{self.queue_url} has no redrive policy and no DLQ")
            target = json.loads(attributes["RedrivePolicy"])["deadLetterTargetArn"]
            self._dlq_url = self.sqs.get_queue_url(QueueName=target.split(":")[-1])[
                "QueueUrl"
            ]
        return self._dlq_url

    def poll_once(self) -> int:
        """Receive one batch (long polling), settle each message, return the count.

        Raises :class:`DatabaseUnavailable` (receiving nothing) while the database
        that failed a handler earlier still does not answer.
        """
        if self._database_down and not self._database_answers():
            raise DatabaseUnavailable(self.schema)
        self._database_down = False
        response = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=self.wait_seconds,
            VisibilityTimeout=self.visibility_timeout,
            MessageSystemAttributeNames=["ApproximateReceiveCount", "SentTimestamp"],
            MessageAttributeNames=["All"],
        )
        messages = [
            _Message(
                receipt=raw["ReceiptHandle"],
                body=raw["Body"],
                receive_count=int(raw["Attributes"].get("ApproximateReceiveCount", 1)),
                sent_at=int(raw["Attributes"].get("SentTimestamp", 0)) / 1000,
                attributes=raw.get("MessageAttributes", {}),
            )
            for raw in response.get("Messages", [])
        ]
        oldest = min((m.sent_at for m in messages), default=None)
        lag = max(0.0, time.time() - oldest) if oldest else 0.0
        metrics.CONSUMER_LAG.labels(self.queue_name).set(lag)
        if not messages:
            return 0
        with _Heartbeat(self, {m.receipt for m in messages}) as heartbeat:
            for index, message in enumerate(messages):
                try:
                    self._settle(message)
                except DatabaseUnavailable:
                    for waiting in messages[index + 1 :]:
                        self._release(waiting)
                    raise
                finally:
                    heartbeat.done(message.receipt)
        return len(messages)

    def _settle(self, message: _Message) -> None:
        try:
            envelope = json.loads(message.body)
            if not isinstance(envelope, dict):
                raise ValueError("the message body is not a JSON object")
            self.validate(envelope)
            # The inbox needs these whatever the validator checked.
            for name in ("id", "type", "source"):
                if not isinstance(envelope.get(name), str):
                    raise ValueError(f"the envelope has no string {name!r}")
        except Exception as error:  # noqa: BLE001 - any refusal means the same: DLQ
            self._dead_letter(message, "invalid", error)
            return
        handler = self.handlers.get(envelope["type"])
        if handler is None:
            self._dead_letter(message, "no_handler", None)
            return
        try:
            with consumer_span(envelope):
                outcome = self._handle(envelope, handler)
        except RetryLater as retry:
            self._retry(message, envelope, retry.delay, retry)
            return
        except Exception as error:  # a handler failure is retried (or parked)
            if isinstance(error, sa.exc.DBAPIError) and not self._database_answers():
                self._release(message)
                self._database_down = True
                raise DatabaseUnavailable(self.schema) from error
            self._retry(message, envelope, None, error)
            return
        self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message.receipt)
        metrics.CONSUMER_MESSAGES.labels(self.queue_name, outcome).inc()
        log.info(
            "inbox.event_" + outcome,
            queue=self.queue_name,
            event_id=envelope["id"],
            event_type=envelope["type"],
        )

    def _handle(self, envelope: dict[str, Any], handler: Handler) -> str:
        with Session(self.engine) as session, session.begin():
            recorded = session.execute(
                insert(self._inbox)
                .values(
                    event_id=str(envelope["id"]),
                    type=envelope["type"],
                    source=envelope["source"],
                    subject=envelope.get("subject"),
                )
                .on_conflict_do_nothing(index_elements=["event_id"])
                .returning(self._inbox.c.event_id)
            ).first()
            if recorded is None:
                return metrics.DUPLICATE
            handler(session, envelope)
        return metrics.HANDLED

    def _retry(
        self,
        message: _Message,
        envelope: dict[str, Any],
        delay: float | None,
        error: BaseException,
    ) -> None:
        if message.receive_count >= self.max_receives:
            self._dead_letter(message, "retries_exhausted", error)
            return
        if delay is None:
            delay = self.retry_backoff.delay_for(message.receive_count - 1)
        self.sqs.change_message_visibility(
            QueueUrl=self.queue_url,
            ReceiptHandle=message.receipt,
            VisibilityTimeout=int(min(max(delay, 0), 43200)),
        )
        metrics.CONSUMER_MESSAGES.labels(self.queue_name, metrics.RETRIED).inc()
        log.warning(
            "inbox.event_retried",
            queue=self.queue_name,
            event_id=envelope.get("id"),
            event_type=envelope.get("type"),
            receive_count=message.receive_count,
            error=repr(error),
        )

    def _database_answers(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except sa.exc.DBAPIError:
            return False
        return True

    def _release(self, message: _Message) -> None:
        # Visible again at once: whoever polls next, once the database is back.
        self.sqs.change_message_visibility(
            QueueUrl=self.queue_url, ReceiptHandle=message.receipt, VisibilityTimeout=0
        )

    def _dead_letter(
        self, message: _Message, reason: str, error: BaseException | None
    ) -> None:
        attributes = {
            name: {"DataType": value["DataType"], "StringValue": value["StringValue"]}
            for name, value in message.attributes.items()
            if "StringValue" in value
        }
        attributes[DEAD_LETTER_REASON] = {"DataType": "String", "StringValue": reason}
        # Send before delete: a crash in between duplicates the message in the DLQ
        # rather than losing it.
        self.sqs.send_message(
            QueueUrl=self.dlq_url,
            MessageBody=message.body,
            MessageAttributes=attributes,
        )
        self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message.receipt)
        metrics.CONSUMER_MESSAGES.labels(self.queue_name, metrics.DEAD_LETTERED).inc()
        log.error(
            "inbox.event_dead_lettered",
            queue=self.queue_name,
            reason=reason,
            receive_count=message.receive_count,
            error=repr(error) if error is not None else None,
        )

    def _extend(self, receipts: list[str]) -> None:
        for start in range(0, len(receipts), 10):
            entries = [
                {
                    "Id": str(number),
                    "ReceiptHandle": receipt,
                    "VisibilityTimeout": self.visibility_timeout,
                }
                for number, receipt in enumerate(receipts[start : start + 10])
            ]
            try:
                self.sqs.change_message_visibility_batch(
                    QueueUrl=self.queue_url, Entries=entries
                )
            except Exception:
                log.warning("inbox.visibility_extension_failed", exc_info=True)

    def prune(self, older_than: float = 14 * 86400) -> int:
        """Forget inbox ids older than SQS can redeliver (14 days); return how many."""
        with self.engine.begin() as conn:
            return conn.execute(
                self._inbox.delete().where(
                    self._inbox.c.handled_at
                    < sa.func.now()
                    - sa.func.make_interval(0, 0, 0, 0, 0, 0, older_than)
                )
            ).rowcount

    def run_forever(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set, backing off with jitter while SQS fails."""
        log.info("inbox.consumer_started", queue=self.queue_name)
        backoff = Backoff(base=0.5, cap=30.0)
        while not stop.is_set():
            try:
                self.poll_once()
            except DatabaseUnavailable:
                delay = backoff.next_delay()
                log.warning(
                    "inbox.database_unavailable",
                    queue=self.queue_name,
                    retry_in=round(delay, 3),
                )
                stop.wait(delay)
                continue
            except Exception as error:  # noqa: BLE001 - the loop must survive outages
                delay = backoff.next_delay()
                log.warning(
                    "inbox.receive_failed",
                    queue=self.queue_name,
                    error=repr(error),
                    retry_in=round(delay, 3),
                )
                stop.wait(delay)
                continue
            backoff.reset()
        log.info("inbox.consumer_stopped", queue=self.queue_name)
