"""What the routes need, built once per process and kept on ``app.state``."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from storo_outbox import IdempotencyKeys

from storo_cts.quoting.client import DirectoryClient
from storo_cts.screening.client import ComplianceClient
from storo_cts.settings import SCHEMA, CtsSettings
from storo_cts.transfers import repository
from storo_cts.transfers.validation import Limits


@dataclass
class Intake:
    engine: Engine
    sessions: sessionmaker[Session]
    keys: IdempotencyKeys
    http: httpx.AsyncClient
    compliance: ComplianceClient
    directory: DirectoryClient
    limits: Limits

    def peek(self, key: str) -> repository.StoredResponse | None:
        with self.engine.connect() as conn:
            return repository.peek_idempotency(conn, key)


def build_http(settings: CtsSettings) -> httpx.AsyncClient:
    # One client for the process: its pool keeps connections to compliance and
    # directory alive, so an intake pays no TCP handshake.
    limits = httpx.Limits(
        max_connections=settings.http_max_connections * 2,
        max_keepalive_connections=settings.http_max_connections * 2,
        keepalive_expiry=30.0,
    )
    return httpx.AsyncClient(limits=limits, headers={"user-agent": "storo-cts/1.0.0"})


def build_intake(settings: CtsSettings, engine: Engine) -> Intake:
    http = build_http(settings)
    return Intake(
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
        keys=IdempotencyKeys(SCHEMA),
        http=http,
        compliance=ComplianceClient(
            http, settings.compliance_url, settings.compliance_timeout_seconds
        ),
        directory=DirectoryClient(
            http, settings.directory_url, settings.directory_timeout_seconds
        ),
        limits=Limits(settings.amount_limit, tuple(settings.amount_limits.items())),
    )
