from fastapi.testclient import TestClient


def test_samples_are_served(client: TestClient) -> None:
    response = client.get("/v1/datasets")
    assert response.status_code == 200, response.text
    assert {i["dataset"] for i in response.json()["items"]} == {
        "institutions",
        "bins",
        "fees",
        "settlement_windows",
    }
