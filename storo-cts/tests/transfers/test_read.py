"""GET one transfer, the list with cursor pagination and filters, the timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.conftest import new_key, party, transfer_body
from tests.dependencies import Dependencies
from tests.support import check_api


def create(client: httpx.Client, **overrides: object) -> str:
    response = client.post(
        "/v1/transfers",
        json=transfer_body(**overrides),
        headers={"Idempotency-Key": new_key()},
    )
    assert response.status_code == 201
    transfer_id: str = response.json()["transfer_id"]
    return transfer_id


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class TestGetOne:
    def test_an_unknown_id_is_404(self, client: httpx.Client) -> None:
        response = client.get("/v1/transfers/5a0e3c8e-8d0b-4e7a-9d8e-6f1f1d2a3b4c")
        assert response.status_code == 404
        check_api("Problem", response.json())

    def test_an_id_that_is_no_uuid_names_no_transfer(
        self, client: httpx.Client
    ) -> None:
        assert client.get("/v1/transfers/not-a-uuid").status_code == 404
        assert client.get("/v1/transfers/not-a-uuid/events").status_code == 404


class TestList:
    def test_pages_walk_every_transfer_once_newest_first(
        self, client: httpx.Client, dependencies: Dependencies
    ) -> None:
        since = stamp(datetime.now(UTC))
        created = [create(client) for _ in range(5)]

        seen: list[str] = []
        cursor: str | None = None
        pages = 0
        while True:
            params: dict[str, str | int] = {"limit": 2, "created_gte": since}
            if cursor:
                params["cursor"] = cursor
            page = client.get("/v1/transfers", params=params)
            assert page.status_code == 200
            body = page.json()
            check_api("TransferPage", body)
            seen += [t["transfer_id"] for t in body["items"]]
            pages += 1
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert seen == list(reversed(created))
        assert pages == 3

    def test_filters_on_status_rail_and_creation_time(
        self, client: httpx.Client, dependencies: Dependencies
    ) -> None:
        since = datetime.now(UTC)
        held = create(client, creditor=party("Petra Review", country="ZW"))
        usdc = create(client, amount={"amount": "5.000001", "currency": "USDC"})
        window = {"created_gte": stamp(since)}

        by_status = client.get("/v1/transfers", params={**window, "status": "held"})
        assert [t["transfer_id"] for t in by_status.json()["items"]] == [held]
        by_rail = client.get("/v1/transfers", params={**window, "rail": "usdc"})
        assert [t["transfer_id"] for t in by_rail.json()["items"]] == [usdc]
        before = client.get(
            "/v1/transfers",
            params={
                "created_lt": stamp(since),
                "created_gte": stamp(since - timedelta(1)),
            },
        )
        assert held not in [t["transfer_id"] for t in before.json()["items"]]

    @pytest.mark.parametrize(
        "params",
        [
            {"limit": 0},
            {"limit": 201},
            {"limit": "many"},
            {"status": "lost"},
            {"rail": "swift"},
            {"cursor": "not-a-cursor"},
            {"created_gte": "yesterday"},
            {"created_lt": "2026-12-03T10:00:00"},
        ],
    )
    def test_a_bad_parameter_is_400(
        self, client: httpx.Client, params: dict[str, object]
    ) -> None:
        response = client.get("/v1/transfers", params=params)
        assert response.status_code == 400
        problem = response.json()
        check_api("Problem", problem)
        assert problem["errors"][0]["field"].startswith("query:")


class TestTimeline:
    def test_the_timeline_lists_every_emitted_event_in_order(
        self, client: httpx.Client, dependencies: Dependencies
    ) -> None:
        transfer_id = create(client)
        response = client.get(f"/v1/transfers/{transfer_id}/events")
        assert response.status_code == 200
        body = response.json()
        check_api("TransferTimeline", body)
        assert [(e["type"], e["status"]) for e in body["events"]] == [
            ("transfers.status.changed", "received"),
            ("transfers.status.changed", "screened"),
            ("transfers.status.changed", "submitted"),
            ("transfers.submitted.oppwa", "submitted"),
        ]
        assert {e["direction"] for e in body["events"]} == {"emitted"}
        assert body["events"][0]["data"]["cause"]["reason"] == "intake"

    def test_an_unknown_transfer_has_no_timeline(self, client: httpx.Client) -> None:
        response = client.get(
            "/v1/transfers/5a0e3c8e-8d0b-4e7a-9d8e-6f1f1d2a3b4c/events"
        )
        assert response.status_code == 404
