"""Publishing versions over HTTP: whole-import refusal, immutability, the event."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from conftest import PUBLISHER
from contract import assert_api, assert_event

BINS = (
    b"low,high,scheme,issuer,issuer_institution,country,card_type\n"
    b"400000,499999,visa,,,,unknown\n"
    b"41000000,41000099,visa,Capitec Bank Limited,za-capitec,ZA,debit\n"
)


def publish(
    client: TestClient,
    dataset: str,
    body: bytes,
    *,
    content_type: str = "text/csv",
    headers: dict[str, str] | None = None,
    **params: str,
) -> Any:
    return client.post(
        f"/v1/datasets/{dataset}/versions",
        params=params,
        content=body,
        headers={
            **(PUBLISHER if headers is None else headers),
            "Content-Type": content_type,
        },
    )


def outbox(connection: Connection) -> list[dict[str, Any]]:
    rows = connection.execute(
        text("SELECT envelope FROM directory.outbox ORDER BY id")
    ).scalars()
    return list(rows)


def versions(connection: Connection, dataset: str) -> list[str]:
    return list(
        connection.execute(
            text(
                "SELECT version FROM directory.dataset_versions WHERE dataset = :d "
                "ORDER BY id"
            ),
            {"d": dataset},
        ).scalars()
    )


class TestPublish:
    def test_csv_import_publishes_a_version_and_its_event(
        self, client: TestClient, connection: Connection
    ) -> None:
        before = len(outbox(connection))
        response = publish(client, "bins", BINS, version="2026.12.1")
        assert response.status_code == 201, response.text
        body = response.json()
        assert (body["record_count"], body["created"]) == (2, True)
        events = outbox(connection)[before:]
        assert len(events) == 1
        envelope = events[0]
        assert_event(envelope)
        assert envelope["type"] == "directory.dataset.published"
        assert envelope["subject"] == "bins"
        assert envelope["data"] == {
            "dataset": "bins",
            "version": "2026.12.1",
            "effective_from": body["effective_from"],
            "published_at": body["published_at"],
            "record_count": 2,
            "sha256": body["sha256"],
        }
        assert client.get("/v1/bins/41000001").json()["dataset_version"] == "2026.12.1"

    def test_json_document_carries_its_version(
        self, client: TestClient, connection: Connection
    ) -> None:
        document = {
            "version": "2026.12-json",
            "effective_from": "2031-01-01T00:00:00Z",
            "records": [
                {
                    "rail": "usdc",
                    "window": "usdc-onchain",
                    "cutoff": "23:59",
                    "settlement_lag_days": 0,
                    "calendar_countries": [],
                }
            ],
        }
        response = publish(
            client,
            "settlement_windows",
            json.dumps(document).encode(),
            content_type="application/json",
        )
        assert response.status_code == 201, response.text
        assert response.json()["effective_from"] == "2031-01-01T00:00:00Z"
        assert "2026.12-json" in versions(connection, "settlement_windows")

    def test_same_records_again_change_nothing(
        self, client: TestClient, connection: Connection
    ) -> None:
        assert publish(client, "bins", BINS, version="2026.12.2").status_code == 201
        before = len(outbox(connection))
        again = publish(client, "bins", BINS, version="2026.12.2")
        assert again.status_code == 200
        assert again.json()["created"] is False
        assert len(outbox(connection)) == before

    def test_other_records_under_a_published_version_conflict(
        self, client: TestClient
    ) -> None:
        assert publish(client, "bins", BINS, version="2026.12.3").status_code == 201
        other = BINS.replace(b"debit", b"credit")
        response = publish(client, "bins", other, version="2026.12.3")
        assert response.status_code == 409
        assert response.json()["type"].endswith("/dataset-version-exists")

    def test_effective_from_before_the_last_publication_is_refused(
        self, client: TestClient
    ) -> None:
        response = publish(
            client,
            "bins",
            BINS,
            version="2026.12.4",
            effective_from="2025-06-01T00:00:00Z",
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["rule"] == "effective_in_the_past"


class TestRefusal:
    BAD = (
        b"low,high,scheme,issuer,issuer_institution,country,card_type\n"
        b"400000,499999,visa,,,,unknown\n"
        b"450000,460000,visa,,,,unknown\n"
        b"510000,559999,mastercard,,,,unknown\n"
        b"499999,400000,visa,,,,unknown\n"
    )

    def test_nothing_of_a_refused_import_is_published(
        self, client: TestClient, connection: Connection
    ) -> None:
        events, known = len(outbox(connection)), versions(connection, "bins")
        response = publish(client, "bins", self.BAD, version="2026.12.9")
        assert response.status_code == 422
        problem = response.json()
        assert_api("Problem", problem)
        assert [(e["field"], e["rule"]) for e in problem["errors"]] == [
            ("/records/1/low", "overlapping_range"),
            ("/records/3/high", "range_reversed"),
        ]
        assert problem["errors"][0]["message"].startswith("row 2:")
        assert versions(connection, "bins") == known
        assert len(outbox(connection)) == events

    @pytest.mark.parametrize(
        ("dataset", "body", "rule"),
        [
            (
                "fees",
                b"rail,from,to,currency,fixed,percentage,minimum\n"
                b"oppwa,ZA,ZA,ZAR,-2.50,0.01,3.00\n",
                "negative_fee",
            ),
            (
                "fees",
                b"rail,from,to,currency,fixed,percentage,minimum,maximum\n"
                b"oppwa,ZA,ZA,ZAR,2.50,0.01,30.00,3.00\n",
                "minimum_above_maximum",
            ),
            (
                "settlement_windows",
                b"rail,window,cutoff,settlement_lag_days\noppwa,late,25:00,1\n",
                "impossible_time",
            ),
            (
                "settlement_windows",
                b"rail,window,cutoff,settlement_lag_days\nswift,w1,10:00,1\n",
                "unknown_rail",
            ),
            (
                "institutions",
                b"institution_id,name,short_name,kind,country,bic\n"
                b"za-a,A,A,bank,ZA,ABSAZAJJ\n"
                b"za-b,B,B,bank,ZA,ABSAZAJJ\n",
                "duplicate_code",
            ),
        ],
    )
    def test_each_rule_refuses_over_http(
        self, client: TestClient, dataset: str, body: bytes, rule: str
    ) -> None:
        response = publish(client, dataset, body, version="2026.12.9")
        assert response.status_code == 422
        assert [e["rule"] for e in response.json()["errors"]] == [rule]

    def test_unknown_dataset_is_404(self, client: TestClient) -> None:
        assert publish(client, "swift", BINS, version="1").status_code == 404

    def test_publishing_needs_an_operator(self, client: TestClient) -> None:
        assert publish(client, "bins", BINS, version="x", headers={}).status_code == 401
        viewer = {"X-Storo-Operator": "ops-2", "X-Storo-Roles": "viewer"}
        assert (
            publish(client, "bins", BINS, version="x", headers=viewer).status_code
            == 403
        )


class TestRead:
    def test_list_marks_the_versions_in_force(self, client: TestClient) -> None:
        assert (
            publish(
                client,
                "bins",
                BINS,
                version="2040.1",
                effective_from="2040-01-01T00:00:00Z",
            ).status_code
            == 201
        )
        body = client.get("/v1/datasets", params={"dataset": "bins"}).json()
        assert_api("DatasetVersionList", body)
        assert [(v["version"], v["current"]) for v in body["items"]] == [
            ("2025.1", True),
            ("2040.1", False),
        ]
        later = client.get(
            "/v1/datasets", params={"dataset": "bins", "as_of": "2040-06-01T00:00:00Z"}
        ).json()
        assert [v["current"] for v in later["items"]] == [False, True]

    def test_a_version_is_readable_whole(self, client: TestClient) -> None:
        body = client.get("/v1/datasets/fees/versions/2025.1").json()
        assert body["record_count"] == len(body["records"]) == 9


def test_the_database_refuses_to_change_a_version(connection: Connection) -> None:
    with pytest.raises(DBAPIError, match="immutable"), connection.begin_nested():
        connection.execute(text("UPDATE directory.dataset_versions SET version = 'x'"))
    with pytest.raises(DBAPIError, match="immutable"), connection.begin_nested():
        connection.execute(text("DELETE FROM directory.dataset_versions"))
    with pytest.raises(DBAPIError, match="immutable"), connection.begin_nested():
        connection.execute(text("TRUNCATE directory.dataset_versions"))


def test_an_import_above_the_size_limit_is_refused(client: TestClient) -> None:
    too_big = b"low,high,scheme\n" + b"400000,499999,visa\n" * 120_000  # > 2 MiB
    response = publish(client, "bins", too_big, version="2026.12.big")
    assert response.status_code == 413
