"""Starting and stopping by process id: only what the devstack started is touched."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from storo_devstack import processes
from storo_devstack.layout import Layout
from storo_devstack.report import DevstackError


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    result = Layout(home=tmp_path, registry=tmp_path / "index", port_offset=0)
    result.ensure()
    return result


# The devstack starts processes that outlive it on purpose, so it never waits for them;
# inside one test process that shows as "still running" when the Popen is collected.
DETACHED = pytest.mark.filterwarnings(
    "ignore:subprocess .* is still running:ResourceWarning"
)


@DETACHED
class TestProcesses:
    def test_a_started_process_is_known_by_its_pid_and_stopped_with_its_children(
        self, layout: Layout
    ) -> None:
        script = (
            "import subprocess,time; subprocess.Popen(['sleep','60']); time.sleep(60)"
        )
        pid = processes.start(layout, "sleeper", [sys.executable, "-c", script], {})
        assert processes.pid_of(layout, "sleeper") == pid

        assert processes.stop(layout, "sleeper")
        assert processes.pid_of(layout, "sleeper") is None
        group = [p for p in psutil.process_iter() if _in_group(p, pid)]
        assert [p for p in group if p.status() != psutil.STATUS_ZOMBIE] == []

    def test_a_stale_pid_file_is_not_mistaken_for_a_running_process(
        self, layout: Layout
    ) -> None:
        other = subprocess.Popen(["sleep", "30"])
        try:
            # The pid is alive but started at another time: not ours.
            (layout.pids / "ghost.pid").write_text(f"{other.pid} 1.0\n")
            assert processes.pid_of(layout, "ghost") is None
            assert not processes.stop(layout, "ghost")
            assert other.poll() is None
        finally:
            other.kill()
            other.wait()

    def test_a_taken_port_names_the_process_holding_it(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            sock.listen()
            port = sock.getsockname()[1]
            with pytest.raises(DevstackError) as refused:
                processes.ensure_port_free(port, "a service")
        assert f"port {port}" in str(refused.value)
        assert "pid" in str(refused.value)


def _in_group(process: psutil.Process, pgid: int) -> bool:
    try:
        return os.getpgid(process.pid) == pgid
    except ProcessLookupError:
        return False


class TestLayout:
    def test_the_offset_moves_every_port_of_the_fleet(self, tmp_path: Path) -> None:
        base = Layout(home=tmp_path, registry=tmp_path)
        moved = Layout(home=tmp_path, registry=tmp_path, port_offset=1000)
        for name in ("cts", "ledger", "gw-usdc", "algod-sim", "aws"):
            assert moved.port(name) == base.port(name) + 1000
        assert base.port("cts") == 8100
        assert base.port("aws") == 4566
