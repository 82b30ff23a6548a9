"""The HTTP API end to end: screenings, lists, evidence, rule-outs, ingest."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from storo_specs import validate_api

from tests.conftest import sample_files

RASHID = {
    "name": "Khaled Al Rasheed",
    "type": "individual",
    "country": "IQ",
    "date_of_birth": "1971-03-14",
}
CLEAR = {"name": "Thabo Mokoena", "type": "individual", "country": "ZA"}
OFFICER = {"X-Storo-Operator": "ops-1", "X-Storo-Roles": "compliance_officer"}
SECOND = {"X-Storo-Operator": "ops-2", "X-Storo-Roles": "compliance_officer"}


def screen(client: TestClient, party: dict[str, Any], ref: str | None = None) -> Any:
    request = {"party": party, "reference": ref}
    validate_api("compliance", "ScreeningRequest", request)
    response = client.post("/v1/screenings", json=request)
    assert response.status_code == 200, response.text
    validate_api("compliance", "ScreeningResult", response.json())
    return response.json()


class TestScreenings:
    def test_listed_alias_is_denied_and_explained(
        self, client: TestClient, loaded: Any
    ) -> None:
        body = screen(client, RASHID, "t-1")
        assert (body["decision"], body["reason"]) == ("deny", "match")
        best = body["candidates"][0]
        assert best["list"] == "ofac_sdn" and best["entry_id"] == "1001"
        assert best["name_kind"] == "alias"
        assert best["matched_name"] == "AL RASHEED, Khaled"
        assert any("date of birth 1971-03-14 matches" in r for r in best["reasons"])
        assert set(body["list_versions"]) == {
            "ofac_sdn",
            "un_consolidated",
            "eu_consolidated",
            "za_fic",
        }
        assert body["screened_at"].endswith("Z")

    def test_unlisted_name_is_clear(self, client: TestClient, loaded: Any) -> None:
        body = screen(client, CLEAR)
        assert body == {**body, "decision": "clear", "reason": None, "candidates": []}

    def test_same_person_on_two_lists_gives_two_candidates(
        self, client: TestClient, loaded: Any
    ) -> None:
        party = {"name": "Abdul Rahman Yasin al-Hamadi", "type": "individual"}
        lists = {c["list"] for c in screen(client, party)["candidates"]}
        assert {"un_consolidated", "za_fic"} <= lists

    def test_no_list_loaded_denies_as_stale(self, client: TestClient) -> None:
        body = screen(client, CLEAR)
        assert (body["decision"], body["reason"]) == ("deny", "list_stale")
        lists = client.get("/v1/lists").json()
        validate_api("compliance", "WatchListStatusList", lists)
        assert lists["lists"] == [] and len(lists["missing"]) == 4

    def test_list_older_than_max_age_denies_as_stale(
        self, client: TestClient, loaded: Any, engine: Engine
    ) -> None:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE compliance.list_versions SET confirmed_at = "
                    "confirmed_at - interval '37 hours' WHERE list = 'eu_consolidated'"
                )
            )
        body = screen(client, CLEAR)
        assert (body["decision"], body["reason"]) == ("deny", "list_stale")
        lists = client.get("/v1/lists").json()
        assert lists["fresh"] is False and lists["blocking"] == ["eu_consolidated"]
        eu = next(x for x in lists["lists"] if x["list"] == "eu_consolidated")
        assert eu["state"] == "stale" and eu["age_seconds"] >= 37 * 3600

    def test_invalid_party_is_a_problem(self, client: TestClient) -> None:
        response = client.post(
            "/v1/screenings", json={"party": {"name": "", "type": "robot"}}
        )
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")


class TestListsAndEvidence:
    def test_lists_show_version_age_and_freshness(
        self, client: TestClient, loaded: Any
    ) -> None:
        body = client.get("/v1/lists").json()
        validate_api("compliance", "WatchListStatusList", body)
        assert body["fresh"] is True
        un = next(x for x in body["lists"] if x["list"] == "un_consolidated")
        assert un["published_at"] == "2026-12-01" and un["fresh"] is True
        assert 0 <= un["age_seconds"] < 60 and un["max_age_seconds"] == 36 * 3600
        versions = client.get("/v1/lists/un_consolidated/versions").json()
        assert versions["versions"][0]["entry_count"] == 4

    def test_evidence_replays_a_transfer_screening(
        self, client: TestClient, loaded: Any
    ) -> None:
        screen(client, RASHID, "transfer-9")
        screen(client, CLEAR, "transfer-9")
        assert client.get("/v1/evidence/transfer-9").status_code == 401
        body = client.get("/v1/evidence/transfer-9", headers=OFFICER).json()
        first, second = body["screenings"]
        assert first["input"]["party"]["name"] == "Khaled Al Rasheed"
        assert first["decision"] == "deny" and second["decision"] == "clear"
        assert len(first["list_details"]["ofac_sdn"]["sha256"]) == 64
        stored = client.get(f"/v1/screenings/{first['screening_id']}", headers=OFFICER)
        validate_api("compliance", "ScreeningResult", stored.json())
        assert first["config"]["deny_threshold"] == 92
        assert first["candidates"][0]["fingerprint"]


class TestRuleOuts:
    def propose(self, client: TestClient, party: dict[str, Any]) -> Any:
        response = client.post(
            "/v1/rule-outs",
            headers=OFFICER,
            json={
                "party": party,
                "list": "ofac_sdn",
                "entry_id": "1001",
                "reason": "customer is a different person: passport checked",
            },
        )
        assert response.status_code == 201, response.text
        validate_api("compliance", "RuleOut", response.json())
        return response.json()

    def test_four_eyes_then_skipped_while_entry_unchanged(
        self, client: TestClient, loaded: Any, tmp_path: Any
    ) -> None:
        party = {**RASHID, "date_of_birth": None}
        rule = self.propose(client, party)
        # still pending: the candidate counts
        assert screen(client, party)["decision"] != "clear"
        same = client.post(
            f"/v1/rule-outs/{rule['rule_out_id']}/approve", headers=OFFICER
        )
        assert same.status_code == 403
        approved = client.post(
            f"/v1/rule-outs/{rule['rule_out_id']}/approve", headers=SECOND
        )
        assert approved.json()["status"] == "approved"
        body = screen(client, party)
        ruled = next(c for c in body["candidates"] if c["entry_id"] == "1001")
        assert any("ruled out as a false positive" in r for r in ruled["reasons"])
        assert body["decision"] != "deny" or body["candidates"][0]["entry_id"] != "1001"

    def test_changed_entry_brings_the_candidate_back(
        self, client: TestClient, loaded: Any, engine: Engine, tmp_path: Any
    ) -> None:
        from storo_compliance.db import make_sessions
        from storo_compliance.lists.service import ingest
        from tests.conftest import no_s3

        party = {**RASHID, "date_of_birth": None}
        rule = self.propose(client, party)
        client.post(f"/v1/rule-outs/{rule['rule_out_id']}/approve", headers=SECOND)
        files = sample_files("ofac_sdn")
        files["sdn.csv"] = files["sdn.csv"].replace(
            b"Passport A1234567", b"Passport Z9"
        )
        for name, data in files.items():
            (tmp_path / name).write_bytes(data)
        result = ingest(
            engine, make_sessions(engine), "ofac_sdn", str(tmp_path), s3=no_s3
        )
        assert result.status == "loaded"
        body = screen(client, party)
        best = body["candidates"][0]
        assert best["entry_id"] == "1001" and body["decision"] == "deny"
        assert any("no longer applies" in r for r in best["reasons"])

    def test_listing_pages_and_revoking(self, client: TestClient, loaded: Any) -> None:
        rule = self.propose(client, {**RASHID, "date_of_birth": None})
        page = client.get("/v1/rule-outs?limit=1", headers=OFFICER).json()
        validate_api("compliance", "RuleOutPage", page)
        assert [r["rule_out_id"] for r in page["items"]] == [rule["rule_out_id"]]
        assert page["next_cursor"] is None
        gone = client.delete(f"/v1/rule-outs/{rule['rule_out_id']}", headers=SECOND)
        assert gone.status_code == 204
        page = client.get("/v1/rule-outs?status=revoked", headers=OFFICER).json()
        assert page["items"][0]["status"] == "revoked"

    def test_proposing_needs_the_review_permission(
        self, client: TestClient, loaded: Any
    ) -> None:
        response = client.post(
            "/v1/rule-outs",
            headers={"X-Storo-Operator": "v", "X-Storo-Roles": "viewer"},
            json={
                "party": CLEAR,
                "list": "ofac_sdn",
                "entry_id": "1001",
                "reason": "x y",
            },
        )
        assert response.status_code == 403


class TestIngestEndpoint:
    def test_s3_ingest_runs_as_a_job(
        self, client: TestClient, aws: Any, settings: Any
    ) -> None:
        s3 = aws.client("s3")
        bucket = "ingest-endpoint"
        s3.create_bucket(
            Bucket=bucket,
            CreateBucketConfiguration={"LocationConstraint": "af-south-1"},
        )
        s3.put_object(
            Bucket=bucket, Key="za.xml", Body=sample_files("za_fic")["za_fic.xml"]
        )
        state: Any = client.app.state  # type: ignore[attr-defined]
        state.compliance.s3 = lambda: aws.client("s3")
        response = client.post(
            "/v1/lists/za_fic/ingestions",
            headers=OFFICER,
            json={"source": f"s3://{bucket}/za.xml"},
        )
        assert response.status_code == 202
        job = client.get(response.headers["Location"], headers=OFFICER).json()
        assert job["status"] == "loaded" and job["processed"] == job["total"] == 3

    def test_paths_are_refused_without_an_ingest_root(self, client: TestClient) -> None:
        response = client.post(
            "/v1/lists/za_fic/ingestions",
            headers=OFFICER,
            json={"source": "/etc/passwd"},
        )
        assert response.status_code == 422

    def test_bad_file_job_reports_line_and_reason(
        self, client: TestClient, aws: Any
    ) -> None:
        s3 = aws.client("s3")
        bucket = "ingest-bad"
        s3.create_bucket(
            Bucket=bucket,
            CreateBucketConfiguration={"LocationConstraint": "af-south-1"},
        )
        s3.put_object(Bucket=bucket, Key="un.xml", Body=b"<CONSOLIDATED_LIST>\n<oops")
        state: Any = client.app.state  # type: ignore[attr-defined]
        state.compliance.s3 = lambda: aws.client("s3")
        response = client.post(
            "/v1/lists/un_consolidated/ingestions",
            headers=OFFICER,
            json={"source": f"s3://{bucket}/un.xml"},
        )
        job = client.get(response.headers["Location"], headers=OFFICER).json()
        assert job["status"] == "failed"
        assert job["error"]["file"] == "un.xml" and job["error"]["line"] == 2
