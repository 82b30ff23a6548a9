"""The CTS web app: storo_otel's factory plus the transfer routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from storo_otel import create_app, database_check, instrument_engine
from storo_platform.problems import (
    PROBLEM_BASE,
    PROBLEM_MEDIA_TYPE,
    BadRequest,
    MalformedJson,
    Problem,
    ServiceUnavailable,
    Unprocessable,
    field_errors,
    problem_response,
)

from storo_cts import __version__
from storo_cts.db import make_engine
from storo_cts.dependencies import build_intake
from storo_cts.settings import SERVICE, CtsSettings, get_settings
from storo_cts.transfers.api import router as transfers_router


async def _on_validation(request: Request, exc: Exception) -> Response:
    """Body rule breaks are 422; a bad query, path or header is a bad request (400).

    storo-specs' CTS document answers 400 for a malformed request (bad JSON, a bad
    parameter, a missing Idempotency-Key) and keeps 422 for a body that is
    well-formed JSON but breaks a rule.
    """
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    problem: Problem
    if any(e.get("type") == "json_invalid" for e in errors):
        problem = MalformedJson("The body is not valid JSON.")
    elif all(tuple(e.get("loc", ()))[:1] == ("body",) for e in errors):
        problem = Unprocessable(
            "The request does not satisfy the API's rules.",
            errors=field_errors(errors),
        )
    else:
        outside = [e for e in errors if tuple(e.get("loc", ()))[:1] != ("body",)]
        problem = BadRequest(
            "A parameter or header is missing or malformed.",
            errors=field_errors(outside),
        )
    return problem_response(problem, request.url.path)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    """Starlette's HTTP errors as problems; 405 lists every method of the path.

    Starlette names only the methods of the first route matching the path, but
    ``GET`` and ``POST /v1/transfers`` are two routes: RFC 9110 (section 10.2.1)
    wants ``Allow`` to list all the methods the resource supports.
    """
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_methods_for(request))
    phrase = HTTPStatus(exc.status_code).phrase
    body = {
        "type": PROBLEM_BASE + phrase.lower().replace(" ", "-").replace("'", ""),
        "title": phrase,
        "status": exc.status_code,
        "detail": exc.detail if isinstance(exc.detail, str) else phrase,
        "instance": request.url.path,
        "errors": [],
    }
    return JSONResponse(
        body,
        status_code=exc.status_code,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _methods_for(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, APIRoute) and route.path_regex.match(request.url.path):
            methods |= route.methods or set()
    return sorted(methods)


async def _on_database_down(request: Request, exc: Exception) -> Response:
    problem = ServiceUnavailable("The database is unavailable; retry later.")
    return problem_response(problem, request.url.path, headers={"Retry-After": "1"})


def _openapi(app: FastAPI) -> Any:
    """FastAPI's document, without the 422 it adds to every route with parameters.

    Only the create route answers 422 (a body breaking a rule); the read routes
    answer 400 for a bad parameter, as storo-specs' document says.
    """
    if app.openapi_schema is not None:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if method != "post" and path.startswith("/v1/"):
                operation.get("responses", {}).pop("422", None)
    app.openapi_schema = schema
    return schema


def build_app(
    settings: CtsSettings | None = None, engine: Engine | None = None
) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or make_engine(settings)
    instrument_engine(engine)
    intake = build_intake(settings, engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await intake.http.open()
        yield
        await intake.http.close()

    app = create_app(
        service=SERVICE,
        version=__version__,
        settings=settings,
        readiness=[database_check(engine)],
        lifespan=lifespan,
        title="Storo Canonical Transfer Service",
    )
    app.state.intake = intake
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(OperationalError, _on_database_down)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.include_router(transfers_router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def app_factory() -> FastAPI:
    """Entry point for ``uvicorn --factory storo_cts.app:app_factory``."""
    return build_app()
