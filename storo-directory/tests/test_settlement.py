"""Settlement windows and dates around real ZA and ZW holidays, 2025-2027.

Bundled windows: oppwa 10:30 (same day) and 15:00 (next business day) on the ZA
calendar; zimswitch 14:00 (next business day) on the ZW calendar; usdc 23:59
every calendar day. Times below are South African Standard Time (UTC+2).
"""

import pytest
from fastapi.testclient import TestClient

from conftest import PUBLISHER
from contract import assert_api

CASES = [
    # rail, at (SAST), window, business date, expected settlement date, why
    (
        "oppwa",
        "2026-04-02T16:00:00+02:00",
        "oppwa-morning",
        "2026-04-07",
        "2026-04-07",
        "after cut-off before Good Friday, a weekend and Family Day",
    ),
    (
        "oppwa",
        "2026-04-02T11:00:00+02:00",
        "oppwa-afternoon",
        "2026-04-02",
        "2026-04-07",
        "afternoon run settles over the Easter weekend",
    ),
    (
        "oppwa",
        "2025-12-24T12:00:00+02:00",
        "oppwa-afternoon",
        "2025-12-24",
        "2025-12-29",
        "Christmas Day and the Day of Goodwill, then a weekend",
    ),
    (
        "oppwa",
        "2027-12-24T16:00:00+02:00",
        "oppwa-morning",
        "2027-12-28",
        "2027-12-28",
        "Day of Goodwill on a Sunday is observed on Monday 27th",
    ),
    (
        "oppwa",
        "2026-03-03T10:30:00+02:00",
        "oppwa-afternoon",
        "2026-03-03",
        "2026-03-04",
        "exactly at the 10:30 cut-off is too late for the morning run",
    ),
    (
        "oppwa",
        "2026-03-03T10:29:59+02:00",
        "oppwa-morning",
        "2026-03-03",
        "2026-03-03",
        "a second before the cut-off makes the morning run",
    ),
    (
        "oppwa",
        "2026-08-07T15:30:00+02:00",
        "oppwa-morning",
        "2026-08-11",
        "2026-08-11",
        "Women's Day on a Sunday is observed on Monday 10 August",
    ),
    (
        "oppwa",
        "2026-03-21T09:00:00+02:00",
        "oppwa-morning",
        "2026-03-23",
        "2026-03-23",
        "Human Rights Day on a Saturday moves nothing but the weekend",
    ),
    (
        "oppwa",
        "2026-04-02T21:30:00Z",
        "oppwa-morning",
        "2026-04-07",
        "2026-04-07",
        "23:30 SAST given in UTC is still Thursday 2 April in business time",
    ),
    (
        "zimswitch",
        "2025-08-08T13:00:00+02:00",
        "zimswitch-daily",
        "2025-08-08",
        "2025-08-13",
        "Heroes' Day and Defence Forces Day follow the weekend",
    ),
    (
        "zimswitch",
        "2026-12-21T15:00:00+02:00",
        "zimswitch-daily",
        "2026-12-23",
        "2026-12-24",
        "Unity Day (22 December) is no business day in Zimbabwe",
    ),
    (
        "zimswitch",
        "2027-02-19T14:30:00+02:00",
        "zimswitch-daily",
        "2027-02-23",
        "2027-02-24",
        "Youth Day on a Sunday is observed on Monday 22 February",
    ),
    (
        "zimswitch",
        "2027-04-16T15:00:00+02:00",
        "zimswitch-daily",
        "2027-04-20",
        "2027-04-21",
        "Independence Day on a Sunday is observed on Monday 19 April",
    ),
    (
        "zimswitch",
        "2026-12-16T10:00:00+02:00",
        "zimswitch-daily",
        "2026-12-16",
        "2026-12-17",
        "the ZA Day of Reconciliation does not close Zimbabwe",
    ),
    (
        "usdc",
        "2026-12-05T12:00:00+02:00",
        "usdc-onchain",
        "2026-12-05",
        "2026-12-05",
        "on-chain USDC settles on a Saturday",
    ),
    (
        "usdc",
        "2026-12-25T23:59:30+02:00",
        "usdc-onchain",
        "2026-12-26",
        "2026-12-26",
        "past 23:59 on Christmas Day counts for Boxing Day",
    ),
]


@pytest.mark.parametrize(
    ("rail", "at", "window", "business_date", "expected", "why"),
    CASES,
    ids=[case[-1] for case in CASES],
)
def test_settlement_date(
    client: TestClient,
    rail: str,
    at: str,
    window: str,
    business_date: str,
    expected: str,
    why: str,
) -> None:
    response = client.get(f"/v1/settlement-windows/{rail}", params={"at": at})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (
        body["window"],
        body["business_date"],
        body["expected_settlement_date"],
    ) == (
        window,
        business_date,
        expected,
    ), why


def test_cutoff_at_is_the_business_dates_cutoff_in_utc(client: TestClient) -> None:
    body = client.get(
        "/v1/settlement-windows/oppwa", params={"at": "2026-04-02T16:00:00+02:00"}
    ).json()
    assert_api("SettlementWindow", body)
    assert body["cutoff_at"] == "2026-04-07T08:30:00Z"
    assert body["timezone"] == "Africa/Johannesburg"
    assert body["calendar_countries"] == ["ZA"]
    assert body["dataset_version"] == "2025.1"


def test_list_windows_of_a_rail(client: TestClient) -> None:
    body = client.get("/v1/settlement-windows", params={"rail": "oppwa"}).json()
    assert_api("SettlementWindowList", body)
    assert [(w["window"], w["cutoff"]) for w in body["items"]] == [
        ("oppwa-morning", "10:30"),
        ("oppwa-afternoon", "15:00"),
    ]


def test_unknown_rail_is_refused(client: TestClient) -> None:
    assert client.get("/v1/settlement-windows/swift").status_code == 422


def test_naive_at_is_refused(client: TestClient) -> None:
    response = client.get(
        "/v1/settlement-windows/oppwa", params={"at": "2026-04-02T16:00:00"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["rule"] == "naive_datetime"


def test_a_later_version_applies_from_its_effective_time(client: TestClient) -> None:
    later = (
        b"rail,window,cutoff,settlement_lag_days,calendar_countries\n"
        b"oppwa,oppwa-single,12:00,2,ZA\n"
    )
    published = client.post(
        "/v1/datasets/settlement_windows/versions",
        params={"version": "2030.1", "effective_from": "2030-01-01T00:00:00+02:00"},
        content=later,
        headers={**PUBLISHER, "Content-Type": "text/csv"},
    )
    assert published.status_code == 201, published.text
    before = client.get(
        "/v1/settlement-windows/oppwa", params={"at": "2029-12-31T09:00:00+02:00"}
    ).json()
    after = client.get(
        "/v1/settlement-windows/oppwa", params={"at": "2030-01-02T09:00:00+02:00"}
    ).json()
    assert (before["window"], before["dataset_version"]) == ("oppwa-morning", "2025.1")
    assert (after["window"], after["dataset_version"]) == ("oppwa-single", "2030.1")
    assert after["expected_settlement_date"] == "2030-01-04"  # Wed + 2 business days
    pinned = client.get(
        "/v1/settlement-windows/oppwa",
        params={"at": "2030-01-02T09:00:00+02:00", "version": "2025.1"},
    ).json()
    assert pinned["window"] == "oppwa-morning"
