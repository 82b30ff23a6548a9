"""A small controllable HTTP server standing in for compliance and directory.

It answers ``POST /v1/screenings`` and ``POST /v1/quotes`` over real TCP, so CTS's
client, its keep-alive pool and its timeouts are exercised for real. Every request
CTS sends and every answer this server gives is validated against storo-specs'
documents; a contract break is recorded in ``violations`` and fails the test.

The fleet end-to-end test runs the real compliance and directory services.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import storo_specs
from storo_platform.money import apply_rate, parse_amount

RAIL_FOR = {"USDC": "usdc", "ZAR": "oppwa", "USD": "oppwa", "ZWG": "zimswitch"}
CARRIES = {"usdc": {"USDC"}, "oppwa": {"ZAR", "USD"}, "zimswitch": {"ZWG", "USD"}}
LIST_VERSIONS = {"ofac_sdn": "2026-12-01", "un_consolidated": "2026-11-30"}
DATASET_VERSIONS = {"fees": "fees-2026-12-01", "settlement_windows": "sw-2026-11"}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Behaviour:
    """What the next answers look like; tests change it, a fixture resets it."""

    compliance: str = "normal"  # normal | slow | error | garbage
    directory: str = "normal"  # normal | slow | error
    delay: float = 1.0  # seconds a "slow" answer takes (beyond CTS's timeout)


@dataclass
class Dependencies:
    behaviour: Behaviour = field(default_factory=Behaviour)
    violations: list[str] = field(default_factory=list)
    screenings: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def reset(self) -> None:
        self.behaviour = Behaviour()
        self.violations.clear()
        self.screenings.clear()
        self.quotes.clear()

    def check(self, document: str, component: str, instance: Any) -> None:
        try:
            storo_specs.validate_api(document, component, instance)
        except storo_specs.ContractError as exc:
            issues = getattr(exc, "issues", None) or [exc]
            self.violations.append(f"{document}.{component}: {issues}")

    # -- compliance --------------------------------------------------------------
    def screen(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.check("compliance", "ScreeningRequest", request)
        self.screenings.append(request)
        mode = self.behaviour.compliance
        if mode == "slow":
            time.sleep(self.behaviour.delay)
        if mode == "error":
            return 503, _problem(503, "service-unavailable", "lists loading")
        if mode == "garbage":
            return 200, {"unexpected": True}
        name = request["party"]["name"]
        decision, reason, score = "clear", None, 0
        if "Stale" in name:
            decision, reason, score = "deny", "list_stale", 0
        elif "Deny" in name:
            decision, reason, score = "deny", "match", 97
        elif "Review" in name:
            decision, reason, score = "review", "match", 81
        candidates = []
        if reason == "match":
            candidates = [
                {
                    "list": "ofac_sdn",
                    "entry_id": "OFAC-1234",
                    "matched_name": name,
                    "name_kind": "primary",
                    "score": score,
                    "reasons": ["token_set_ratio"],
                }
            ]
        body = {
            "screening_id": str(uuid.uuid4()),
            "decision": decision,
            "score": score,
            "reason": reason,
            "candidates": candidates,
            "list_versions": LIST_VERSIONS,
            "screened_at": _now(),
        }
        self.check("compliance", "ScreeningResult", body)
        return 200, body

    # -- directory ---------------------------------------------------------------
    def quote(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.check("directory", "QuoteRequest", request)
        self.quotes.append(request)
        mode = self.behaviour.directory
        if mode == "slow":
            time.sleep(self.behaviour.delay)
        if mode == "error":
            return 500, _problem(500, "internal-error", "boom")
        code = request["amount"]["currency"]
        rail = request.get("rail") or RAIL_FOR.get(code)
        if rail is None:
            return 422, _problem(
                422, "unprocessable", "no route", "/amount/currency", "no_route"
            )
        if code not in CARRIES[rail]:
            return 422, _problem(
                422, "unprocessable", "rail", "/rail", "rail_does_not_carry_currency"
            )
        amount = parse_amount(request["amount"]["amount"], code)
        fee = apply_rate(amount, "0.01")
        cutoff = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
        body = {
            "quote_id": f"q_{uuid.uuid4().hex[:20]}",
            "amount": amount.to_wire(),
            "fee": fee.to_wire(),
            "total": (amount + fee).to_wire(),
            "rail": rail,
            "rail_reason": "requested" if request.get("rail") else "cheapest",
            "settlement": {
                "window": f"{rail}-same-day",
                "cutoff_at": cutoff.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "expected_settlement_date": cutoff.date().isoformat(),
            },
            "dataset_versions": DATASET_VERSIONS,
        }
        self.check("directory", "Quote", body)
        return 200, body


def _problem(
    status: int, slug: str, detail: str, pointer: str | None = None, rule: str = ""
) -> dict[str, Any]:
    errors = (
        [] if pointer is None else [{"field": pointer, "rule": rule, "message": rule}]
    )
    return {
        "type": f"https://storo.dev/problems/{slug}",
        "title": slug,
        "status": status,
        "detail": detail,
        "instance": "/",
        "errors": errors,
    }


def start(deps: Dependencies) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the real services speak
        # Headers and body leave in two writes; with Nagle's algorithm on, the
        # client's delayed ACK would add ~40 ms to every answer.
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            request = json.loads(self.rfile.read(length))
            if self.path == "/v1/screenings":
                status, body = deps.screen(request)
            elif self.path == "/v1/quotes":
                status, body = deps.quote(request)
            else:
                status, body = 404, _problem(404, "not-found", self.path)
            payload = json.dumps(body).encode()
            self.send_response(status)
            ctype = "application/json" if status < 400 else "application/problem+json"
            self.send_header("content-type", ctype)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            # CTS may have given up waiting (a timeout test): nobody to answer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    deps.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
