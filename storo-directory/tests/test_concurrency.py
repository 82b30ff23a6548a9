"""Concurrent publishers of one dataset are serialised, and neither is refused."""

import threading

from sqlalchemy import create_engine, text
from storo_platform.migrations import upgrade
from storo_testing.databases import ServiceDatabase

from storo_directory.catalog.service import Published, publish_import
from storo_directory.db import make_sessions

BINS = b"low,high,scheme\n400000,499999,visa\n"


def test_two_publishers_at_once_both_land_in_order(
    fresh_database: ServiceDatabase,
) -> None:
    upgrade("storo_directory", fresh_database.url)
    engine = create_engine(fresh_database.url)
    sessions = make_sessions(engine)
    start = threading.Barrier(2)
    results: dict[str, Published | BaseException] = {}

    def publish(version: str) -> None:
        start.wait()
        try:
            with sessions() as session, session.begin():
                results[version] = publish_import(
                    session,
                    dataset="bins",
                    body=BINS,
                    fmt="csv",
                    version=version,
                    source="test",
                )
        except BaseException as error:
            results[version] = error

    threads = [threading.Thread(target=publish, args=(v,)) for v in ("a.1", "b.1")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert all(isinstance(r, Published) and r.created for r in results.values()), (
            results
        )
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT version, published_at FROM directory.dataset_versions "
                    "ORDER BY id"
                )
            ).all()
            events = conn.execute(text("SELECT count(*) FROM directory.outbox"))
            assert events.scalar_one() == 2
    finally:
        engine.dispose()
    assert len(rows) == 2
    assert rows[0].published_at < rows[1].published_at
