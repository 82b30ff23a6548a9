"""What the routes need, built once per process and kept on ``app.state``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from storo_outbox import IdempotencyKeys

from storo_cts.http import HttpPool
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
    http: HttpPool
    compliance: ComplianceClient
    directory: DirectoryClient
    limits: Limits

    def peek(self, key: str) -> repository.StoredResponse | None:
        # Autocommit: one round trip, no BEGIN and ROLLBACK around a single read.
        with self.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as conn:
            return repository.peek_idempotency(conn, key)


def build_intake(settings: CtsSettings, engine: Engine) -> Intake:
    # One pool for the process: connections to compliance and directory stay
    # alive, so an intake pays no TCP handshake.
    http = HttpPool(settings.http_max_connections)
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
