"""storo-compliance's screening API, as CTS calls it (``POST /v1/screenings``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import aiohttp
from pydantic import BaseModel, ValidationError

from storo_cts.http import HttpPool
from storo_cts.observability import DEPENDENCY_FAILURES, log


class Screening(BaseModel):
    """The part of compliance's answer CTS relies on (other fields are ignored)."""

    screening_id: str
    decision: Literal["clear", "review", "deny"]
    score: int
    reason: Literal["match", "list_stale"] | None
    list_versions: dict[str, str]
    screened_at: datetime


class ScreeningUnavailable(Exception):
    """Compliance did not give a usable answer in time."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


class ComplianceClient:
    def __init__(self, http: HttpPool, base_url: str, timeout: float) -> None:
        self._http = http
        self._url = base_url.rstrip("/") + "/v1/screenings"
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def screen(self, party: dict[str, Any], reference: str | None) -> Screening:
        # Compliance screens a name, not an account: send only what it asks for.
        subject: dict[str, Any] = {
            k: party[k] for k in ("name", "type", "country") if k in party
        }
        if party.get("date_of_birth") is not None:
            subject["date_of_birth"] = party["date_of_birth"]
        try:
            async with self._http.session.post(
                self._url,
                json={"party": subject, "reference": reference},
                timeout=self._timeout,
            ) as response:
                status, content = response.status, await response.read()
        except TimeoutError as exc:
            raise _unavailable("timeout") from exc
        except aiohttp.ClientError as exc:
            raise _unavailable("unreachable") from exc
        if status != 200:
            raise _unavailable(f"status_{status}")
        try:
            return Screening.model_validate_json(content)
        except ValidationError as exc:
            raise _unavailable("invalid_response") from exc


def _unavailable(cause: str) -> ScreeningUnavailable:
    DEPENDENCY_FAILURES.labels(dependency="compliance", cause=cause).inc()
    log.warning("screening.unavailable", cause=cause)
    return ScreeningUnavailable(cause)
