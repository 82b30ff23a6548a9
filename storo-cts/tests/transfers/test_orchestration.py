"""Screening and routing outcomes: rejected, held, unavailable dependencies."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.engine import Engine

from tests.conftest import new_key, party, transfer_body
from tests.dependencies import Dependencies
from tests.support import changes, check_api, count, outbox, types


def create(client: httpx.Client, **overrides: object) -> dict[str, object]:
    response = client.post(
        "/v1/transfers",
        json=transfer_body(**overrides),
        headers={"Idempotency-Key": new_key()},
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    check_api("Transfer", body)
    return body


class TestScreening:
    @pytest.mark.parametrize(
        ("role", "name", "reason_code"),
        [
            ("debtor", "Ivan Deny", "screening_hit"),
            ("creditor", "Olga Deny", "screening_hit"),
            ("creditor", "Stale Lists Ltd", "list_stale"),
        ],
    )
    def test_a_denied_party_rejects_the_transfer_with_the_reason(
        self,
        client: httpx.Client,
        admin: Engine,
        dependencies: Dependencies,
        role: str,
        name: str,
        reason_code: str,
    ) -> None:
        body = create(client, **{role: party(name)})

        assert body["status"] == "rejected"
        assert body["reason_code"] == reason_code
        assert body["stage"] == "screening"
        assert (body["fee"], body["quote_id"]) == (None, None)
        assert count(admin, "quotes", "transfer_id = :t", t=body["transfer_id"]) == 0
        envelopes = outbox(admin, str(body["transfer_id"]))
        assert types(envelopes)[-1] == "transfers.rejected"
        assert "transfers.submitted.oppwa" not in types(envelopes)
        assert changes(envelopes) == [(None, "received"), ("received", "rejected")]
        rejected = envelopes[-1]["data"]
        assert (rejected["stage"], rejected["reason_code"]) == (
            "screening",
            reason_code,
        )

    def test_a_party_for_review_holds_the_transfer(
        self, client: httpx.Client, admin: Engine, dependencies: Dependencies
    ) -> None:
        body = create(client, creditor=party("Petra Review", country="ZW"))

        assert body["status"] == "held"
        # Kept for the release after review.
        assert count(admin, "quotes", "transfer_id = :t", t=body["transfer_id"]) == 1
        envelopes = outbox(admin, str(body["transfer_id"]))
        assert changes(envelopes) == [(None, "received"), ("received", "held")]
        assert types(envelopes) == ["transfers.status.changed"] * 2

    def test_deny_wins_over_review(
        self, client: httpx.Client, dependencies: Dependencies
    ) -> None:
        body = create(client, debtor=party("Ann Review"), creditor=party("Bob Deny"))
        assert body["status"] == "rejected"

    @pytest.mark.parametrize("mode", ["slow", "error", "garbage"])
    def test_no_answer_from_compliance_rejects_as_unavailable(
        self,
        client: httpx.Client,
        admin: Engine,
        dependencies: Dependencies,
        mode: str,
    ) -> None:
        dependencies.behaviour.compliance = mode
        body = create(client)

        assert body["status"] == "rejected"
        assert body["reason_code"] == "screening_unavailable"
        envelopes = outbox(admin, str(body["transfer_id"]))
        assert types(envelopes)[-1] == "transfers.rejected"


class TestRouting:
    @pytest.mark.parametrize("mode", ["slow", "error"])
    def test_no_answer_from_directory_rejects_as_routing_unavailable(
        self,
        client: httpx.Client,
        admin: Engine,
        dependencies: Dependencies,
        mode: str,
    ) -> None:
        dependencies.behaviour.directory = mode
        body = create(client)

        assert body["status"] == "rejected"
        assert body["reason_code"] == "routing_unavailable"
        assert body["stage"] == "routing"
        assert body["quote_id"] is None
        envelopes = outbox(admin, str(body["transfer_id"]))
        assert changes(envelopes) == [
            (None, "received"),
            ("received", "screened"),
            ("screened", "rejected"),
        ]
        assert count(admin, "quotes", "transfer_id = :t", t=body["transfer_id"]) == 0

    def test_screening_decides_before_routing(
        self, client: httpx.Client, dependencies: Dependencies
    ) -> None:
        dependencies.behaviour.directory = "error"
        body = create(client, debtor=party("Ivan Deny"))
        assert body["reason_code"] == "screening_hit"
