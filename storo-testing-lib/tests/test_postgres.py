from __future__ import annotations

import pytest

from storo_testing import postgres as pg


class TestFindOrStart:
    def test_the_environment_url_wins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(pg.ENV_URL, "postgresql://someone@db.example:6543/x")
        server = pg.find_or_start()
        assert server.admin_url == "postgresql+psycopg://someone@db.example:6543/x"
        assert server.data_dir is None


class TestThrowawayServer:
    def test_starts_answers_and_is_removed_when_stopped(self) -> None:
        server = pg.start_throwaway()
        try:
            assert server.data_dir is not None
            assert server.url.port != 5432
            with server.connect() as conn:
                version = conn.execute("SHOW server_version_num").fetchone()
            assert version is not None
            assert int(str(version[0])) >= 150000
        finally:
            server.stop()
        assert server.data_dir is not None
        assert not server.data_dir.exists()
        assert not pg.answers(server.url)
