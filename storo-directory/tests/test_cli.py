"""The storo-directory commands, against a database of their own (they commit)."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from storo_testing.databases import ServiceDatabase

from storo_directory.cli import main


@pytest.fixture
def migrated(fresh_database: ServiceDatabase, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("STORO_DIRECTORY_DATABASE_URL", fresh_database.url)
    monkeypatch.setenv("STORO_DIRECTORY_LOG_FORMAT", "console")
    assert main(["migrate"]) == 0
    return fresh_database.url


def count(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def test_load_samples_is_idempotent(
    migrated: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load-samples"]) == 0
    first = capsys.readouterr().out
    assert first.count("published: ") == 4
    assert "already" not in first
    assert main(["load-samples"]) == 0
    assert capsys.readouterr().out.count("already published") == 4
    assert count(migrated, "SELECT count(*) FROM directory.dataset_versions") == 4
    assert count(migrated, "SELECT count(*) FROM directory.outbox") == 4


def test_refused_import_lists_each_row_and_publishes_nothing(
    migrated: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "fees.csv"
    bad.write_text(
        "rail,from,to,currency,fixed,percentage,minimum,maximum\n"
        "oppwa,ZA,ZA,ZAR,2.50,0.01,3.00,150.00\n"
        "swift,ZA,ZW,USD,1.00,0.01,1.00,9.00\n"
        "oppwa,ZA,ZW,USD,-1.00,0.01,1.00,9.00\n"
    )
    assert main(["import", "fees", str(bad), "--version", "2026.1"]) == 1
    err = capsys.readouterr().err
    assert "nothing was published" in err
    assert "row 2 rail: unknown_rail" in err
    assert "row 3 fixed: negative_fee" in err
    assert count(migrated, "SELECT count(*) FROM directory.dataset_versions") == 0
    assert count(migrated, "SELECT count(*) FROM directory.outbox") == 0


def test_import_publishes_a_json_file(
    migrated: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "windows.json"
    good.write_text(
        '{"version": "2026.2", "records": [{"rail": "zimswitch", "window": "zs",'
        ' "cutoff": "14:00", "settlement_lag_days": 1, "calendar_countries": ["ZW"]}]}'
    )
    assert main(["import", "settlement_windows", str(good), "--operator", "ops-7"]) == 0
    assert "published: settlement_windows 2026.2 (1 records" in capsys.readouterr().out
    assert (
        count(
            migrated,
            "SELECT count(*) FROM directory.dataset_versions "
            "WHERE published_by = 'ops-7' AND source = 'cli'",
        )
        == 1
    )
