"""FastAPI dependencies: the request's transaction and the app's shared state."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from storo_compliance.lists.sources import S3Factory
from storo_compliance.screening.holder import IndexHolder
from storo_compliance.settings import ComplianceSettings


@dataclass
class State:
    settings: ComplianceSettings
    engine: Engine
    sessions: sessionmaker[Session]
    holder: IndexHolder
    s3: S3Factory


def state(request: Request) -> State:
    found: Any = request.app.state.compliance
    return found


def session(request: Request) -> Iterator[Session]:
    """The request owns the transaction: committed when the route returns."""
    with state(request).sessions() as s, s.begin():
        yield s


AppState = Annotated[State, Depends(state)]
Tx = Annotated[Session, Depends(session)]
