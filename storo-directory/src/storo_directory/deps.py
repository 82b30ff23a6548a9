"""FastAPI dependencies shared by the routers."""

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from storo_directory.catalog.cache import DatasetCatalog
from storo_directory.settings import DirectorySettings


def catalog_of(request: Request) -> DatasetCatalog:
    catalog: DatasetCatalog = request.app.state.catalog
    return catalog


def sessions_of(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


def settings_of(request: Request) -> DirectorySettings:
    settings: DirectorySettings = request.app.state.settings
    return settings
