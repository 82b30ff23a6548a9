"""Bringing the whole fleet up and down on one machine, without Docker.

`up` is safe to repeat: a step whose result already exists (a role, a running
process) is left as it is, so a second `up` while the fleet runs changes nothing.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from storo_devstack import aws, fleet, install, postgres, processes
from storo_devstack.layout import REPOSITORY_ROOT, Layout
from storo_devstack.report import DevstackError, detail, step, table, warn

READY_TIMEOUT = 90.0
_PORT = re.compile(r"\{port:([a-z-]+)\}")


@dataclass
class Running:
    name: str
    port: int
    source: str  # "release 1.0.0", "swap /path", "skipped: ..."


def up(layout: Layout, swaps: dict[str, Path] | None = None) -> list[Running]:
    swaps = swaps or {}
    for name in swaps:
        fleet.service(name)  # an unknown name fails before anything starts
    layout.ensure()

    server = postgres.resolve(layout)
    _remember(layout, "postgres_private", server.private)
    urls = postgres.prepare(server, layout)
    aws.start(layout)
    endpoints = aws.provision(layout)

    summary: list[Running] = [
        Running(
            "postgres", server.port, "private server" if server.private else "server"
        ),
        Running("aws", layout.port("aws"), "moto"),
    ]
    for simulator in fleet.SIMULATORS:
        summary.append(_start_simulator(layout, simulator))
    for service in fleet.SERVICES:
        summary.append(
            _start_service(layout, service, urls, endpoints, swaps.get(service.name))
        )
    return summary


def provision(layout: Layout) -> None:
    """What Docker Compose needs before its services start: roles, schemas, topology."""
    server = postgres.resolve(layout)
    postgres.prepare(server, layout)
    aws.provision(layout)


def _start_simulator(layout: Layout, simulator: fleet.Simulator) -> Running:
    port = layout.port(simulator.name)
    version = install.released_version(layout, simulator.package)
    if version is None:
        warn(f"{simulator.name}: skipped, {simulator.package} has no release")
        return Running(simulator.name, port, f"skipped: no {simulator.package} release")
    if processes.pid_of(layout, simulator.name) is None:
        step(f"{simulator.name}: starting on {port}")
        # The simulator ships inside its gateway's package: one environment serves both.
        venv_name = simulator.package.removeprefix("storo-")
        env = install.install_release(layout, venv_name, simulator.package, version)
        processes.ensure_port_free(port, simulator.name)
        argv = [str(env / "bin" / simulator.command), "--port", str(port)]
        processes.start(layout, simulator.name, argv, {})
        processes.wait_for_port(port, 30, simulator.name, layout)
    return Running(simulator.name, port, f"release {version}")


def _start_service(
    layout: Layout,
    service: fleet.Service,
    urls: dict[str, str],
    endpoints: dict[str, dict[str, str]],
    swap: Path | None,
) -> Running:
    port = layout.port(service.name)
    version = install.released_version(layout, service.package)
    if swap is None and version is None:
        warn(f"{service.name}: skipped, {service.package} has no release in the index")
        return Running(service.name, port, "skipped: no release")

    serve_name, worker_name = f"{service.name}", f"{service.name}-worker"
    if swap is None and processes.pid_of(layout, serve_name) is not None:
        detail(f"{service.name} already runs on {port}")
        return Running(service.name, port, _recall_source(layout, service.name))

    step(f"{service.name}: install, migrate, seed, start on {port}")
    # Whatever is left of an earlier run (a worker whose API died, or the release a swap
    # replaces) goes first, so no service ever runs twice.
    processes.stop(layout, serve_name)
    processes.stop(layout, worker_name)
    if swap is not None:
        env_dir = install.install_source(layout, service.name, swap)
        source = f"swap {swap}"
    else:
        assert version is not None
        env_dir = install.install_release(
            layout, service.name, service.package, version
        )
        source = f"release {version}"
    command = str(env_dir / "bin" / service.command)
    env = service_environment(layout, service, urls, endpoints)

    _run(service.name, [command, "migrate"], env)
    for seed in service.seeds:
        printed = _run(service.name, [command, *_expand(layout, seed)], env)
        if service.seed_output and printed.strip():
            last_line = printed.strip().splitlines()[-1].strip()
            (layout.home / service.seed_output).write_text(last_line + "\n")

    processes.ensure_port_free(port, service.name)
    serve = [command, "serve", "--port", str(port)]
    worker = [command, "worker"]
    if swap is not None:
        serve.append("--reload")
        watch = str(env_dir / "bin" / "watchfiles")
        worker = [watch, "--filter", "python", shlex.join(worker), str(swap)]
    processes.start(layout, serve_name, serve, env, cwd=swap)
    processes.start(layout, worker_name, worker, env, cwd=swap)
    wait_ready(layout, service.name, port)
    _remember(layout, f"source:{service.name}", source)
    return Running(service.name, port, source)


def service_environment(
    layout: Layout,
    service: fleet.Service,
    urls: dict[str, str],
    endpoints: dict[str, dict[str, str]],
) -> dict[str, str]:
    prefix = service.env_prefix
    own = endpoints.get(service.name, {})
    env = {
        f"{prefix}DATABASE_URL": urls[service.name],
        f"{prefix}AWS_ENDPOINT_URL": layout.aws_endpoint,
        f"{prefix}AWS_REGION": aws.CREDENTIALS["AWS_DEFAULT_REGION"],
        f"{prefix}EVENTS_TOPIC_ARN": own.get("topic_arn", ""),
        f"{prefix}LOG_FORMAT": "json",
        **aws.CREDENTIALS,
        "AWS_ENDPOINT_URL": layout.aws_endpoint,
        "STORO_GIT_REVISION": _git_revision(),
    }
    if service.has_inbox:
        env[f"{prefix}INBOX_QUEUE_URL"] = own.get("queue_url", "")
    for key, value in service.extra_env.items():
        env[f"{prefix}{key}"] = _expand(layout, (value,))[0]
    return env


def _git_revision() -> str:
    result = subprocess.run(
        ["git", "-C", str(REPOSITORY_ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() or "unknown"


def _expand(layout: Layout, args: tuple[str, ...]) -> list[str]:
    """Fill in "{port:NAME}" with that service's port, after the layout's offset."""
    return [_PORT.sub(lambda m: str(layout.port(m[1])), arg) for arg in args]


def _run(name: str, argv: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        argv, env={**os.environ, **env}, capture_output=True, text=True
    )
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines()[-15:]
        raise DevstackError(
            f"{name}: `{Path(argv[0]).name} {' '.join(argv[1:])}` failed:\n"
            + "\n".join(output)
        )
    return result.stdout


def wait_ready(
    layout: Layout, name: str, port: int, timeout: float = READY_TIMEOUT
) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if processes.pid_of(layout, name) is None:
            raise DevstackError(
                f"{name} exited while starting; see `devstack logs {name}`"
            )
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/ready", timeout=2
            ) as r:
                if r.status == 200:
                    return
        except urllib.error.HTTPError as error:
            last = f"/ready answered {error.code}: {error.read()[:200]!r}"
        except OSError as error:
            last = str(error)
        time.sleep(0.3)
    raise DevstackError(
        f"{name} was not ready on {port} within {timeout:.0f}s ({last}); "
        f"see `devstack logs {name}`"
    )


def down(layout: Layout) -> list[str]:
    stopped = []
    names = list(processes.running(layout))
    # Services first, then what they depend on, so no worker logs a storm of errors.
    order = {s.name: i for i, s in enumerate(reversed(fleet.SERVICES))}
    names.sort(key=lambda n: (n in ("aws",), order.get(n.removesuffix("-worker"), 50)))
    for name in names:
        if processes.stop(layout, name):
            stopped.append(name)
    if _recall(layout, "postgres_private") and postgres.stop_private(layout):
        stopped.append("postgres")
    return stopped


def reset(layout: Layout) -> None:
    ran_private = _recall(layout, "postgres_private")
    down(layout)
    if ran_private:
        # The private server's data is the fleet's data: it goes with the home, and
        # with its own folder where it lived outside it.
        folder = postgres.data_folder(layout).parent
        if folder.exists() and not folder.is_relative_to(layout.home):
            step(f"removing {folder}")
            shutil.rmtree(folder)
    elif ran_private is not None:
        server = postgres.resolve(layout, allow_private=False)
        if server is not None:
            step(f"dropping database {layout.database!r}")
            postgres.drop_database(server, layout.database)
    if layout.home.exists():
        step(f"removing {layout.home}")
        shutil.rmtree(layout.home)


def status(layout: Layout) -> str:
    alive = processes.running(layout)
    rows = []
    for name, port in _ports(layout):
        pid = alive.get(name)
        state = "stopped"
        if pid is not None:
            state = "running"
            if name in {s.name for s in fleet.SERVICES}:
                state = "ready" if _is_ready(port) else "not ready"
        source = _recall_source(layout, name) if pid else ""
        rows.append((name, str(port), str(pid or "-"), state, source))
    return table(rows, ("what", "port", "pid", "state", "runs from"))


def _ports(layout: Layout) -> list[tuple[str, int]]:
    ports = [("aws", layout.port("aws"))]
    ports += [(s.name, layout.port(s.name)) for s in fleet.SIMULATORS]
    for service in fleet.SERVICES:
        ports.append((service.name, layout.port(service.name)))
        ports.append((f"{service.name}-worker", layout.port(service.name)))
    return ports


def _is_ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def summary_table(rows: list[Running]) -> str:
    cells = [
        (
            r.name,
            str(r.port),
            f"http://127.0.0.1:{r.port}"
            if "skipped" not in r.source and r.name not in ("postgres",)
            else "-",
            r.source,
        )
        for r in rows
    ]
    return table(cells, ("what", "port", "url", "runs from"))


def _state_path(layout: Layout) -> Path:
    return layout.home / "state.json"


def _remember(layout: Layout, key: str, value: object) -> None:
    path = _state_path(layout)
    data = json.loads(path.read_text()) if path.exists() else {}
    data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True))


def _recall(layout: Layout, key: str) -> object | None:
    path = _state_path(layout)
    return json.loads(path.read_text()).get(key) if path.exists() else None


def _recall_source(layout: Layout, name: str) -> str:
    return str(_recall(layout, f"source:{name.removesuffix('-worker')}") or "")


__all__ = ["DevstackError", "down", "reset", "status", "summary_table", "up"]
