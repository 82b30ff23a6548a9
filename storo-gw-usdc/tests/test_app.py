"""The HTTP app: the fleet's endpoints and the rail-transfer view."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from storo_gw_usdc.app import build
from storo_gw_usdc.settings import GatewaySettings
from tests.conftest import CREDITOR
from tests.helpers import submitted
from tests.test_flow import consume_all, deliver, run_rail


def client(settings: GatewaySettings) -> TestClient:
    return TestClient(build(settings))


class TestApp:
    def test_standard_endpoints(self, settings: GatewaySettings) -> None:
        with client(settings) as http:
            assert http.get("/live").status_code == 200
            assert http.get("/ready").status_code == 200
            version = http.get("/version").json()
            assert version["service"] == "storo-gw-usdc"
            assert version["version"] == "1.0.0"
            assert version["specs_version"] == "1.0.0"

    def test_metrics_name_the_gateway_series(self, settings: GatewaySettings) -> None:
        with client(settings) as http:
            text = http.get("/metrics").text
        for name in (
            "storo_gw_usdc_transactions_submitted_total",
            "storo_gw_usdc_transactions_confirmed_total",
            "storo_gw_usdc_transactions_failed_total",
            "storo_gw_usdc_time_to_confirm_seconds",
        ):
            assert name in text

    def test_an_unknown_transfer_is_a_problem(self, settings: GatewaySettings) -> None:
        with client(settings) as http:
            answer = http.get(f"/v1/rail-transfers/{uuid.uuid4()}")
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("application/problem+json")

    def test_a_settled_transfer_shows_its_transaction(
        self,
        settings: GatewaySettings,
        engine: Engine,
        sqs: Any,
        inbox: str,
        consumer: Any,
        rail: Any,
    ) -> None:
        event = submitted(CREDITOR.address, amount="3.25")
        deliver(sqs, inbox, event)
        consume_all(consumer)
        run_rail(rail)
        with client(settings) as http:
            body = http.get(f"/v1/rail-transfers/{event['data']['transfer_id']}").json()
        assert body["state"] == "settled"
        assert body["amount"] == {"amount": "3.250000", "currency": "USDC"}
        assert len(body["txid"]) == 52
        assert body["payloads"] == ["signed-txn", "submit-answer", "confirmation"]
