from __future__ import annotations

import threading
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from storo_outbox import (
    IdempotencyKeyReused,
    IdempotencyKeys,
    Replay,
    request_fingerprint,
)
from support import SCHEMA, scalar, wait_for

KEYS = IdempotencyKeys(SCHEMA)
BODY = b'{"amount": {"amount": "125.50", "currency": "ZAR"}}'


class TestRequestFingerprint:
    def test_the_same_document_in_other_formatting_matches(self) -> None:
        other = b'{ "amount":{"currency":"ZAR","amount":"125.50"} }'
        assert request_fingerprint("POST", "/v1/transfers", BODY) == (
            request_fingerprint("post", "/v1/transfers", other)
        )

    @pytest.mark.parametrize(
        ("method", "path", "body"),
        [
            ("POST", "/v1/transfers", b'{"amount": {"amount": "125.51"}}'),
            ("PUT", "/v1/transfers", BODY),
            ("POST", "/v1/quotes", BODY),
        ],
    )
    def test_another_request_differs(self, method: str, path: str, body: bytes) -> None:
        assert request_fingerprint(method, path, body) != (
            request_fingerprint("POST", "/v1/transfers", BODY)
        )

    def test_a_body_that_is_not_json_is_hashed_as_bytes(self) -> None:
        assert request_fingerprint("POST", "/x", b"a b") != (
            request_fingerprint("POST", "/x", b"a  b")
        )


def effect(session: Session, key: str) -> None:
    session.execute(
        sa.text(
            f"INSERT INTO {SCHEMA}.effects (event_id, subject) VALUES (:key, 'http')"
        ),
        {"key": key},
    )


def handle(engine: Engine, key: str, fingerprint: str) -> Replay | dict[str, Any]:
    """What an endpoint does: claim, act, store the response, one transaction."""
    with Session(engine) as session, session.begin():
        replay = KEYS.begin(session, key, fingerprint)
        if replay is not None:
            return replay
        effect(session, key)
        body = {"transfer_id": key}
        KEYS.complete(session, key, 201, body, {"Location": f"/v1/transfers/{key}"})
        return body


def effects(engine: Engine) -> int:
    return int(scalar(engine, f"SELECT count(*) FROM {SCHEMA}.effects"))


class TestIdempotencyKeys:
    def test_the_same_key_and_body_replays_the_first_response(
        self, engine: Engine
    ) -> None:
        fingerprint = request_fingerprint("POST", "/v1/transfers", BODY)
        assert handle(engine, "k-1", fingerprint) == {"transfer_id": "k-1"}
        replay = handle(engine, "k-1", fingerprint)
        assert replay == Replay(
            status=201,
            body={"transfer_id": "k-1"},
            headers={"Location": "/v1/transfers/k-1"},
        )
        assert effects(engine) == 1

    def test_same_key_other_body_is_refused(self, engine: Engine) -> None:
        handle(engine, "k-1", request_fingerprint("POST", "/v1/transfers", BODY))
        other = request_fingerprint("POST", "/v1/transfers", b"{}")
        with pytest.raises(IdempotencyKeyReused):
            handle(engine, "k-1", other)
        assert effects(engine) == 1

    def test_a_rolled_back_first_request_leaves_the_key_free(
        self, engine: Engine
    ) -> None:
        with Session(engine) as session, session.begin():
            assert KEYS.begin(session, "k-1", "f") is None
            session.rollback()
        assert handle(engine, "k-1", "f") == {"transfer_id": "k-1"}

    def test_prune_forgets_old_keys(self, engine: Engine) -> None:
        handle(engine, "old", "f")
        handle(engine, "new", "f")
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"UPDATE {SCHEMA}.idempotency_keys SET created_at = now()"
                    " - interval '2 days' WHERE key = 'old'"
                )
            )
        with Session(engine) as session, session.begin():
            assert KEYS.prune(session, 86400) == 1


def waiting_backends(engine: Engine) -> set[int]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT pid FROM pg_locks WHERE NOT granted"))
        return {row.pid for row in rows}


class TestConcurrentRequests:
    @pytest.mark.parametrize("first_commits", [True, False])
    def test_two_requests_with_one_key_produce_one_effect(
        self, engine: Engine, first_commits: bool
    ) -> None:
        """The second request blocks on the first's key row, then follows it.

        The first request is held open until the database shows the second one
        waiting for a lock, so the two really overlap. When the first commits, the
        second replays its response; when it rolls back, the second acts itself.
        """
        claimed = threading.Event()
        release = threading.Event()
        second_pid: list[int] = []
        results: dict[str, Any] = {}

        def first() -> None:
            with Session(engine) as session, session.begin():
                assert KEYS.begin(session, "k-1", "f") is None
                effect(session, "k-1")
                KEYS.complete(session, "k-1", 201, {"by": "first"})
                claimed.set()
                release.wait(10)
                if not first_commits:
                    session.rollback()

        def second() -> None:
            claimed.wait(10)
            with Session(engine) as session, session.begin():
                second_pid.append(
                    session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
                )
                replay = KEYS.begin(session, "k-1", "f")
                if replay is None:
                    effect(session, "k-1")
                    KEYS.complete(session, "k-1", 201, {"by": "second"})
                results["second"] = replay

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        wait_for(
            lambda: bool(second_pid) and second_pid[0] in waiting_backends(engine),
            10,
            "the second request to wait on the key",
        )
        release.set()
        for thread in threads:
            thread.join(10)
        assert effects(engine) == 1
        if first_commits:
            assert results["second"] == Replay(201, {"by": "first"}, {})
        else:
            assert results["second"] is None
            stored = scalar(
                engine, f"SELECT response_body FROM {SCHEMA}.idempotency_keys"
            )
            assert stored == {"by": "second"}
