from fastapi.testclient import TestClient
from storo_platform.settings import ServiceSettings

from storo_otel import create_app


def test_health_routes_answer() -> None:
    app = create_app(service="storo-smoke", version="1.0.0", settings=ServiceSettings())
    with TestClient(app) as client:
        assert client.get("/live").json() == {"status": "ok"}
        assert client.get("/ready").status_code == 200
        assert client.get("/version").json()["service"] == "storo-smoke"
        assert "storo_http_request_duration_seconds" in client.get("/metrics").text
