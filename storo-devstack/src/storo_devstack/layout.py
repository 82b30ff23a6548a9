"""Where the devstack keeps its state, and the ports it hands out.

Everything the devstack creates lives under one home folder (data, logs, process ids,
virtual environments), so `down` and `reset` know exactly what is theirs. A port offset
lets a second fleet (the end-to-end test's) run beside a developer's own.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from storo_devstack import fleet

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Layout:
    home: Path
    registry: Path
    port_offset: int = 0
    database: str = "storo"

    @classmethod
    def from_environment(cls) -> Layout:
        home = os.environ.get("STORO_DEVSTACK_HOME")
        registry = os.environ.get("STORO_INDEX")
        return cls(
            home=Path(home) if home else REPOSITORY_ROOT / "storo-devstack" / "var",
            registry=Path(registry) if registry else REPOSITORY_ROOT / ".registry",
            port_offset=int(os.environ.get("STORO_DEVSTACK_PORT_OFFSET", "0")),
            database=os.environ.get("STORO_DEVSTACK_DATABASE", "storo"),
        )

    def port(self, name: str) -> int:
        """The port of a service, simulator, or "aws", after the offset."""
        if name == "aws":
            return fleet.AWS_PORT + self.port_offset
        if name == "postgres":
            return fleet.PRIVATE_POSTGRES_PORT + self.port_offset
        if name.endswith("-worker"):
            # A worker's own metrics endpoint listens one above its service's port.
            return self.port(name.removesuffix("-worker")) + 1
        for simulator in fleet.SIMULATORS:
            if simulator.name == name:
                return simulator.port + self.port_offset
        return fleet.service(name).port + self.port_offset

    @property
    def logs(self) -> Path:
        return self.home / "log"

    @property
    def pids(self) -> Path:
        return self.home / "run"

    @property
    def venvs(self) -> Path:
        return self.home / "venvs"

    @property
    def postgres_data(self) -> Path:
        return self.home / "postgres"

    @property
    def aws_endpoint(self) -> str:
        # Compose points provisioning at LocalStack instead of a moto it starts itself.
        explicit = os.environ.get("STORO_DEVSTACK_AWS_ENDPOINT")
        return explicit or f"http://127.0.0.1:{self.port('aws')}"

    def ensure(self) -> None:
        for folder in (self.logs, self.pids, self.venvs):
            folder.mkdir(parents=True, exist_ok=True)


class RolePasswords:
    """The login passwords of the services' roles, per PostgreSQL server.

    Roles are cluster-wide, so every devstack home on one server (a developer's fleet
    and the end-to-end test's) shares the passwords of that server. The file is kept at
    mode 0600; each service gets its password through its environment.
    """

    def __init__(self, server: str, path: Path | None = None) -> None:
        default = REPOSITORY_ROOT / "storo-devstack" / "var" / "roles.json"
        self._server = server  # "host:port"
        self._path = path or Path(os.environ.get("STORO_DEVSTACK_ROLES_FILE", default))

    def known(self, role: str) -> str | None:
        return self._load().get(self._server, {}).get(role)

    def new(self, role: str) -> str:
        everything = self._load()
        password = secrets.token_urlsafe(18)
        everything.setdefault(self._server, {})[role] = password
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._path.write_text(json.dumps(everything, indent=2, sort_keys=True))
        self._path.chmod(0o600)
        return password

    def _load(self) -> dict[str, dict[str, str]]:
        if not self._path.exists():
            return {}
        return dict(json.loads(self._path.read_text()))
