import asyncio
import json
import logging
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi import FastAPI, Query, Request
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from storo_platform.money import Money
from storo_platform.problems import (
    PROBLEM_MEDIA_TYPE,
    Conflict,
    FieldError,
    NotFound,
    Problem,
    ProblemMiddleware,
    Unprocessable,
    field_errors,
    install_problem_handlers,
    json_pointer,
)

LIMIT = 1024


class WireMoney(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: str
    currency: str


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: WireMoney
    reference: str = Field(min_length=1, max_length=35)

    @field_validator("amount")
    @classmethod
    def exact_money(cls, value: WireMoney) -> WireMoney:
        Money.from_wire(value.model_dump())
        return value


class TransferAlreadySettled(Conflict):
    slug = "transfer-already-settled"
    title = "The transfer is already settled"


def build_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app, max_body_bytes=LIMIT)

    @app.post("/v1/transfers")
    def submit(body: TransferIn) -> dict[str, str]:
        return {"reference": body.reference}

    @app.get("/v1/transfers")
    def search(limit: Annotated[int, Query(le=100)] = 10) -> dict[str, int]:
        return {"limit": limit}

    @app.post("/v1/raw")
    async def raw(request: Request) -> dict[str, int]:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
        return {"size": size}

    @app.post("/v1/transfers/{transfer_id}/settle")
    def settle(transfer_id: str) -> None:
        raise TransferAlreadySettled(
            f"transfer {transfer_id} is already settled", transfer_id=transfer_id
        )

    @app.get("/v1/missing")
    def missing() -> None:
        raise NotFound(
            "no such transfer",
            errors=[FieldError("/transfer_id", "unknown", "not on file")],
        )

    @app.get("/v1/crash")
    def crash() -> None:
        raise RuntimeError("password=hunter2 at db.internal:5432")

    return app


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(build_app()) as client:
        yield client


def valid_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "amount": {"amount": "125.50", "currency": "ZAR"},
        "reference": "INV-1",
    }
    body.update(changes)
    return body


def errors_of(response: Any) -> list[dict[str, str]]:
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    return list(response.json()["errors"])


class TestValidation:
    def test_valid_body_passes(self, client: TestClient) -> None:
        response = client.post("/v1/transfers", json=valid_body())
        assert response.status_code == 200

    def test_money_rule_is_named_with_its_json_pointer(
        self, client: TestClient
    ) -> None:
        body = valid_body(amount={"amount": "1.001", "currency": "ZAR"})
        response = client.post("/v1/transfers", json=body)
        assert response.status_code == 422
        [error] = errors_of(response)
        assert error["field"] == "/amount"
        assert error["rule"] == "too_many_decimals"
        assert "decimals" in error["message"]
        assert not error["message"].startswith("Value error")

    def test_unknown_field_is_named(self, client: TestClient) -> None:
        response = client.post("/v1/transfers", json=valid_body(fx_rate="1.2"))
        assert response.status_code == 422
        assert errors_of(response) == [
            {
                "field": "/fx_rate",
                "rule": "unknown_field",
                "message": "Extra inputs are not permitted",
            }
        ]

    def test_nested_unknown_field_has_a_deep_pointer(self, client: TestClient) -> None:
        body = valid_body(amount={"amount": "1", "currency": "ZAR", "x/y": 1})
        [error] = errors_of(client.post("/v1/transfers", json=body))
        assert error == {**error, "field": "/amount/x~1y", "rule": "unknown_field"}

    def test_missing_and_too_long_fields_each_get_their_rule(
        self, client: TestClient
    ) -> None:
        body = {"reference": "R" * 36}
        response = client.post("/v1/transfers", json=body)
        assert response.status_code == 422
        found = {(e["field"], e["rule"]) for e in errors_of(response)}
        assert found == {("/amount", "required"), ("/reference", "max_length")}

    def test_wrong_type_is_named(self, client: TestClient) -> None:
        body = valid_body(amount={"amount": 125.5, "currency": "ZAR"})
        [error] = errors_of(client.post("/v1/transfers", json=body))
        assert (error["field"], error["rule"]) == ("/amount/amount", "type")

    def test_query_parameter_is_named_by_location(self, client: TestClient) -> None:
        response = client.get("/v1/transfers", params={"limit": "many"})
        assert response.status_code == 422
        assert [(e["field"], e["rule"]) for e in errors_of(response)] == [
            ("query:limit", "type")
        ]
        response = client.get("/v1/transfers", params={"limit": "101"})
        assert [e["rule"] for e in errors_of(response)] == ["maximum"]

    def test_problem_body_has_every_member(self, client: TestClient) -> None:
        response = client.post("/v1/transfers", json={})
        body = response.json()
        assert body["type"] == "https://storo.dev/problems/unprocessable"
        assert body["status"] == 422
        assert body["instance"] == "/v1/transfers"
        assert body["title"]
        assert body["detail"]


