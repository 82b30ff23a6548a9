"""The metrics dashboards and alerts rely on are exported under these names."""

from fastapi.testclient import TestClient


def test_quote_and_catalog_metrics_are_exported(client: TestClient) -> None:
    body = {
        "amount": {"amount": "100.00", "currency": "USD"},
        "corridor": {"from": "ZA", "to": "ZW"},
    }
    assert client.post("/v1/quotes", json=body).status_code == 200
    text = client.get("/metrics").text
    assert 'storo_directory_quotes_total{outcome="quoted",rail="zimswitch"}' in text
    assert 'storo_directory_catalog_reads_total{kind="version_list"}' in text
    assert "storo_http_request_duration_seconds" in text
