"""Storo's service app factory, structured logs, tracing and metrics."""

from importlib.metadata import PackageNotFoundError, version

from storo_otel.app import create_app, specs_version
from storo_otel.health import database_check, queue_check
from storo_otel.logs import configure_logging, get_logger
from storo_otel.metrics import REQUEST_DURATION
from storo_otel.tracing import (
    configure_tracing,
    continue_trace,
    current_traceparent,
    instrument_engine,
)

try:
    __version__ = version("storo-otel-lib")
except PackageNotFoundError:  # running from a source tree without metadata
    __version__ = "0.0.0"

__all__ = [
    "REQUEST_DURATION",
    "__version__",
    "configure_logging",
    "configure_tracing",
    "continue_trace",
    "create_app",
    "current_traceparent",
    "database_check",
    "get_logger",
    "instrument_engine",
    "queue_check",
    "specs_version",
]
