"""Problem details (RFC 9457) for every Storo API.

Domain code raises a `Problem` subclass named as a fact; `install_problem_handlers`
renders it, FastAPI's request validation errors, malformed JSON, oversized bodies,
unknown routes and any unexpected exception as ``application/problem+json``:

    {"type": "https://storo.dev/problems/unprocessable", "title": "...",
     "status": 422, "detail": "...", "instance": "/v1/transfers",
     "errors": [{"field": "/amount/amount", "rule": "too_many_decimals",
                 "message": "..."}]}

``field`` is a JSON pointer (RFC 6901) into the request body; a query, path, header
or cookie parameter is named ``<location>:<name>`` (``query:limit``), since it has no
place in a JSON document. ``rule`` is a stable snake_case name clients can branch on.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
from dataclasses import asdict, dataclass
from http import HTTPStatus
from typing import Any, ClassVar, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from storo_platform.cards import redact_card_numbers

__all__ = [
    "PROBLEM_BASE",
    "PROBLEM_MEDIA_TYPE",
    "BadRequest",
    "Conflict",
    "FieldError",
    "Forbidden",
    "InternalError",
    "MalformedJson",
    "NotFound",
    "PayloadTooLarge",
    "Problem",
    "ServiceUnavailable",
    "Unauthorized",
    "Unprocessable",
    "field_errors",
    "install_problem_handlers",
    "json_pointer",
    "problem_response",
]

PROBLEM_BASE: Final = "https://storo.dev/problems/"
PROBLEM_MEDIA_TYPE: Final = "application/problem+json"
_RESERVED: Final = frozenset({"type", "title", "status", "detail", "instance"})

_log = logging.getLogger("storo_platform.problems")


@dataclass(frozen=True, slots=True)
class FieldError:
    """One broken rule: where (``field``), which (``rule``) and in words."""

    field: str
    rule: str
    message: str


class Problem(Exception):
    """An error with an HTTP status; subclasses fix ``status``, ``slug``, ``title``."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal server error"

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldError] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors: list[FieldError] = list(errors or [])
        clash = _RESERVED & extensions.keys()
        if clash or "errors" in extensions:
            raise ValueError(f"extension members may not be named {sorted(clash)}")
        self.extensions: dict[str, Any] = extensions

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.slug

    def to_body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
            "errors": [asdict(e) for e in self.errors],
        }
        body.update(self.extensions)
        return body


class BadRequest(Problem):
    status, slug, title = 400, "bad-request", "Bad request"


class MalformedJson(Problem):
    status, slug, title = 400, "malformed-json", "The body is not valid JSON"


class Unauthorized(Problem):
    status, slug, title = 401, "unauthorized", "Not authenticated"


class Forbidden(Problem):
    status, slug, title = 403, "forbidden", "Not allowed"


class NotFound(Problem):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(Problem):
    status, slug, title = 409, "conflict", "Conflict"


class PayloadTooLarge(Problem):
    status, slug, title = 413, "payload-too-large", "The body is too large"


class Unprocessable(Problem):
    status, slug, title = 422, "unprocessable", "The request breaks a rule"


class InternalError(Problem):
    status, slug, title = 500, "internal-error", "Internal server error"


class ServiceUnavailable(Problem):
    status, slug, title = 503, "service-unavailable", "Service unavailable"


def problem_response(
    problem: Problem,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        problem.to_body(instance),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers) if headers else None,
    )


