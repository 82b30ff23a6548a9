"""GET /v1/institutions and /v1/institutions/{id} over the bundled dataset."""

from fastapi.testclient import TestClient

from conftest import PUBLISHER
from contract import assert_api


class TestList:
    def test_filters_by_country_and_rail(self, client: TestClient) -> None:
        body = client.get(
            "/v1/institutions", params={"country": "ZW", "rail": "zimswitch"}
        ).json()
        assert_api("InstitutionPage", body)
        ids = {i["institution_id"] for i in body["items"]}
        assert {"zw-cbz", "zw-stanbic", "zw-steward", "zw-ecocash"} <= ids
        assert all(
            i["country"] == "ZW" and "zimswitch" in i["rails"] for i in body["items"]
        )
        assert body["dataset_version"] == "2025.1"

    def test_filters_by_kind_and_name_fragment(self, client: TestClient) -> None:
        body = client.get("/v1/institutions", params={"kind": "mobile_money"}).json()
        assert {i["institution_id"] for i in body["items"]} == {
            "zw-ecocash",
            "zw-onemoney",
        }
        body = client.get("/v1/institutions", params={"q": "capitec"}).json()
        assert [i["bic"] for i in body["items"]] == ["CABLZAJJ"]

    def test_q_matches_the_start_of_a_bic(self, client: TestClient) -> None:
        body = client.get("/v1/institutions", params={"q": "COBZ"}).json()
        assert [i["institution_id"] for i in body["items"]] == ["zw-cbz"]

    def test_filters_by_national_code(self, client: TestClient) -> None:
        body = client.get("/v1/institutions", params={"national_code": "051001"}).json()
        assert [i["institution_id"] for i in body["items"]] == ["za-standard-bank"]

    def test_pages_follow_the_cursor_on_one_version(self, client: TestClient) -> None:
        first = client.get("/v1/institutions", params={"limit": 10}).json()
        assert len(first["items"]) == 10
        assert first["next_cursor"]
        # A newer version published between two pages does not leak into the next.
        newer = (
            b'[{"institution_id": "za-only", "name": "Only", "short_name": "O",'
            b' "kind": "bank", "country": "ZA"}]'
        )
        published = client.post(
            "/v1/datasets/institutions/versions",
            params={"version": "2026.9"},
            content=newer,
            headers={**PUBLISHER, "Content-Type": "application/json"},
        )
        assert published.status_code == 201, published.text
        seen = [i["institution_id"] for i in first["items"]]
        cursor = first["next_cursor"]
        while cursor:
            page = client.get(
                "/v1/institutions", params={"limit": 10, "cursor": cursor}
            ).json()
            assert page["dataset_version"] == "2025.1"
            seen += [i["institution_id"] for i in page["items"]]
            cursor = page["next_cursor"]
        assert len(seen) == len(set(seen)) == first["total"] == 24
        latest = client.get("/v1/institutions").json()
        assert [i["institution_id"] for i in latest["items"]] == ["za-only"]

    def test_a_forged_cursor_is_a_bad_request(self, client: TestClient) -> None:
        response = client.get("/v1/institutions", params={"cursor": "not-a-cursor"})
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("application/problem+json")


class TestGet:
    def test_by_directory_id(self, client: TestClient) -> None:
        body = client.get("/v1/institutions/za-fnb").json()
        assert_api("Institution", body)
        assert body["bic"] == "FIRNZAJJ"
        assert body["national_code"] == "250655"
        assert body["dataset_version"] == "2025.1"

    def test_by_bic_and_by_branch_bic(self, client: TestClient) -> None:
        assert (
            client.get("/v1/institutions/NMBLZWHX").json()["institution_id"] == "zw-nmb"
        )
        assert (
            client.get("/v1/institutions/NMBLZWHXBYO").json()["institution_id"]
            == "zw-nmb"
        )
        assert (
            client.get("/v1/institutions/cobzzwhaxxx").json()["institution_id"]
            == "zw-cbz"
        )

    def test_unknown_institution_is_404_problem(self, client: TestClient) -> None:
        response = client.get("/v1/institutions/zw-nowhere")
        assert response.status_code == 404
        assert response.json()["type"].endswith("/institution-not-found")

    def test_pinned_unknown_version_is_404(self, client: TestClient) -> None:
        response = client.get("/v1/institutions/za-fnb", params={"version": "1999.1"})
        assert response.status_code == 404
        assert response.json()["type"].endswith("/dataset-version-not-found")

    def test_as_of_before_any_version_is_404(self, client: TestClient) -> None:
        response = client.get(
            "/v1/institutions/za-fnb", params={"as_of": "2024-06-01T00:00:00Z"}
        )
        assert response.status_code == 404
        assert response.json()["type"].endswith("/no-dataset-in-force")

    def test_version_and_as_of_together_are_refused(self, client: TestClient) -> None:
        response = client.get(
            "/v1/institutions/za-fnb",
            params={"version": "2025.1", "as_of": "2026-01-01T00:00:00Z"},
        )
        assert response.status_code == 422
