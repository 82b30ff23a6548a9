"""create_app's trace export, end to end, in a fresh process.

A process has one tracer provider, so the service must be started in a process of
its own to prove what it exports (and what it does not) from its settings alone.
"""

import os
import subprocess
import sys
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
)

SERVICE = """
from fastapi.testclient import TestClient
from opentelemetry import trace
from storo_platform.settings import ServiceSettings, SettingsConfigDict
from storo_otel import create_app

class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STORO_PROBE_")

app = create_app(service="storo-probe", version="2.0.0", settings=Settings())

@app.get("/v1/things/{thing_id}")
def thing(thing_id: str) -> dict[str, str]:
    return {"thing_id": thing_id}

TestClient(app).get("/v1/things/42")
TestClient(app).get("/live")
assert trace.get_tracer_provider().force_flush(10_000)
"""


def run_service(env: dict[str, str]) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SERVICE],
        env={**clean, **env},
        check=True,
        timeout=60,
        capture_output=True,
    )


class TestServiceExport:
    def test_configured_endpoint_receives_the_request_spans(
        self, collector: Any
    ) -> None:
        run_service({"STORO_PROBE_OTLP_ENDPOINT": collector.url})
        names: list[str] = []
        services: set[str] = set()
        for path, _type, body in collector.requests:
            assert path == "/v1/traces"
            request = ExportTraceServiceRequest()
            request.ParseFromString(body)
            for resource_spans in request.resource_spans:
                for a in resource_spans.resource.attributes:
                    if a.key == "service.name":
                        services.add(a.value.string_value)
                for scope in resource_spans.scope_spans:
                    names.extend(s.name for s in scope.spans)
        assert services == {"storo-probe"}
        assert "GET /v1/things/{thing_id}" in names
        assert not any("/live" in name for name in names)

    def test_no_endpoint_exports_nothing(self, collector: Any) -> None:
        run_service({"OTEL_EXPORTER_OTLP_ENDPOINT": collector.url})
        assert collector.requests == []
