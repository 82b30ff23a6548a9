"""The few algod v2 calls the gateway makes, through py-algorand-sdk's client."""

from __future__ import annotations

import base64
import urllib.error
from dataclasses import dataclass
from typing import Any

from algosdk.error import AlgodHTTPError
from algosdk.v2client.algod import AlgodClient

# algod says this both for a transaction still in its pool and one already in a
# block (go-algorand's TransactionInLedgerError): either way it has our bytes.
ALREADY_KNOWN = "transaction already in ledger"


class RailUnavailable(Exception):  # noqa: N818 - named as the fact it reports
    """algod could not be reached or answered with a server error; try later."""


class RailRefused(Exception):  # noqa: N818 - named as the fact it reports
    """algod refused the transaction (HTTP 400); `message` is algod's own text."""

    def __init__(self, message: str, answer: dict[str, Any]) -> None:
        super().__init__(message)
        self.message = message
        self.answer = answer


@dataclass(frozen=True)
class Submitted:
    txid: str
    answer: dict[str, Any]
    rebroadcast: bool


class Algod:
    def __init__(self, url: str, token: str = "", *, timeout: int = 10) -> None:
        self.client = AlgodClient(token, url)
        self.timeout = timeout

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            return self.client.algod_request(
                method, path, timeout=kwargs.pop("timeout", self.timeout), **kwargs
            )
        except AlgodHTTPError as error:
            if error.code == 400:
                raise RailRefused(str(error), {"message": str(error)}) from error
            if error.code == 404:
                raise LookupError(str(error)) from error
            raise RailUnavailable(f"algod answered {error.code}: {error}") from error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise RailUnavailable(f"algod unreachable: {error}") from error

    def params(self) -> dict[str, Any]:
        return dict(self._call("GET", "/transactions/params"))

    def status(self) -> dict[str, Any]:
        return dict(self._call("GET", "/status"))

    def wait_after(self, round_: int, *, timeout: int) -> dict[str, Any]:
        return dict(
            self._call("GET", f"/status/wait-for-block-after/{round_}", timeout=timeout)
        )

    def submit(self, raw: bytes, txid: str) -> Submitted:
        """Send signed bytes; a duplicate of `txid` counts as sent."""
        try:
            answer = self._call(
                "POST",
                "/transactions",
                data=raw,
                headers={"Content-Type": "application/x-binary"},
            )
        except RailRefused as refused:
            if ALREADY_KNOWN in refused.message and txid in refused.message:
                return Submitted(txid, refused.answer, rebroadcast=True)
            raise
        if answer.get("txId") != txid:
            raise RailUnavailable(
                f"algod acknowledged {answer.get('txId')}, not {txid}"
            )
        return Submitted(txid, dict(answer), rebroadcast=False)

    def pending(self, txid: str) -> dict[str, Any] | None:
        """The pending-transaction record, or None when algod no longer knows it."""
        try:
            return dict(
                self._call(
                    "GET", f"/transactions/pending/{txid}", params={"format": "json"}
                )
            )
        except LookupError:
            return None


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
