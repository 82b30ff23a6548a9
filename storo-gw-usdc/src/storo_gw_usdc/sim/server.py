"""HTTP front of the simulated chain: algod v2 routes plus a small admin API.

algod routes (JSON answers, errors as `{"message": ...}` like algod):
  GET  /health
  GET  /v2/status
  GET  /v2/status/wait-for-block-after/{round}
  GET  /v2/transactions/params
  POST /v2/transactions                (body: raw msgpack signed transaction)
  GET  /v2/transactions/pending/{txid}
  GET  /v2/accounts/{address}
Admin routes (not algod's; for tests and development seeding):
  POST /admin/fund       {"address", "microalgos"}
  POST /admin/assets     {"asset_id", "creator", "decimals", "unit_name", "total"}
  POST /admin/holdings   {"address", "asset_id", "amount"}
  POST /admin/fail-next  {"mode": receiver_not_opted_in|insufficient_funds|
                          validity_window_passed, "stage": "submit"|"pool"}
  POST /admin/advance    {"rounds": n}
  GET  /admin/stats
"""

from __future__ import annotations

import json
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import structlog

from storo_gw_usdc.sim.ledger import (
    Chain,
    FailureMode,
    FailureStage,
    NotFound,
    Rejected,
)

log = structlog.get_logger("storo_gw_usdc.sim")

_PENDING = re.compile(r"^/v2/transactions/pending/([A-Z2-7]{52})$")
_WAIT = re.compile(r"^/v2/status/wait-for-block-after/(\d+)$")
_ACCOUNT = re.compile(r"^/v2/accounts/([A-Z2-7]{58})$")
MAX_BODY = 1 << 20


class Simulator:
    """Runs the chain behind a threaded HTTP server, optionally with a round timer."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 8710,
        confirm_rounds: int = 1,
        round_seconds: float = 0.0,
        advance_on_wait: bool = True,
        wait_timeout: float = 5.0,
        token: str | None = None,
    ) -> None:
        self.chain = Chain(confirm_rounds=confirm_rounds)
        self.round_seconds = round_seconds
        self.advance_on_wait = advance_on_wait
        self.wait_timeout = wait_timeout
        self.token = token
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.httpd = ThreadingHTTPServer((host, port), _handler_for(self))
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Simulator:
        serve = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._threads.append(serve)
        if self.round_seconds > 0:
            self._threads.append(threading.Thread(target=self._tick, daemon=True))
        for thread in self._threads:
            thread.start()
        log.info("sim.started", url=self.url, round=self.chain.round)
        return self

    def serve_forever(self) -> None:
        self.start()
        self._stop.wait()

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def _tick(self) -> None:
        while not self._stop.wait(self.round_seconds):
            self.chain.advance()

    def wait_after(self, after: int) -> dict[str, Any]:
        if self.advance_on_wait and self.chain.round <= after:
            self.chain.advance(after + 1 - self.chain.round)
        self.chain.wait_for_round_after(after, self.wait_timeout)
        return self.chain.status()


def _handler_for(sim: Simulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "storo-algod-sim"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            # http.server writes to stderr; route it through structlog instead.
            log.debug("sim.request", line=format % args)

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def _dispatch(self, method: str) -> None:
            path = self.path.split("?", 1)[0]
            try:
                guarded = not path.startswith(("/admin", "/health"))
                # py-algorand-sdk and algod both spell the header "X-Algo-API-Token".
                if (
                    sim.token
                    and guarded
                    and self.headers.get("X-Algo-API-Token") != sim.token
                ):
                    self._send(
                        HTTPStatus.UNAUTHORIZED, {"message": "Invalid API Token"}
                    )
                    return
                status, body = self._route(method, path)
            except Rejected as exc:
                status, body = HTTPStatus.BAD_REQUEST, {"message": str(exc)}
            except NotFound as exc:
                status, body = HTTPStatus.NOT_FOUND, {"message": str(exc)}
            except (ValueError, KeyError, TypeError) as exc:
                status, body = (
                    HTTPStatus.BAD_REQUEST,
                    {"message": f"bad request: {exc}"},
                )
            self._send(status, body)

        def _route(self, method: str, path: str) -> tuple[HTTPStatus, Any]:
            chain = sim.chain
            ok = HTTPStatus.OK
            if method == "GET":
                if path == "/health":
                    return ok, None
                if path == "/v2/status":
                    return ok, chain.status()
                if path == "/v2/transactions/params":
                    return ok, chain.params()
                if m := _WAIT.match(path):
                    return ok, sim.wait_after(int(m.group(1)))
                if m := _PENDING.match(path):
                    return ok, chain.pending(m.group(1))
                if m := _ACCOUNT.match(path):
                    return ok, chain.account_info(m.group(1))
                if path == "/admin/stats":
                    return ok, {
                        "round": chain.round,
                        "broadcasts": chain.broadcasts,
                        "transactions": len(chain.txns),
                    }
            if method == "POST":
                body = self._body()
                if path == "/v2/transactions":
                    return ok, {"txId": chain.submit(body)}
                data = json.loads(body or b"{}")
                if path == "/admin/fund":
                    chain.fund(data["address"], int(data["microalgos"]))
                    return ok, chain.account_info(data["address"])
                if path == "/admin/assets":
                    asset = chain.create_asset(
                        asset_id=int(data["asset_id"]),
                        creator=data["creator"],
                        decimals=int(data.get("decimals", 6)),
                        unit_name=data.get("unit_name", "USDC"),
                        total=int(data["total"]),
                    )
                    return ok, {"index": asset.asset_id, "creator": asset.creator}
                if path == "/admin/holdings":
                    chain.set_holding(
                        data["address"], int(data["asset_id"]), int(data["amount"])
                    )
                    return ok, chain.account_info(data["address"])
                if path == "/admin/fail-next":
                    chain.fail_next(
                        FailureMode(data["mode"]),
                        FailureStage(data.get("stage", "submit")),
                    )
                    return ok, {"queued": len(chain.failures)}
                if path == "/admin/advance":
                    return ok, {"round": chain.advance(int(data.get("rounds", 1)))}
            raise NotFound(f"no route {method} {path}")

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise Rejected("request body too large")
            return self.rfile.read(length)

        def _send(self, status: HTTPStatus, body: Any) -> None:
            payload = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler
