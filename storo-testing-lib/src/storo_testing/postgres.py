"""A PostgreSQL server for a test run: given, local, or started for the run."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import URL, make_url

from storo_testing.ports import free_port

ENV_URL = "STORO_TEST_DATABASE_URL"
LOCAL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def sqlalchemy_url(url: str) -> URL:
    """Parse ``url`` as a SQLAlchemy URL that uses the psycopg 3 driver."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+psycopg")


def libpq_conninfo(url: URL) -> str:
    """The same URL in the plain form psycopg.connect accepts."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def answers(url: URL) -> bool:
    """Whether a server answers at ``url`` (two seconds at most)."""
    try:
        with psycopg.connect(libpq_conninfo(url), connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


@dataclass
class PostgresServer:
    """A server the tests may use as a superuser."""

    admin_url: str
    """SQLAlchemy URL (``postgresql+psycopg://``) of a superuser login."""
    data_dir: Path | None = None
    """Set when this run started the server (it is stopped and removed at the end)."""
    _bin: Path | None = field(default=None, repr=False)
    _user: str | None = field(default=None, repr=False)

    @property
    def url(self) -> URL:
        return sqlalchemy_url(self.admin_url)

    @property
    def admin_conninfo(self) -> str:
        """The superuser URL in libpq form, for ``psycopg.connect``."""
        return libpq_conninfo(self.url)

    def connect(self, database: str | None = None) -> psycopg.Connection[tuple[object]]:
        """An autocommit superuser connection to ``database`` (default: the URL's)."""
        url = self.url if database is None else self.url.set(database=database)
        return psycopg.connect(libpq_conninfo(url), autocommit=True)

    def stop(self) -> None:
        """Stop a server this run started; a given server is left alone."""
        if self.data_dir is None or self._bin is None:
            return
        subprocess.run(
            [
                str(self._bin / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-m",
                "immediate",
                "stop",
            ],
            check=False,
            capture_output=True,
            **_as_user(self._user),
        )
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def _as_user(user: str | None) -> dict[str, Any]:
    return {} if user is None else {"user": user, "group": pwd.getpwnam(user).pw_gid}


def _binaries() -> Path:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parent.parent.name),
    )
    if not candidates:
        found = shutil.which("initdb")
        if found is None:
            raise RuntimeError("no PostgreSQL server reachable and no initdb found")
        return Path(found).parent
    return Path(candidates[-1]).parent


def start_throwaway() -> PostgresServer:
    """initdb + pg_ctl in a temporary directory, listening on a free local port."""
    bin_dir = _binaries()
    root = Path(tempfile.mkdtemp(prefix="storo-pg-"))
    data = root / "data"
    # initdb refuses to run as root; the server then runs as the postgres account.
    user = None
    if os.geteuid() == 0:
        user = "postgres" if _has_user("postgres") else "nobody"
        os.chown(root, pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)
    subprocess.run(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        **_as_user(user),
    )
    for _attempt in range(3):
        port = free_port()
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        started = subprocess.run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(root / "server.log"),
                "start",
            ],
            check=False,
            capture_output=True,
            **_as_user(user),
        )
        if started.returncode == 0:
            url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
            return PostgresServer(url, data_dir=data, _bin=bin_dir, _user=user)
    log = (root / "server.log").read_text(errors="replace")
    shutil.rmtree(root, ignore_errors=True)
    raise RuntimeError(f"the throwaway PostgreSQL server did not start:\n{log}")


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def find_or_start() -> PostgresServer:
    """``STORO_TEST_DATABASE_URL``, else the local server, else a throwaway one."""
    given = os.environ.get(ENV_URL)
    if given:
        return PostgresServer(sqlalchemy_url(given).render_as_string(False))
    if answers(sqlalchemy_url(LOCAL_URL)):
        return PostgresServer(LOCAL_URL)
    return start_throwaway()
