"""A private PostgreSQL from the machine's binaries, and the roles the fleet gets."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import psycopg
import pytest

from storo_devstack import postgres
from storo_devstack.layout import Layout


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Layout:
    # A private server started as root runs as an unprivileged owner, who must be
    # able to reach its data folder.
    tmp_path.chmod(0o755)
    monkeypatch.setenv("STORO_DEVSTACK_ROLES_FILE", str(tmp_path / "roles.json"))
    result = Layout(
        home=tmp_path, registry=tmp_path, port_offset=os.getpid() % 1000 + 100
    )
    result.ensure()
    return result


class TestPrivateServer:
    def test_it_starts_holds_one_role_per_service_and_stops(
        self, layout: Layout
    ) -> None:
        server = postgres.start_private(layout)
        try:
            assert server.private
            urls = postgres.prepare(server, layout)
            again = postgres.prepare(server, layout)
            assert again == urls  # a second `up` changes nothing

            cts = urls["cts"].replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(cts) as conn:
                conn.execute("CREATE TABLE cts.probe (id int)")
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute("CREATE TABLE ledger.probe (id int)")
        finally:
            stopped = postgres.stop_private(layout)
            folder = postgres.data_folder(layout)
            if not folder.is_relative_to(layout.home):
                shutil.rmtree(folder.parent)
        assert stopped
