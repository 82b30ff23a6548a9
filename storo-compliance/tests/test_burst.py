"""A burst of screenings whose clients give up must not wedge the service.

CTS gives compliance a short timeout and walks away from a slow screening. Each
abandoned request must still give its database connection back: one left "idle in
transaction" per abandoned request empties the pool, and every later screening then
fails, rejecting every transfer as `screening_unavailable` until a restart.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import uvicorn

from storo_compliance.app import build_app
from storo_compliance.settings import ComplianceSettings

PARTY = {"party": {"name": "Tendai Moyo", "type": "individual"}, "reference": None}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(settings: ComplianceSettings, loaded: Any) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(build_app(settings), port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


async def abandon(url: str, count: int) -> None:
    async with httpx.AsyncClient(timeout=0.3) as client:
        requests = (
            client.post(f"{url}/v1/screenings", json=PARTY) for _ in range(count)
        )
        await asyncio.gather(*requests, return_exceptions=True)


def idle_in_transaction(admin_url: str) -> int:
    engine = sa.create_engine(
        admin_url.replace("postgresql://", "postgresql+psycopg://")
    )
    with engine.connect() as conn:
        found = conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = 'compliance' "
                "AND state = 'idle in transaction'"
            )
        ).scalar_one()
    engine.dispose()
    return int(found)


class TestBurst:
    def test_abandoned_screenings_leave_the_pool_whole(
        self, served: str, database: Any
    ) -> None:
        asyncio.run(abandon(served, 200))

        # The service still answers, well within a client's patience ...
        answer = httpx.post(f"{served}/v1/screenings", json=PARTY, timeout=10)
        assert answer.status_code == 200, answer.text
        assert answer.json()["decision"] == "clear"

        # ... and no connection stays parked inside a transaction.
        deadline = time.monotonic() + 10
        while idle_in_transaction(database.admin_url) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert idle_in_transaction(database.admin_url) == 0
