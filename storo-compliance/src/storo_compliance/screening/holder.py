"""The process's current index, rebuilt when the set of live versions changes.

Each screening reads the live versions anyway (for freshness); when their ids
differ from those the index was built from, the index is rebuilt from the
database before matching, so a new list is in use from the first screening
after its ingest committed.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy.orm import Session
from storo_otel import get_logger

from storo_compliance.lists import repository
from storo_compliance.lists.model import ListEntry
from storo_compliance.matching.index import IndexedEntry, WatchlistIndex

log = get_logger(__name__)


class IndexHolder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[int, ...] | None = None
        self._index = WatchlistIndex(())

    def current(self, session: Session, active: list[dict[str, Any]]) -> WatchlistIndex:
        key = tuple(sorted(int(r["id"]) for r in active))
        if key == self._key:
            return self._index
        with self._lock:
            if key != self._key:
                self._index = self._build(session, active)
                self._key = key
            return self._index

    def _build(self, session: Session, active: list[dict[str, Any]]) -> WatchlistIndex:
        started = time.perf_counter()
        names = {int(r["id"]): r["list"] for r in active}
        rows = repository.entries_of(session, names)
        index = WatchlistIndex(
            IndexedEntry(names[version_id], ListEntry.from_json(body), fingerprint)
            for version_id, body, fingerprint in rows
        )
        log.info(
            "screening.index_built",
            entries=len(index.entries),
            names=index.name_count,
            seconds=round(time.perf_counter() - started, 3),
        )
        return index
