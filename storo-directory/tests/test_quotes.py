"""POST /v1/quotes: fee, total, rail choice, settlement window, versions used."""

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from conftest import PUBLISHER, StatementCounter
from contract import assert_api
from storo_directory.catalog.cache import DatasetCatalog

AT = "2026-12-03T09:00:00+02:00"  # a Thursday morning, before every cut-off


def ask(client: TestClient, amount: str, currency: str, route: str, **more: Any) -> Any:
    origin, destination = route.split("->")
    body = {
        "amount": {"amount": amount, "currency": currency},
        "corridor": {"from": origin, "to": destination},
        "at": AT,
        **more,
    }
    return client.post("/v1/quotes", json=body)


class TestPricing:
    def test_cheapest_rail_is_chosen_when_none_is_asked(
        self, client: TestClient
    ) -> None:
        response = ask(client, "100.00", "USD", "ZA->ZW")
        assert response.status_code == 200, response.text
        quote = response.json()
        assert_api("Quote", quote)
        # zimswitch 1.00 + 1.5% = 2.50 beats oppwa 1.50 + 2% = 3.50
        assert (quote["rail"], quote["rail_reason"]) == ("zimswitch", "cheapest")
        assert quote["fee"] == {"amount": "2.50", "currency": "USD"}
        assert quote["total"] == {"amount": "102.50", "currency": "USD"}
        assert quote["settlement"] == {
            "window": "zimswitch-daily",
            "cutoff_at": "2026-12-03T12:00:00Z",
            "expected_settlement_date": "2026-12-04",
        }
        assert quote["dataset_versions"] == {
            "fees": "2025.1",
            "settlement_windows": "2025.1",
        }

    @pytest.mark.parametrize(
        ("amount", "fee"),
        [("10.00", "1.50"), ("10000.00", "40.00"), ("0.01", "1.50")],
        ids=["minimum applies", "maximum applies", "smallest amount"],
    )
    def test_minimum_and_maximum_bound_the_fee(
        self, client: TestClient, amount: str, fee: str
    ) -> None:
        quote = ask(client, amount, "USD", "ZA->ZW", rail="zimswitch").json()
        assert quote["fee"]["amount"] == fee
        assert quote["rail_reason"] == "requested"

    def test_usdc_keeps_six_decimals_and_rounds_half_up(
        self, client: TestClient
    ) -> None:
        quote = ask(client, "0.333333", "USDC", "ZA->ZW").json()
        # 0.50 + 0.5% x 0.333333 = 0.501666665 -> 0.501667
        assert quote["fee"] == {"amount": "0.501667", "currency": "USDC"}
        assert quote["total"]["amount"] == "0.835000"
        assert (quote["rail"], quote["rail_reason"]) == (
            "usdc",
            "only_rail_for_currency",
        )
        assert quote["settlement"]["window"] == "usdc-onchain"

    def test_half_even_schedule_rounds_to_even(self, client: TestClient) -> None:
        quote = ask(client, "250.50", "ZWG", "ZW->ZW").json()
        # 2.00 + 1% x 250.50 = 2.00 + 2.505 -> 2.50 under half-even (2.51 half-up)
        assert quote["fee"]["amount"] == "4.50"


class TestRefusals:
    def test_rail_that_does_not_carry_the_currency(self, client: TestClient) -> None:
        response = ask(client, "100.00", "ZWG", "ZA->ZW", rail="oppwa")
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {
                "field": "/rail",
                "rule": "rail_does_not_carry_currency",
                "message": "rail oppwa carries USD, ZAR, not ZWG",
            }
        ]

    def test_corridor_without_a_schedule_is_no_route(self, client: TestClient) -> None:
        response = ask(client, "100.00", "USD", "ZA->ZA")
        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert (error["field"], error["rule"]) == ("/corridor", "no_route")

    @pytest.mark.parametrize(
        ("money", "field", "rule"),
        [
            ({"amount": "0.00", "currency": "USD"}, "/amount/amount", "zero"),
            (
                {"amount": "1.001", "currency": "USD"},
                "/amount/amount",
                "too_many_decimals",
            ),
            (
                {"amount": "10.00", "currency": "XYZ"},
                "/amount/currency",
                "unknown_currency",
            ),
        ],
    )
    def test_bad_amounts(
        self, client: TestClient, money: dict[str, str], field: str, rule: str
    ) -> None:
        response = client.post(
            "/v1/quotes", json={"amount": money, "corridor": {"from": "ZA", "to": "ZW"}}
        )
        assert response.status_code == 422
        assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [
            (field, rule)
        ]

    def test_float_amount_is_refused(self, client: TestClient) -> None:
        response = client.post(
            "/v1/quotes",
            json={
                "amount": {"amount": 10.5, "currency": "USD"},
                "corridor": {"from": "ZA", "to": "ZW"},
            },
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "/amount/amount"


class TestReproduction:
    NEW_FEES = (
        b"rail,from,to,currency,fixed,percentage,minimum,maximum,rounding\n"
        b"zimswitch,ZA,ZW,USD,5.00,0,5.00,,half_up\n"
    )

    def publish_new_fees(self, client: TestClient) -> None:
        response = client.post(
            "/v1/datasets/fees/versions",
            params={"version": "2026.12"},
            content=self.NEW_FEES,
            headers={**PUBLISHER, "Content-Type": "text/csv"},
        )
        assert response.status_code == 201, response.text

    def test_pinned_versions_reproduce_an_earlier_quote(
        self, client: TestClient
    ) -> None:
        before = ask(client, "100.00", "USD", "ZA->ZW", at=None).json()
        self.publish_new_fees(client)
        now = ask(client, "100.00", "USD", "ZA->ZW", at=None).json()
        again = ask(
            client,
            "100.00",
            "USD",
            "ZA->ZW",
            at=None,
            dataset_versions=before["dataset_versions"],
        ).json()
        assert now["dataset_versions"]["fees"] == "2026.12"
        assert now["fee"]["amount"] == "5.00"
        assert again["fee"] == before["fee"]
        assert again["dataset_versions"] == before["dataset_versions"]

    def test_a_past_moment_uses_the_versions_in_force_then(
        self, client: TestClient
    ) -> None:
        self.publish_new_fees(client)
        past = ask(client, "100.00", "USD", "ZA->ZW").json()
        assert past["dataset_versions"]["fees"] == "2025.1"
        assert past["fee"]["amount"] == "2.50"


class TestHotPath:
    def test_warm_quote_runs_no_query(
        self,
        app: FastAPI,
        client: TestClient,
        sessions: sessionmaker[Session],
        count_statements: StatementCounter,
    ) -> None:
        app.state.catalog = DatasetCatalog(sessions, ttl_seconds=3600)
        assert ask(client, "100.00", "USD", "ZA->ZW").status_code == 200
        cold = len(count_statements.statements)
        assert ask(client, "250.00", "USD", "ZA->ZW").status_code == 200
        assert (cold, len(count_statements.statements)) == (3, 3)

    def test_with_no_ttl_a_quote_reads_only_the_version_list(
        self, client: TestClient, count_statements: StatementCounter
    ) -> None:
        assert ask(client, "100.00", "USD", "ZA->ZW").status_code == 200
        warmed = len(count_statements.statements)
        assert ask(client, "250.00", "USD", "ZA->ZW").status_code == 200
        assert len(count_statements.statements) - warmed == 1
