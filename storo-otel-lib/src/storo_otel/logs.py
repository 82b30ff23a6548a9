"""Structured logs: structlog in front of the standard library, JSON in production.

Every line carries ``service``, ``level``, ``timestamp`` (RFC 3339 UTC), the dotted
``event`` name and, inside a span, ``trace_id`` and ``span_id`` (the W3C hex forms),
so a log line can be joined to its trace. Library logs that go through the standard
``logging`` module (uvicorn, SQLAlchemy, botocore) are rendered the same way.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any, Literal, TextIO, cast

import structlog
from opentelemetry import trace
from storo_platform.cards import redact_card_numbers

__all__ = ["add_trace_ids", "configure_logging", "get_logger"]

_HANDLER_NAME = "storo-otel"


def add_trace_ids(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A structlog processor adding the current span's trace and span ids."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event.setdefault("trace_id", format(context.trace_id, "032x"))
        event.setdefault("span_id", format(context.span_id, "016x"))
    return event


def configure_logging(
    service: str,
    *,
    fmt: Literal["json", "console"] = "json",
    level: str = "INFO",
    stream: TextIO | None = None,
) -> None:
    """Send every log line of the process to ``stream`` (stdout) as ``fmt``.

    Calling it again replaces the previous setup, so tests and reloads are safe.
    """

    def add_service(
        _logger: Any, _method: str, event: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        event.setdefault("service", service)
        return event

    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_service,
        add_trace_ids,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            *shared,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, _extra_fields],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler: logging.Handler = (
        logging.StreamHandler(stream) if stream is not None else _StdoutHandler()
    )
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # uvicorn installs its own handlers; route its lines through ours instead
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, CardNumberFilter) for f in access.filters):
        access.addFilter(CardNumberFilter())


class CardNumberFilter(logging.Filter):
    """Redacts card numbers from access lines, which carry the raw request path.

    A card number pasted into a URL (a BIN lookup given a whole PAN) would otherwise be
    written to the log verbatim; the line itself is kept, with the number replaced.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_card_numbers(arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = redact_card_numbers(record.msg)
        return True


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stdout`` is at the time of each line.

    Holding on to the stdout object of configuration time would write into a stream
    that a test runner or a reloader has since replaced and closed.
    """

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self) -> TextIO:
        return sys.stdout

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass  # always the current sys.stdout


# attributes every LogRecord has; anything else was passed with ``extra=``
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _extra_fields(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    record = event.get("_record")
    if isinstance(record, logging.LogRecord):
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                event.setdefault(key, value)
    return event


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    """A structlog logger; log with a dotted event name and key-values."""
    return cast(structlog.stdlib.BoundLogger, structlog.get_logger(name))
