"""The app factory every Storo service is built with."""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from typing import Any, Final

from fastapi import FastAPI, Response
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from storo_platform.problems import ServiceUnavailable, install_problem_handlers
from storo_platform.settings import ServiceSettings

from storo_otel.health import Check, check_name
from storo_otel.logs import configure_logging, get_logger
from storo_otel.metrics import RequestMetricsMiddleware, render_metrics
from storo_otel.tracing import configure_tracing

__all__ = ["create_app", "specs_version"]

# probes and scrapes arrive every few seconds: no span and no access line for them
_QUIET: Final = frozenset({"/live", "/ready", "/metrics", "/version"})
_log = get_logger("storo_otel.app")


def specs_version() -> str | None:
    """The storo-specs release installed beside the service, if any.

    storo-specs is imported only here and only when asked, so the library works in a
    process that does not carry the contracts.
    """
    try:
        module = importlib.import_module("storo_specs")
    except ImportError:
        return None
    found = getattr(module, "VERSION", None)
    return str(found) if found is not None else None


def _git_revision(settings: ServiceSettings) -> str:
    if settings.git_revision and settings.git_revision != "unknown":
        return settings.git_revision
    return os.environ.get("STORO_GIT_REVISION", "unknown")


def create_app(
    *,
    service: str,
    version: str,
    settings: ServiceSettings,
    readiness: Sequence[Check] = (),
    max_body_bytes: int = 65536,
    **fastapi_options: Any,
) -> FastAPI:
    """A FastAPI app with logging, tracing, metrics, problem+json and health routes.

    ``readiness`` checks run on every ``/ready``; the first to raise is named in a
    503 problem. ``fastapi_options`` (``lifespan``, ``title``...) go to `FastAPI`.
    """
    configure_logging(service, fmt=settings.log_format, level=settings.log_level)
    provider = configure_tracing(service, settings.otlp_endpoint, version=version)
    fastapi_options.setdefault("title", service)
    app = FastAPI(version=version, **fastapi_options)
    install_problem_handlers(app, max_body_bytes=max_body_bytes)
    app.add_middleware(RequestMetricsMiddleware, service=service, quiet_paths=_QUIET)
    _add_health_routes(app, service, version, settings, tuple(readiness))
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        excluded_urls=",".join(f"{path}$" for path in sorted(_QUIET)),
    )
    app.state.storo_service = service
    return app


def _add_health_routes(
    app: FastAPI,
    service: str,
    version: str,
    settings: ServiceSettings,
    checks: tuple[Check, ...],
) -> None:
    @app.get("/live", tags=["health"])
    def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready", tags=["health"])
    def ready() -> dict[str, Any]:
        results: dict[str, str] = {}
        for check in checks:
            name = check_name(check)
            try:
                check()
            except Exception as exc:
                # the exception text may hold a DSN or a URL: it goes to the log only
                _log.warning("ready.check_failed", check=name, error=repr(exc))
                results[name] = "failed"
            else:
                results[name] = "ok"
        failed = [name for name, state in results.items() if state != "ok"]
        if failed:
            raise ServiceUnavailable(
                f"readiness check {failed[0]!r} failed",
                check=failed[0],
                failed=failed,
                checks=results,
            )
        return {"status": "ready", "checks": results}

    @app.get("/metrics", tags=["health"])
    def metrics() -> Response:
        body, content_type = render_metrics()
        return Response(body, media_type=content_type)

    @app.get("/version", tags=["health"])
    def version_info() -> dict[str, str | None]:
        return {
            "service": service,
            "version": version,
            "git_revision": _git_revision(settings),
            "specs_version": specs_version(),
        }
