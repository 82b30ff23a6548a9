"""FastAPI dependencies shared by the routers.

They are `async def` on purpose: FastAPI runs a plain `def` dependency in a worker
thread, a hop that costs more than a warm lookup itself.
"""

from datetime import datetime

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from storo_directory.catalog.cache import DatasetCatalog, LoadedVersion


async def catalog_of(request: Request) -> DatasetCatalog:
    catalog: DatasetCatalog = request.app.state.catalog
    return catalog


async def sessions_of(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


async def resolve(
    catalog: DatasetCatalog,
    pins: dict[str, str | None],
    at: datetime | None = None,
) -> dict[str, LoadedVersion]:
    """Warm versions on the event loop; a database read in a worker thread."""
    found = catalog.cached(pins, at=at)
    if found is None:
        found = await run_in_threadpool(catalog.resolve_all, pins, at=at)
    return found


async def resolve_one(
    catalog: DatasetCatalog,
    dataset: str,
    version: str | None = None,
    at: datetime | None = None,
) -> LoadedVersion:
    return (await resolve(catalog, {dataset: version}, at))[dataset]
