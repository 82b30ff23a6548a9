"""Growing the fleet's CTS tables to a given number of transfers, as the admin.

The rows come from ``sql/grow.sql`` (realistic transfers, quotes, idempotency
records and timelines, made with ``generate_series``). Loading a million of them
through their indexes takes minutes on two cores, so the load follows PostgreSQL's
advice for populating a database: the four tables' keys and indexes are dropped,
the rows loaded, and every index and constraint is recreated from its own
definition, read from the catalogue beforehand. The definitions afterwards are
compared with those before; any difference stops the run. Then ANALYZE, so the
planner knows the new sizes as it would in production.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import psycopg

TABLES = ("transfers", "quotes", "idempotency_keys", "transfer_timeline")
GROW_SQL = Path(__file__).resolve().parent.parent / "sql" / "grow.sql"

CONSTRAINTS = """
SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
  FROM pg_constraint AS c JOIN pg_class AS t ON t.oid = c.conrelid
 WHERE t.relnamespace = 'cts'::regnamespace AND t.relname = ANY(%s)
   AND c.contype IN ('p', 'u', 'f')
 ORDER BY 1, 2
"""
INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
  FROM pg_index AS i JOIN pg_class AS t ON t.oid = i.indrelid
 WHERE t.relnamespace = 'cts'::regnamespace AND t.relname = ANY(%s)
   AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid
                   AND c.contype IN ('p', 'u'))
 ORDER BY 1
"""


class DefinitionsChanged(RuntimeError):
    """The recreated keys or indexes differ from the originals."""


def _definitions(conn: psycopg.Connection[Any]) -> tuple[list[Any], list[Any]]:
    tables = list(TABLES)
    return (
        conn.execute(CONSTRAINTS, (tables,)).fetchall(),
        conn.execute(INDEXES, (tables,)).fetchall(),
    )


def grow(database_url: str, count: int, already: int) -> dict[str, float | int]:
    """Add ``count`` transfers to a database that has ``already`` of them."""
    started = time.perf_counter()
    with psycopg.connect(database_url, cursor_factory=psycopg.ClientCursor) as conn:
        constraints, indexes = _definitions(conn)
        conn.execute("SET maintenance_work_mem = '256MB'")
        # Foreign keys first (they hang on the primary keys), then keys, then the
        # plain indexes; recreated in the opposite order.
        for table, name, _, _kind in sorted(constraints, key=lambda c: c[3] != "f"):
            conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for index, _ in indexes:
            conn.execute(f"DROP INDEX {index}")
        dropped = time.perf_counter()
        conn.execute(GROW_SQL.read_text(), {"count": count, "older_than": already})
        loaded = time.perf_counter()
        for _, definition in indexes:
            conn.execute(definition)
        for table, name, definition, _kind in sorted(
            constraints, key=lambda c: c[3] == "f"
        ):
            conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        if _definitions(conn) != (constraints, indexes):
            conn.rollback()
            raise DefinitionsChanged("the recreated keys or indexes differ")
        conn.commit()
        indexed = time.perf_counter()
        conn.autocommit = True
        for table in TABLES:
            conn.execute(f"ANALYZE cts.{table}")
        sizes = dict(
            conn.execute(
                "SELECT relname, pg_total_relation_size(oid) FROM pg_class"
                " WHERE relnamespace = 'cts'::regnamespace AND relname = ANY(%s)",
                (list(TABLES),),
            ).fetchall()
        )
    return {
        "added": count,
        "load_seconds": round(loaded - dropped, 1),
        "index_seconds": round(indexed - loaded, 1),
        "seconds": round(time.perf_counter() - started, 1),
        "bytes": int(sum(sizes.values())),
    }
