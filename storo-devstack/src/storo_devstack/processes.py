"""Starting and stopping the fleet's processes, by process id and nothing else.

Each process the devstack starts gets a pid file and a log file named for it. `down`
stops exactly the processes in those pid files (their whole process group, so uvicorn's
reloader and its child go together) and leaves anything else on the machine alone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import psutil

from storo_devstack.layout import Layout
from storo_devstack.report import DevstackError


def pid_of(layout: Layout, name: str) -> int | None:
    """The pid of a running devstack process, or None (a stale pid file is removed)."""
    path = layout.pids / f"{name}.pid"
    if not path.exists():
        return None
    pid = int(path.read_text().split()[0])
    started = float(path.read_text().split()[1])
    try:
        process = psutil.Process(pid)
        # A recycled pid belongs to a process that started after ours did.
        same = abs(process.create_time() - started) < 1.0
        if same and process.status() != psutil.STATUS_ZOMBIE:
            return pid
    except psutil.NoSuchProcess:
        pass
    path.unlink(missing_ok=True)
    return None


def start(
    layout: Layout,
    name: str,
    argv: Sequence[str],
    env: Mapping[str, str],
    cwd: Path | None = None,
) -> int:
    # The child keeps its own copy of the log's descriptor; ours closes at once.
    with (layout.logs / f"{name}.log").open("ab") as log:
        process = subprocess.Popen(
            list(argv),
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            start_new_session=True,
        )
    created = psutil.Process(process.pid).create_time()
    (layout.pids / f"{name}.pid").write_text(f"{process.pid} {created}\n")
    return process.pid


def stop(layout: Layout, name: str, timeout: float = 10.0) -> bool:
    pid = pid_of(layout, name)
    if pid is None:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _group_alive(pid):
        time.sleep(0.1)
    if _group_alive(pid):
        os.killpg(pid, signal.SIGKILL)
    (layout.pids / f"{name}.pid").unlink(missing_ok=True)
    return True


def _group_alive(pgid: int) -> bool:
    for process in psutil.process_iter(["pid"]):
        try:
            if os.getpgid(process.pid) == pgid and process.status() != "zombie":
                return True
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
    return False


def running(layout: Layout) -> dict[str, int]:
    names = sorted(path.stem for path in layout.pids.glob("*.pid"))
    pids = {name: pid_of(layout, name) for name in names}
    return {name: pid for name, pid in pids.items() if pid is not None}


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def ensure_port_free(port: int, purpose: str) -> None:
    if not port_open(port):
        return
    holder = holder_of(port)
    raise DevstackError(
        f"port {port} (wanted for {purpose}) is taken by {holder}; stop it, or run the "
        "fleet on other ports with STORO_DEVSTACK_PORT_OFFSET=1000"
    )


def holder_of(port: int) -> str:
    try:
        connections = psutil.net_connections(kind="tcp")
    except psutil.AccessDenied:
        return "a process this user cannot see (try `sudo ss -ltnp`)"
    for connection in connections:
        ours = connection.laddr and connection.laddr.port == port
        if ours and connection.pid and connection.status == psutil.CONN_LISTEN:
            process = psutil.Process(connection.pid)
            command = " ".join(process.cmdline())[:80]
            return f"pid {connection.pid} ({command})"
    return "an unknown process"


def wait_for_port(port: int, timeout: float, name: str, layout: Layout) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(port):
            return
        if pid_of(layout, name) is None:
            raise DevstackError(f"{name} exited; see `devstack logs {name}`")
        time.sleep(0.2)
    raise DevstackError(f"{name} did not listen on {port} within {timeout:.0f}s")
