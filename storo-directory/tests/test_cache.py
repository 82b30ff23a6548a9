"""The in-memory catalog: what it answers without a query, and when it re-reads."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from conftest import StatementCounter
from storo_directory.catalog.cache import DatasetCatalog

PINS: dict[str, str | None] = {"fees": None, "settlement_windows": None}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_cold_catalog_needs_the_database_then_answers_alone(
    sessions: sessionmaker[Session], count_statements: StatementCounter
) -> None:
    clock = Clock()
    catalog = DatasetCatalog(sessions, ttl_seconds=5, clock=clock)
    assert catalog.cached(PINS) is None
    resolved = catalog.resolve_all(PINS)
    assert {name: v.version for name, v in resolved.items()} == {
        "fees": "2025.1",
        "settlement_windows": "2025.1",
    }
    reads = len(count_statements.statements)
    assert reads == 3  # the version list, then each version once
    warm = catalog.cached(PINS)
    assert warm is not None
    assert warm["fees"] is resolved["fees"]
    clock.now = 5.0  # the list is stale: a warm answer would be a guess
    assert catalog.cached(PINS) is None
    catalog.resolve_all(PINS)
    assert len(count_statements.statements) == reads + 1


def test_pinned_versions_never_need_the_version_list(
    sessions: sessionmaker[Session], count_statements: StatementCounter
) -> None:
    catalog = DatasetCatalog(sessions, ttl_seconds=0)
    pins: dict[str, str | None] = {"fees": "2025.1"}
    catalog.resolve_all(pins)
    assert len(count_statements.statements) == 1
    assert catalog.cached(pins) is not None


def test_a_moment_before_every_version_is_not_answered_from_memory(
    sessions: sessionmaker[Session],
) -> None:
    catalog = DatasetCatalog(sessions, ttl_seconds=60)
    catalog.resolve_all(PINS)
    assert catalog.cached(PINS, at=datetime(2020, 1, 1, tzinfo=UTC)) is None
