"""Prometheus metrics of the HTTP layer.

``storo_http_request_duration_seconds`` is labelled by the route *template*
(``/v1/transfers/{transfer_id}``), never the raw path, so one label value stands for
one route however many ids pass through it; requests that match no route share the
value ``unmatched``. Dashboards and alerts in storo-observability rely on the name and
labels: changing them is a breaking change.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Final

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
)

from storo_otel.logs import get_logger

__all__ = [
    "REQUEST_DURATION",
    "UNMATCHED_ROUTE",
    "RequestMetricsMiddleware",
    "render_metrics",
]

UNMATCHED_ROUTE: Final = "unmatched"

REQUEST_DURATION: Final = Histogram(
    "storo_http_request_duration_seconds",
    "Time from a request's arrival to the end of its response, by route template.",
    ["service", "route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_log = get_logger("storo_otel.http")


def route_template(scope: Scope) -> str:
    """The template of the route that served ``scope``, after routing ran."""
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    if isinstance(path, str):
        return str(scope.get("root_path", "")) + path
    return UNMATCHED_ROUTE


class RequestMetricsMiddleware:
    """Times each HTTP request and writes one ``http.request`` log line for it."""

    def __init__(self, app: ASGIApp, service: str, quiet_paths: frozenset[str]):
        self.app = app
        self.service = service
        self.quiet_paths = quiet_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        began = time.perf_counter()

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            elapsed = time.perf_counter() - began
            route = route_template(scope)
            method = str(scope.get("method", ""))
            REQUEST_DURATION.labels(self.service, route, method, str(status)).observe(
                elapsed
            )
            if route not in self.quiet_paths:
                _log.info(
                    "http.request",
                    method=method,
                    route=route,
                    status=status,
                    duration_ms=round(elapsed * 1000, 3),
                )


def render_metrics(registry: CollectorRegistry = REGISTRY) -> tuple[bytes, str]:
    """The Prometheus text exposition of ``registry`` and its content type."""
    return generate_latest(registry), CONTENT_TYPE_LATEST
