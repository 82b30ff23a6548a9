"""GET /v1/bins/{bin}: longest-prefix lookup, and never a card number."""

import pytest
from fastapi.testclient import TestClient

from contract import assert_api


class TestLookup:
    def test_eight_digit_issuer_range_wins_over_the_scheme_range(
        self, client: TestClient
    ) -> None:
        body = client.get("/v1/bins/41000050").json()
        assert_api("BinRange", body)
        assert body["issuer_institution"] == "za-capitec"
        assert body["prefix_length"] == 8
        assert (body["scheme"], body["card_type"], body["country"]) == (
            "visa",
            "debit",
            "ZA",
        )

    def test_outside_every_issuer_range_the_scheme_range_answers(
        self, client: TestClient
    ) -> None:
        body = client.get("/v1/bins/41000500").json()
        assert (body["scheme"], body["issuer"], body["prefix_length"]) == (
            "visa",
            None,
            6,
        )

    def test_six_digits_match_six_digit_ranges_only(self, client: TestClient) -> None:
        body = client.get("/v1/bins/410000").json()
        assert body["prefix_length"] == 6

    @pytest.mark.parametrize(
        ("bin_", "scheme"),
        [
            ("222100", "mastercard"),
            ("272099", "mastercard"),
            ("520001", "mastercard"),
            ("371234", "amex"),
            ("620000", "unionpay"),
        ],
    )
    def test_range_edges(self, client: TestClient, bin_: str, scheme: str) -> None:
        assert client.get(f"/v1/bins/{bin_}").json()["scheme"] == scheme

    def test_uncovered_bin_is_404(self, client: TestClient) -> None:
        response = client.get("/v1/bins/999999")
        assert response.status_code == 404
        assert response.json()["type"].endswith("/bin-not-found")

    @pytest.mark.parametrize("value", ["4111111111111111", "41000", "41x000"])
    def test_anything_but_six_to_eight_digits_is_refused(
        self, client: TestClient, value: str
    ) -> None:
        response = client.get(f"/v1/bins/{value}")
        assert response.status_code == 400
        assert value not in response.text
