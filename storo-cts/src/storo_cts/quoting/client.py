"""storo-directory's quote API, as CTS calls it (``POST /v1/quotes``)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import aiohttp
from pydantic import BaseModel, ValidationError

from storo_cts.http import HttpPool
from storo_cts.observability import DEPENDENCY_FAILURES, log


class WireMoney(BaseModel):
    amount: str
    currency: str


class Settlement(BaseModel):
    window: str
    cutoff_at: datetime
    expected_settlement_date: date


class QuoteAnswer(BaseModel):
    """The part of directory's answer CTS relies on (other fields are ignored)."""

    quote_id: str
    amount: WireMoney
    fee: WireMoney
    total: WireMoney
    rail: str
    rail_reason: str | None = None
    settlement: Settlement
    dataset_versions: dict[str, str]


class RoutingUnavailable(Exception):
    """Directory did not give a usable answer in time."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


class QuoteRefused(Exception):
    """Directory refused the request itself (no route, rail without the currency).

    ``errors`` hold directory's field errors with pointers already translated into
    the transfer request's own fields.
    """

    def __init__(self, errors: list[tuple[str, str, str]]) -> None:
        super().__init__("; ".join(f"{f} {r}" for f, r, _ in errors))
        self.errors = errors


# Directory's request pointers -> the transfer request fields they came from.
_POINTERS = {
    "/corridor/from": "/debtor/country",
    "/corridor/to": "/creditor/country",
    "/corridor": "/creditor/country",
}


class DirectoryClient:
    def __init__(self, http: HttpPool, base_url: str, timeout: float) -> None:
        self._http = http
        self._url = base_url.rstrip("/") + "/v1/quotes"
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def quote(
        self,
        *,
        amount: dict[str, str],
        corridor: tuple[str, str],
        rail: str | None,
    ) -> QuoteAnswer:
        body = {
            "amount": amount,
            "corridor": {"from": corridor[0], "to": corridor[1]},
            "rail": rail,
            "at": None,
        }
        try:
            async with self._http.session.post(
                self._url, json=body, timeout=self._timeout
            ) as response:
                status, content = response.status, await response.read()
        except TimeoutError as exc:
            raise _unavailable("timeout") from exc
        except aiohttp.ClientError as exc:
            raise _unavailable("unreachable") from exc
        if status == 422:
            raise _refused(content)
        if status != 200:
            raise _unavailable(f"status_{status}")
        try:
            return QuoteAnswer.model_validate_json(content)
        except ValidationError as exc:
            raise _unavailable("invalid_response") from exc


def _refused(content: bytes) -> Exception:
    try:
        problem: Any = json.loads(content)
        items = problem.get("errors") or []
        errors = [
            (
                _POINTERS.get(str(e["field"]), str(e["field"])),
                str(e["rule"]),
                str(e.get("message", "")),
            )
            for e in items
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        errors = []
    if not errors:
        # A 422 without field errors is not something CTS can explain to its client.
        return _unavailable("unexplained_refusal")
    log.info("quote.refused", rules=[r for _, r, _ in errors])
    return QuoteRefused(errors)


def _unavailable(cause: str) -> RoutingUnavailable:
    DEPENDENCY_FAILURES.labels(dependency="directory", cause=cause).inc()
    log.warning("routing.unavailable", cause=cause)
    return RoutingUnavailable(cause)
