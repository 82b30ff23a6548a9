"""POST /v1/transfers: creation, idempotency, and every refusal."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.conftest import new_key, party, transfer_body
from tests.dependencies import DATASET_VERSIONS, Dependencies
from tests.support import changes, check_api, count, outbox, types


def post(client: httpx.Client, body: Any, key: str | None = None) -> httpx.Response:
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post("/v1/transfers", json=body, headers=headers)


class TestCreate:
    def test_a_clear_transfer_is_submitted_on_its_rail(
        self, client: httpx.Client, admin: Engine, dependencies: Dependencies
    ) -> None:
        response = post(client, transfer_body(), new_key())

        assert response.status_code == 201
        body = response.json()
        check_api("Transfer", body)
        assert body["status"] == "submitted"
        assert body["rail"] == "oppwa"
        assert body["amount"] == {"amount": "125.50", "currency": "USD"}
        assert body["fee"] == {"amount": "1.26", "currency": "USD"}
        assert body["total"] == {"amount": "126.76", "currency": "USD"}
        assert body["dataset_versions"] == DATASET_VERSIONS
        assert body["metadata"] == {"order": "42"}
        assert response.headers["location"] == f"/v1/transfers/{body['transfer_id']}"
        assert "idempotent-replayed" not in response.headers

        envelopes = outbox(admin, body["transfer_id"])
        assert types(envelopes) == [
            "transfers.status.changed",
            "transfers.status.changed",
            "transfers.status.changed",
            "transfers.submitted.oppwa",
        ]
        assert changes(envelopes) == [
            (None, "received"),
            ("received", "screened"),
            ("screened", "submitted"),
        ]
        submitted = envelopes[-1]["data"]
        assert submitted["quote_id"] == body["quote_id"]
        assert submitted["dataset_versions"] == DATASET_VERSIONS
        assert submitted["amount"] == body["amount"]

    def test_the_quote_is_stored_with_its_dataset_versions(
        self, client: httpx.Client, admin: Engine, dependencies: Dependencies
    ) -> None:
        body = post(client, transfer_body(), new_key()).json()
        stored = count(
            admin,
            "quotes",
            "quote_id = :q AND dataset_versions = CAST(:v AS jsonb)"
            " AND fee_minor = 126 AND total_minor = 12676",
            q=body["quote_id"],
            v=json.dumps(DATASET_VERSIONS),
        )
        assert stored == 1

    def test_both_parties_are_screened_with_only_what_screening_needs(
        self, client: httpx.Client, dependencies: Dependencies
    ) -> None:
        body = post(client, transfer_body(), new_key()).json()
        names = sorted(s["party"]["name"] for s in dependencies.screenings)
        assert names == ["Tendai Moyo", "Thandi Nkosi"]
        for screening in dependencies.screenings:
            assert "account" not in screening["party"]
            assert screening["reference"] == body["transfer_id"]

    def test_the_directory_routes_when_no_rail_is_asked(
        self, client: httpx.Client, dependencies: Dependencies
    ) -> None:
        amount = {"amount": "10.000001", "currency": "USDC"}
        body = post(client, transfer_body(amount=amount), new_key()).json()
        assert body["rail"] == "usdc"
        assert dependencies.quotes[0]["rail"] is None
        assert dependencies.quotes[0]["corridor"] == {"from": "ZA", "to": "ZW"}

    def test_a_requested_rail_is_passed_to_the_directory(
        self, client: httpx.Client, dependencies: Dependencies
    ) -> None:
        body = post(client, transfer_body(rail="zimswitch"), new_key()).json()
        assert body["rail"] == "zimswitch"
        assert dependencies.quotes[0]["rail"] == "zimswitch"

    def test_read_back_equals_the_created_transfer(
        self, client: httpx.Client, dependencies: Dependencies
    ) -> None:
        created = post(client, transfer_body(), new_key()).json()
        read = client.get(f"/v1/transfers/{created['transfer_id']}")
        assert read.status_code == 200
        assert read.json() == created


class TestIdempotency:
    def test_same_key_same_body_replays_the_first_answer(
        self, client: httpx.Client, admin: Engine, dependencies: Dependencies
    ) -> None:
        key = new_key()
        first = post(client, transfer_body(), key)
        calls = len(dependencies.screenings)
        again = post(client, transfer_body(), key)

        assert again.status_code == 201
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json() == first.json()
        assert again.headers["location"] == first.headers["location"]
        assert count(admin, "transfers", "idempotency_key = :k", k=key) == 1
        # A replay is answered from storage: nobody is screened twice.
        assert len(dependencies.screenings) == calls

    def test_same_document_with_other_formatting_is_a_replay(
        self, client: httpx.Client, dependencies: Dependencies
    ) -> None:
        key = new_key()
        post(client, transfer_body(), key)
        spaced = json.dumps(transfer_body(), indent=4, sort_keys=True)
        again = client.post(
            "/v1/transfers",
            content=spaced,
            headers={"Idempotency-Key": key, "content-type": "application/json"},
        )
        assert again.headers["idempotent-replayed"] == "true"

    def test_same_key_other_body_is_refused(
        self, client: httpx.Client, admin: Engine, dependencies: Dependencies
    ) -> None:
        key = new_key()
        post(client, transfer_body(), key)
        other = post(client, transfer_body(reference="OTHER-REF"), key)

        assert other.status_code == 422
        problem = other.json()
        check_api("Problem", problem)
        assert problem["errors"][0]["field"] == "header:Idempotency-Key"
        assert problem["errors"][0]["rule"] == "idempotency_key_reused"
        assert count(admin, "transfers", "idempotency_key = :k", k=key) == 1

    def test_concurrent_requests_with_one_key_create_one_transfer(
        self, cts_url: str, admin: Engine, dependencies: Dependencies
    ) -> None:
        key = new_key()
        results: list[httpx.Response] = []
        barrier = threading.Barrier(6)

        def send() -> None:
            with httpx.Client(base_url=cts_url, timeout=10) as c:
                barrier.wait()
                results.append(post(c, transfer_body(), key))

        threads = [threading.Thread(target=send) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert [r.status_code for r in results] == [201] * 6
        assert len({r.json()["transfer_id"] for r in results}) == 1
        fresh = [r for r in results if "idempotent-replayed" not in r.headers]
        assert len(fresh) == 1
        assert count(admin, "transfers", "idempotency_key = :k", k=key) == 1
        transfer_id = results[0].json()["transfer_id"]
        assert len(outbox(admin, transfer_id)) == 4

    def test_a_key_stays_bound_to_its_transfer_after_the_key_row_is_pruned(
        self, client: httpx.Client, admin: Engine, dependencies: Dependencies
    ) -> None:
        key = new_key()
        post(client, transfer_body(), key)
        with admin.begin() as conn:
            conn.execute(
                sa.text("DELETE FROM cts.idempotency_keys WHERE key = :k"), {"k": key}
            )
        again = post(client, transfer_body(), key)
        assert again.status_code == 409
        check_api("Problem", again.json())
        assert count(admin, "transfers", "idempotency_key = :k", k=key) == 1

    def test_a_missing_key_is_a_bad_request(
        self, client: httpx.Client, dependencies: Dependencies
    ) -> None:
        response = post(client, transfer_body())
        assert response.status_code == 400
        problem = response.json()
        check_api("Problem", problem)
        assert problem["errors"][0]["field"] == "header:Idempotency-Key"
        assert problem["errors"][0]["rule"] == "required"
        assert dependencies.screenings == []


def amount(value: Any, code: str = "USD") -> dict[str, Any]:
    return transfer_body(amount={"amount": value, "currency": code})


REFUSED = [
    pytest.param(amount("0.00"), "/amount/amount", "zero", id="zero"),
    pytest.param(amount("-5.00"), "/amount/amount", "negative", id="negative"),
    pytest.param(amount("1.005"), "/amount/amount", "too_many_decimals", id="decimals"),
    pytest.param(amount(12.5), "/amount/amount", "not_a_decimal_string", id="float"),
    pytest.param(amount("1e3"), "/amount/amount", "not_a_decimal_string", id="exp"),
    pytest.param(
        amount("10.00", "XYZ"), "/amount/currency", "unknown_currency", id="currency"
    ),
    pytest.param(amount("50000.01"), "/amount/amount", "above_maximum", id="limit"),
    pytest.param(
        amount("10000.000001", "USDC"),
        "/amount/amount",
        "above_maximum",
        id="limit-per-currency",
    ),
    pytest.param(
        transfer_body(rail="usdc"),
        "/rail",
        "rail_does_not_carry_currency",
        id="rail-currency",
    ),
    pytest.param(
        {**transfer_body(), "colour": "blue"}, "/colour", "unknown_field", id="unknown"
    ),
    pytest.param(
        transfer_body(debtor={**party(), "nickname": "T"}),
        "/debtor/nickname",
        "unknown_field",
        id="unknown-nested",
    ),
    pytest.param(
        {k: v for k, v in transfer_body().items() if k != "reference"},
        "/reference",
        "required",
        id="missing",
    ),
    pytest.param(
        transfer_body(creditor=party(country="Zimbabwe")),
        "/creditor/country",
        "pattern",
        id="country",
    ),
    pytest.param(transfer_body(rail="swift"), "/rail", "enum", id="unknown-rail"),
]


class TestRefusals:
    @pytest.mark.parametrize(("body", "field", "rule"), REFUSED)
    def test_a_broken_rule_is_422_naming_the_field_and_nothing_is_stored(
        self,
        client: httpx.Client,
        admin: Engine,
        dependencies: Dependencies,
        body: dict[str, Any],
        field: str,
        rule: str,
    ) -> None:
        key = new_key()
        response = post(client, body, key)

        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        check_api("Problem", problem)
        assert (field, rule) in [(e["field"], e["rule"]) for e in problem["errors"]]
        assert count(admin, "idempotency_keys", "key = :k", k=key) == 0
        assert count(admin, "transfers", "idempotency_key = :k", k=key) == 0
        assert dependencies.screenings == []

    def test_malformed_json_is_400_and_nothing_is_stored(
        self, client: httpx.Client, admin: Engine, dependencies: Dependencies
    ) -> None:
        key = new_key()
        response = client.post(
            "/v1/transfers",
            content=b'{"amount": {"amount": "1.00",',
            headers={"Idempotency-Key": key, "content-type": "application/json"},
        )
        assert response.status_code == 400
        check_api("Problem", response.json())
        assert response.json()["type"] == "https://storo.dev/problems/malformed-json"
        assert count(admin, "idempotency_keys", "key = :k", k=key) == 0

    def test_a_body_over_64_kib_is_413_and_nothing_is_stored(
        self, client: httpx.Client, admin: Engine, dependencies: Dependencies
    ) -> None:
        key = new_key()
        body = transfer_body(metadata={"blob": "x" * (65 * 1024)})
        response = post(client, body, key)
        assert response.status_code == 413
        check_api("Problem", response.json())
        assert count(admin, "idempotency_keys", "key = :k", k=key) == 0
        assert dependencies.screenings == []

    def test_a_route_the_directory_refuses_is_422_with_its_field(
        self, client: httpx.Client, admin: Engine, dependencies: Dependencies
    ) -> None:
        key = new_key()
        response = post(client, amount("10.00", "EUR"), key)
        assert response.status_code == 422
        problem = response.json()
        assert problem["errors"][0]["field"] == "/amount/currency"
        assert problem["errors"][0]["rule"] == "no_route"
        assert count(admin, "idempotency_keys", "key = :k", k=key) == 0
        assert count(admin, "transfers", "idempotency_key = :k", k=key) == 0
