"""Publishing from files: the `import` and `load-samples` commands."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

from sqlalchemy.orm import Session

from storo_directory.catalog.parsing import ImportFormat
from storo_directory.catalog.service import Published, publish_import
from storo_directory.db import make_engine, make_sessions
from storo_directory.settings import DirectorySettings

SAMPLES = files("storo_directory") / "data"


@contextmanager
def _transaction(settings: DirectorySettings) -> Iterator[Session]:
    if not settings.database_url:
        raise SystemExit("STORO_DIRECTORY_DATABASE_URL is not set")
    engine = make_engine(settings.database_url)
    try:
        with make_sessions(engine)() as session, session.begin():
            yield session
    finally:
        engine.dispose()


def publish_file(
    settings: DirectorySettings,
    *,
    dataset: str,
    path: Path,
    fmt: ImportFormat,
    version: str | None,
    effective_from: str | None,
    source: str,
    published_by: str | None,
) -> Published:
    body = path.read_bytes()
    with _transaction(settings) as session:
        return publish_import(
            session,
            dataset=dataset,
            body=body,
            fmt=fmt,
            version=version,
            effective_from=effective_from,
            source=source,
            published_by=published_by,
        )


def load_samples(settings: DirectorySettings) -> list[Published]:
    """Publish every bundled dataset in one transaction; publishing twice is a no-op."""
    manifest = json.loads((SAMPLES / "manifest.json").read_text("utf-8"))
    done = []
    with _transaction(settings) as session:
        for entry in manifest["datasets"]:
            name = entry["file"]
            done.append(
                publish_import(
                    session,
                    dataset=entry["dataset"],
                    body=(SAMPLES / name).read_bytes(),
                    fmt="csv" if name.endswith(".csv") else "json",
                    version=entry["version"],
                    effective_from=entry["effective_from"],
                    source="load-samples",
                    published_by="load-samples",
                )
            )
    return done