class TestMalformedJson:
    @pytest.mark.parametrize("raw", [b'{"amount": ', b"{'a': 1}", b"[1,]", b"nul"])
    def test_malformed_json_is_400(self, client: TestClient, raw: bytes) -> None:
        response = client.post(
            "/v1/transfers",
            content=raw,
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 400
        body = response.json()
        assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
        assert body["type"] == "https://storo.dev/problems/malformed-json"
        assert body["status"] == 400
        assert "JSON" in body["detail"]


class TestBodyLimit:
    def test_declared_length_over_the_limit_is_413(self, client: TestClient) -> None:
        response = client.post(
            "/v1/transfers",
            content=b" " * (LIMIT + 1),
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 413
        body = response.json()
        assert body["type"] == "https://storo.dev/problems/payload-too-large"
        assert body["max_body_bytes"] == LIMIT

    def test_body_at_the_limit_is_served(self, client: TestClient) -> None:
        response = client.post("/v1/raw", content=b"x" * LIMIT)
        assert response.json() == {"size": LIMIT}

    def test_streamed_body_without_length_over_the_limit_is_413(
        self, client: TestClient
    ) -> None:
        def chunks() -> Iterator[bytes]:
            for _ in range(5):
                yield b"x" * 300

        response = client.post("/v1/raw", content=chunks())
        assert "content-length" not in response.request.headers
        assert response.status_code == 413

    def test_streamed_body_within_the_limit_reaches_the_handler(
        self, client: TestClient
    ) -> None:
        def chunks() -> Iterator[bytes]:
            yield b"a" * 500
            yield b"b" * 500

        assert client.post("/v1/raw", content=chunks()).json() == {"size": 1000}

    def test_invalid_content_length_is_400(self) -> None:
        messages = _drive(
            ProblemMiddleware(_echo_app, max_body_bytes=LIMIT),
            headers=[(b"content-length", b"ten")],
            chunks=[b"x"],
        )
        assert messages[0]["status"] == 400

    def test_chunked_asgi_stream_is_cut_at_the_limit(self) -> None:
        # a raw ASGI stream with no Content-Length header, as a chunked upload
        # arrives from uvicorn, is counted chunk by chunk
        messages = _drive(
            ProblemMiddleware(_echo_app, max_body_bytes=LIMIT),
            headers=[],
            chunks=[b"x" * 600, b"x" * 600],
        )
        assert messages[0]["status"] == 413
        body = json.loads(messages[1]["body"])
        assert body["status"] == 413
        assert body["instance"] == "/upload"

    def test_chunked_asgi_stream_within_the_limit_is_replayed_whole(self) -> None:
        messages = _drive(
            ProblemMiddleware(_echo_app, max_body_bytes=LIMIT),
            headers=[],
            chunks=[b"x" * 600, b"y" * 400],
        )
        assert messages[0]["status"] == 200
        assert messages[1]["body"] == b"x" * 600 + b"y" * 400


async def _echo_app(scope: Any, receive: Any, send: Any) -> None:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def _drive(
    app: ProblemMiddleware, headers: list[tuple[bytes, bytes]], chunks: list[bytes]
) -> list[dict[str, Any]]:
    incoming = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if incoming:
            return incoming.pop(0)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/upload", "headers": headers}
    asyncio.run(app(scope, receive, send))
    return sent


class TestDomainProblems:
    def test_domain_problem_renders_with_its_extensions(
        self, client: TestClient
    ) -> None:
        response = client.post("/v1/transfers/t-1/settle")
        assert response.status_code == 409
        assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
        assert response.json() == {
            "type": "https://storo.dev/problems/transfer-already-settled",
            "title": "The transfer is already settled",
            "status": 409,
            "detail": "transfer t-1 is already settled",
            "instance": "/v1/transfers/t-1/settle",
            "errors": [],
            "transfer_id": "t-1",
        }

    def test_field_errors_of_a_problem_are_rendered(self, client: TestClient) -> None:
        response = client.get("/v1/missing")
        assert response.status_code == 404
        assert response.json()["errors"] == [
            {"field": "/transfer_id", "rule": "unknown", "message": "not on file"}
        ]

    def test_extension_cannot_replace_a_standard_member(self) -> None:
        with pytest.raises(ValueError, match="status"):
            Unprocessable("x", status=200)

    def test_base_problem_is_a_500(self) -> None:
        problem = Problem("boom")
        assert problem.status == 500
        assert problem.to_body()["type"] == "https://storo.dev/problems/internal-error"


class TestHttpErrors:
    def test_unknown_route_is_a_problem(self, client: TestClient) -> None:
        response = client.get("/v1/nothing-here")
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
        assert response.json()["type"] == "https://storo.dev/problems/not-found"

    def test_wrong_method_keeps_its_allow_header(self, client: TestClient) -> None:
        response = client.delete("/v1/transfers")
        assert response.status_code == 405
        assert response.json()["type"] == (
            "https://storo.dev/problems/method-not-allowed"
        )
        # Starlette names the methods of the first route matching the path
        assert response.headers["allow"] in {"GET", "POST"}


class TestUnexpectedErrors:
    def test_crash_is_a_bare_500(
        self, client: TestClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.ERROR, logger="storo_platform.problems"):
            response = client.get("/v1/crash")
        assert response.status_code == 500
        assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
        body = response.json()
        assert body["type"] == "https://storo.dev/problems/internal-error"
        assert "hunter2" not in response.text
        assert "RuntimeError" not in response.text
        [record] = [r for r in caplog.records if r.msg == "http.unhandled_exception"]
        assert record.exc_info is not None


class TestJsonPointer:
    @pytest.mark.parametrize(
        ("parts", "pointer"),
        [
            ((), ""),
            (("amount", "amount"), "/amount/amount"),
            (("lines", 0, "account"), "/lines/0/account"),
            (("a/b", "m~n"), "/a~1b/m~0n"),
        ],
    )
    def test_pointer_follows_rfc_6901(
        self, parts: tuple[str | int, ...], pointer: str
    ) -> None:
        assert json_pointer(parts) == pointer


class Quote(BaseModel):
    rail: str

    @field_validator("rail")
    @classmethod
    def rail_carries_usdc(cls, value: str) -> str:
        if value != "usdc":
            raise PydanticCustomError(
                "rail_does_not_carry_currency",
                "{rail} does not carry USDC",
                {"rail": value},
            )
        return value


class TestFieldErrors:
    def test_custom_error_type_is_the_rule(self) -> None:
        with pytest.raises(ValidationError) as caught:
            Quote(rail="oppwa")
        [error] = field_errors(caught.value.errors())
        assert error == FieldError(
            "/rail", "rail_does_not_carry_currency", "oppwa does not carry USDC"
        )

    def test_errors_of_a_nested_list_point_into_it(self) -> None:
        class Line(BaseModel):
            amount: WireMoney

        class Entry(BaseModel):
            lines: list[Line]

        with pytest.raises(ValidationError) as caught:
            Entry.model_validate({"lines": [{"amount": {"amount": "1"}}]})
        [error] = field_errors(caught.value.errors())
        assert (error.field, error.rule) == ("/lines/0/amount/currency", "required")
