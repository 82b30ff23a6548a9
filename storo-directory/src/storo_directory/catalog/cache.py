"""Immutable dataset versions, held in memory for the life of the process.

A version never changes once published, so its records and the indexes built from
them are cached forever. Only the list of versions can grow: it is re-read at most
once per `ttl_seconds` (and at once after a publish in this process), which keeps a
warm quote at zero queries.
"""

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from storo_directory.catalog import repository
from storo_directory.catalog.errors import NoVersionInForce, VersionNotFound
from storo_directory.catalog.repository import Header
from storo_directory.metrics import CATALOG_READS
from storo_directory.timefmt import now

T = TypeVar("T")


class LoadedVersion:
    """One version's records, with indexes derived from them on first use."""

    def __init__(self, header: Header, records: Sequence[Mapping[str, Any]]) -> None:
        self.header = header
        self.records = tuple(records)
        self._derived: dict[Callable[..., Any], Any] = {}
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        return self.header.version

    def derived(self, build: Callable[["LoadedVersion"], T]) -> T:
        with self._lock:
            if build not in self._derived:
                self._derived[build] = build(self)
            value: T = self._derived[build]
            return value


def in_force(headers: Sequence[Header], at: datetime) -> Header | None:
    """The version in force at `at`: the latest effective-from not after it.

    Of two versions effective from the same moment the later published wins.
    Publishing refuses an effective-from before the dataset's last publication, so
    the answer for a past moment never changes once it is given.
    """
    eligible = [h for h in headers if h.effective_from <= at]
    return max(eligible, key=lambda h: (h.effective_from, h.published_at), default=None)


class DatasetCatalog:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        ttl_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = session_factory
        self._ttl = ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._headers: dict[str, tuple[Header, ...]] = {}
        self._read_at: float | None = None
        self._versions: dict[tuple[str, str], LoadedVersion] = {}

    def invalidate(self) -> None:
        with self._lock:
            self._read_at = None

    def _fresh(self) -> bool:
        return self._read_at is not None and self._clock() - self._read_at < self._ttl

    def headers(self) -> Mapping[str, tuple[Header, ...]]:
        with self._lock:
            if not self._fresh():
                CATALOG_READS.labels(kind="version_list").inc()
                with self._sessions() as session:
                    found = repository.list_headers(session)
                grouped: dict[str, list[Header]] = {}
                for header in found:
                    grouped.setdefault(header.dataset, []).append(header)
                self._headers = {k: tuple(v) for k, v in grouped.items()}
                self._read_at = self._clock()
            return self._headers

    def version(self, dataset: str, version: str) -> LoadedVersion:
        key = (dataset, version)
        loaded = self._versions.get(key)
        if loaded is not None:
            return loaded
        CATALOG_READS.labels(kind="version").inc()
        with self._sessions() as session:
            found = repository.load(session, dataset, version)
        if found is None:
            raise VersionNotFound(dataset, version)
        loaded = LoadedVersion(*found)
        with self._lock:
            return self._versions.setdefault(key, loaded)

    def resolve(
        self, dataset: str, *, version: str | None = None, at: datetime | None = None
    ) -> LoadedVersion:
        """A pinned version, or else the one in force at `at` (default: now)."""
        return self.resolve_all({dataset: version}, at=at)[dataset]

    @staticmethod
    def _names(
        headers: Mapping[str, tuple[Header, ...]],
        pins: Mapping[str, str | None],
        moment: datetime,
    ) -> dict[str, str]:
        names = {}
        for dataset, version in pins.items():
            if version is None:
                header = in_force(headers.get(dataset, ()), moment)
                if header is None:
                    raise NoVersionInForce(dataset, moment)
                version = header.version
            names[dataset] = version
        return names

    def cached(
        self, pins: Mapping[str, str | None], *, at: datetime | None = None
    ) -> dict[str, LoadedVersion] | None:
        """What `resolve_all` would answer, if it can without a query; else None.

        Lets an async caller stay on the event loop when everything is warm and go
        to a worker thread only when the database must be read.
        """
        with self._lock:
            if None in pins.values() and not self._fresh():
                return None
            headers = self._headers
        try:
            names = self._names(headers, pins, at or now())
        except NoVersionInForce:
            return None  # resolve_all re-reads the list and refuses from fresh facts
        found = {}
        for dataset, version in names.items():
            loaded = self._versions.get((dataset, version))
            if loaded is None:
                return None
            found[dataset] = loaded
        return found

    def resolve_all(
        self, pins: Mapping[str, str | None], *, at: datetime | None = None
    ) -> dict[str, LoadedVersion]:
        """Several datasets at one moment, reading the version list at most once."""
        headers = self.headers() if None in pins.values() else {}
        names = self._names(headers, pins, at or now())
        return {dataset: self.version(dataset, v) for dataset, v in names.items()}
