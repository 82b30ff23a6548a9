"""Finding or starting the PostgreSQL the fleet runs on, and preparing its schemas.

The order of preference follows the README: the server at STORO_DATABASE_URL, else one
on 127.0.0.1:5432 that lets us create roles, else a private server started from the
machine's own PostgreSQL binaries in the devstack's data folder.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, overload

import psycopg
from psycopg import sql

from storo_devstack import fleet
from storo_devstack.layout import Layout, RolePasswords
from storo_devstack.report import DevstackError, detail, step

LOCAL_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
INSTALL_HINT = (
    "install PostgreSQL (Debian/Ubuntu: `sudo apt-get install postgresql`; "
    "Fedora: `sudo dnf install postgresql-server`; macOS: `brew install postgresql`) "
    "or set STORO_DATABASE_URL to a server where you may create roles"
)


@dataclass(frozen=True)
class Server:
    """A PostgreSQL server the devstack may administer."""

    admin_url: str  # libpq URL of a role that can create roles and databases
    host: str
    port: int
    private: bool  # started by the devstack from its own data folder

    def database_url(self, role: str, password: str, database: str) -> str:
        """The SQLAlchemy URL a service connects with, as its own role."""
        return (
            f"postgresql+psycopg://{role}:{password}@{self.host}:{self.port}/{database}"
        )


@overload
def resolve(layout: Layout) -> Server: ...
@overload
def resolve(layout: Layout, *, allow_private: Literal[False]) -> Server | None: ...


def resolve(layout: Layout, *, allow_private: bool = True) -> Server | None:
    explicit = os.environ.get("STORO_DATABASE_URL")
    if explicit:
        step("PostgreSQL: using STORO_DATABASE_URL")
        return _server_from_url(
            explicit.replace("postgresql+psycopg://", "postgresql://")
        )

    if _can_create_roles(LOCAL_ADMIN_URL):
        step("PostgreSQL: using the server on 127.0.0.1:5432")
        return Server(LOCAL_ADMIN_URL, "127.0.0.1", 5432, private=False)

    if not allow_private:
        return None
    step("PostgreSQL: no usable server on 127.0.0.1:5432, starting a private one")
    return start_private(layout)


def _server_from_url(url: str) -> Server:
    info = psycopg.conninfo.conninfo_to_dict(url)
    if not _can_create_roles(url):
        raise DevstackError(
            "the role in STORO_DATABASE_URL cannot create roles and databases; "
            "give it CREATEROLE and CREATEDB, or point it at another server"
        )
    host, port = info.get("host") or "127.0.0.1", info.get("port") or 5432
    return Server(url, str(host), int(str(port)), private=False)


def _can_create_roles(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            row = conn.execute(
                "SELECT rolsuper OR (rolcreaterole AND rolcreatedb) FROM pg_roles "
                "WHERE rolname = current_user"
            ).fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0])


def binaries() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    candidates += sorted(glob.glob("/usr/local/opt/postgresql*/bin"), reverse=True)
    for folder in candidates:
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    if _install_with_package_manager():
        return binaries()
    raise DevstackError(
        f"no PostgreSQL binaries (initdb, pg_ctl) found: {INSTALL_HINT}"
    )


def _install_with_package_manager() -> bool:
    """Install the server binaries with apt when we may (root, or password-less sudo).

    Only Debian's family is tried: elsewhere the hint names the command to run.
    """
    if shutil.which("apt-get") is None or glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return False
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            return False
        if subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode != 0:
            return False
        prefix = ["sudo", "-n"]
    detail("installing PostgreSQL with apt-get (postgresql)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for argv in (
        ["apt-get", "update", "-q"],
        ["apt-get", "install", "-y", "-q", "postgresql"],
    ):
        if subprocess.run(prefix + argv, env=env, capture_output=True).returncode != 0:
            return False
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def data_folder(layout: Layout) -> Path:
    """Where the private server keeps its data: the devstack's home when it can.

    Under root the server runs as an unprivileged owner, who may not be able to reach
    a home inside root's own folders (/root is 0700); it then lives in /var/tmp, in a
    folder named for the home, so each home still has its own server.
    """
    preferred = layout.postgres_data
    if os.geteuid() != 0 or _owner_can_reach(preferred.parent):
        return preferred
    digest = hashlib.sha256(str(layout.home.resolve()).encode()).hexdigest()[:12]
    return Path("/var/tmp") / f"storo-devstack-{digest}" / "postgres"


def _owner_can_reach(folder: Path) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    probe = ["runuser", "-u", _owner(), "--", "test", "-x", str(folder)]
    return subprocess.run(probe, capture_output=True).returncode == 0


def log_file(layout: Layout) -> Path:
    return data_folder(layout).parent / "postgres.log"


def start_private(layout: Layout) -> Server:
    bindir = binaries()
    data = data_folder(layout)
    port = layout.port("postgres")
    if not (data / "PG_VERSION").exists():
        detail(f"initialising a data folder in {data}")
        data.mkdir(parents=True, exist_ok=True)
        _run_as_owner(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
            ],
            data,
        )

    status = subprocess.run(
        [str(bindir / "pg_ctl"), "-D", str(data), "status"], capture_output=True
    )
    if status.returncode != 0:
        detail(f"starting it on 127.0.0.1:{port}")
        log = log_file(layout)
        log.touch()
        if os.geteuid() == 0:
            shutil.chown(log, user=_owner())
        _run_as_owner(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-w",
                "-o",
                f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
                "start",
            ],
            data,
        )

    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    _wait_for(url)
    return Server(url, "127.0.0.1", port, private=True)


def stop_private(layout: Layout) -> bool:
    data = data_folder(layout)
    if not (data / "postmaster.pid").exists():
        return False
    _run_as_owner(
        [str(binaries() / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], data
    )
    return True


def _run_as_owner(argv: list[str], data: Path) -> None:
    # PostgreSQL refuses to run as root; on a root shell (containers, CI) the private
    # server runs as the owner of its data folder, an unprivileged account we pick.
    if os.geteuid() == 0:
        owner = _owner()
        shutil.chown(data, user=owner)
        data.chmod(0o700)
        argv = ["runuser", "-u", owner, "--", *argv]
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        raise DevstackError(
            f"{' '.join(argv)} failed:\n{result.stderr or result.stdout}"
        )


def _owner() -> str:
    return os.environ.get("STORO_DEVSTACK_POSTGRES_USER", "nobody")


def _wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(url, connect_timeout=1):
                return
        except psycopg.OperationalError:
            time.sleep(0.2)
    raise DevstackError(f"PostgreSQL at {url} did not answer within {timeout:.0f}s")


def prepare(server: Server, layout: Layout) -> dict[str, str]:
    """Create the database, one login role and schema per service; return their URLs.

    Each role owns its schema and nothing else: no privilege on the public schema and
    none on the other services' schemas, so the database itself keeps services apart.
    """
    step(f"PostgreSQL: preparing database {layout.database!r}, a role per service")
    with psycopg.connect(server.admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (layout.database,)
        ).fetchone()
        if not exists:
            conn.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(layout.database))
            )
        known = RolePasswords(f"{server.host}:{server.port}")
        passwords = {
            service.schema: _ensure_role(conn, service.schema, known)
            for service in fleet.SERVICES
        }

    admin_db_url = _with_database(server.admin_url, layout.database)
    urls: dict[str, str] = {}
    with psycopg.connect(admin_db_url, autocommit=True) as conn:
        conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        conn.execute(
            sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(
                sql.Identifier(layout.database)
            )
        )
        for service in fleet.SERVICES:
            role = sql.Identifier(service.schema)
            conn.execute(
                sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                    sql.Identifier(layout.database), role
                )
            )
            conn.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(
                    role, role
                )
            )
            urls[service.name] = server.database_url(
                service.schema, passwords[service.schema], layout.database
            )
    return urls


def _ensure_role(
    conn: psycopg.Connection[tuple[object, ...]], role: str, passwords: RolePasswords
) -> str:
    exists = conn.execute(
        "SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)
    ).fetchone()
    known = passwords.known(role)
    if exists and known:
        return known

    # A role we have no password for (made by another tool, or the file was removed)
    # gets a fresh one, so the file and the server agree again.
    password = passwords.new(role)
    verb = "ALTER" if exists else "CREATE"
    statement = (
        verb + " ROLE {} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}"
    )
    conn.execute(sql.SQL(statement).format(sql.Identifier(role), sql.Literal(password)))
    return password


def _with_database(url: str, database: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(url)
    info["dbname"] = database
    return psycopg.conninfo.make_conninfo(**info)  # type: ignore[arg-type]


def drop_database(server: Server, database: str) -> None:
    with psycopg.connect(server.admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database)
            )
        )