def json_pointer(parts: Sequence[str | int]) -> str:
    """RFC 6901 pointer of a path: ``("amount", "amount")`` -> ``/amount/amount``."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "".join("/" + p for p in escaped)


# pydantic error types -> the fleet's rule names; anything else keeps its own type
_RULES: Final = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "string_too_short": "min_length",
    "string_too_long": "max_length",
    "too_short": "min_items",
    "too_long": "max_items",
    "string_pattern_mismatch": "pattern",
    "greater_than": "exclusive_minimum",
    "greater_than_equal": "minimum",
    "less_than": "exclusive_maximum",
    "less_than_equal": "maximum",
    "literal_error": "enum",
    "enum": "enum",
    "value_error": "invalid",
    "assertion_error": "invalid",
}


# "abc" where an int belongs is the wrong type, not a badly formatted int
_NOT_OF_TYPE: Final = frozenset(
    {"int_parsing", "float_parsing", "bool_parsing", "decimal_parsing"}
)


def _rule(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", "invalid"))
    cause = (error.get("ctx") or {}).get("error")
    # a validator that raised a MoneyError (or any error with .rule) names its rule
    cause_rule = getattr(cause, "rule", None)
    if isinstance(cause_rule, str):
        return cause_rule
    if kind in _RULES:
        return _RULES[kind]
    if kind.endswith("_type") or kind in _NOT_OF_TYPE:
        return "type"
    if kind.endswith("_parsing"):
        return "format"
    return kind


def _field(loc: Sequence[str | int]) -> str:
    if not loc:
        return ""
    where, rest = loc[0], loc[1:]
    if where == "body":
        return json_pointer(rest)
    if where in ("query", "path", "header", "cookie"):
        return f"{where}:{'.'.join(str(p) for p in rest)}"
    return json_pointer(loc)


def _message(error: Mapping[str, Any]) -> str:
    text = str(error.get("msg", "invalid"))
    return text.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def field_errors(errors: Sequence[Mapping[str, Any]]) -> list[FieldError]:
    """pydantic / FastAPI validation errors as `FieldError` items."""
    return [
        FieldError(_field(tuple(e.get("loc", ()))), _rule(e), _message(e))
        for e in errors
    ]


def _instance(request: Request) -> str:
    # The path is echoed back to the client and often into logs: a card number pasted
    # into a URL must not travel any further.
    return redact_card_numbers(request.url.path)


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return problem_response(exc, _instance(request))


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    bad_json = next((e for e in errors if e.get("type") == "json_invalid"), None)
    if bad_json is not None:
        reason = (bad_json.get("ctx") or {}).get("error", "invalid JSON")
        loc = bad_json.get("loc", ())
        where = f" at position {loc[-1]}" if len(loc) > 1 else ""
        problem: Problem = MalformedJson(f"the body is not valid JSON: {reason}{where}")
    else:
        problem = Unprocessable(
            "the request does not satisfy the API's rules", errors=field_errors(errors)
        )
    return problem_response(problem, _instance(request))


def _slug(status: int) -> tuple[str, str]:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return phrase.lower().replace(" ", "-").replace("'", ""), phrase


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    slug, phrase = _slug(exc.status_code)
    body = {
        "type": PROBLEM_BASE + slug,
        "title": phrase,
        "status": exc.status_code,
        "detail": exc.detail if isinstance(exc.detail, str) else phrase,
        "instance": _instance(request),
        "errors": [],
    }
    return JSONResponse(
        body,
        status_code=exc.status_code,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=exc.headers,
    )


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ProblemMiddleware:
    """Refuses oversized bodies with 413 and turns a crash into a bare 500.

    The body is read (up to the limit) before the app runs, so the limit holds for
    a declared ``Content-Length`` and for a chunked body alike, and no handler ever
    sees a partial body. An unexpected exception is logged with its traceback and
    answered with a problem that reveals nothing of the internals.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int = 65536) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        early = self._check_declared_length(scope)
        if early is not None:
            await _send(send, early, path)
            return
        body = await self._read_body(receive)
        if body is None:
            await _send(send, self._too_large(), path)
            return
        await self._run(scope, _replay(body, receive), send, path)

    def _check_declared_length(self, scope: Scope) -> Problem | None:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    return BadRequest("the Content-Length header is not a number")
                if declared > self.max_body_bytes:
                    return self._too_large()
        return None

    def _too_large(self) -> Problem:
        return PayloadTooLarge(
            f"the body exceeds {self.max_body_bytes} bytes",
            max_body_bytes=self.max_body_bytes,
        )

    async def _read_body(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; the app sees an empty body
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _run(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            _log.exception(
                "http.unhandled_exception",
                extra={"path": path, "method": scope.get("method")},
            )
            if started:
                raise
            await _send(send, InternalError("an unexpected error occurred"), path)


def _replay(body: bytes, receive: Receive) -> Receive:
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _send(send: Send, problem: Problem, path: str) -> None:
    response = problem_response(problem, path)
    headers = list(response.raw_headers)
    await send(
        {"type": "http.response.start", "status": problem.status, "headers": headers}
    )
    await send({"type": "http.response.body", "body": response.body})


def install_problem_handlers(app: FastAPI, *, max_body_bytes: int = 65536) -> None:
    """Render every error of ``app`` as problem+json and cap request bodies."""
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_middleware(ProblemMiddleware, max_body_bytes=max_body_bytes)
