"""How fast POST /v1/quotes answers from warm caches, beside /live in the same run.

Runs in-process (an ASGI transport, no sockets) against a throwaway database on the
local PostgreSQL, so it measures the service's own work, not a network. Bounded: N
requests each. Usage: .venv/bin/python bench/quotes.py [N]
"""

import asyncio
import sys
import time

import httpx2
from fastapi import FastAPI
from sqlalchemy import event
from storo_testing.databases import create_service_database, drop_service_database
from storo_testing.postgres import find_or_start

from storo_directory.app import build_app
from storo_directory.db import make_engine
from storo_directory.migrate import upgrade
from storo_directory.publishing import load_samples
from storo_directory.settings import DirectorySettings

BODY = {
    "amount": {"amount": "100.00", "currency": "USD"},
    "corridor": {"from": "ZA", "to": "ZW"},
}


async def rate(app: FastAPI, n: int, method: str, path: str, **kw: object) -> float:
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://bench") as c:
        started = time.perf_counter()
        for _ in range(n):
            response = await c.request(method, path, **kw)  # type: ignore[arg-type]
            assert response.status_code == 200, response.text
        return n / (time.perf_counter() - started)


def main(n: int) -> None:
    server = find_or_start()
    database = create_service_database(server, "directory")
    try:
        upgrade(database.url)
        settings = DirectorySettings(
            database_url=database.url, log_format="console", log_level="WARNING"
        )
        load_samples(settings)
        engine = make_engine(database.url)
        queries: list[str] = []
        event.listen(engine, "before_cursor_execute", lambda *a: queries.append(a[2]))
        app = build_app(settings, engine=engine)
        asyncio.run(rate(app, 10, "POST", "/v1/quotes", json=BODY))  # warm caches
        queries.clear()
        quotes = asyncio.run(rate(app, n, "POST", "/v1/quotes", json=BODY))
        per_quote = len(queries) / n
        live = asyncio.run(rate(app, n, "GET", "/live"))
        engine.dispose()
        print(f"quotes: {quotes:,.0f}/s, {per_quote:.3f} queries per quote")
        print(f"/live (same transport, same run): {live:,.0f}/s")
    finally:
        drop_service_database(server, database)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
