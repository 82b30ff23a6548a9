"""The console script's commands and their refusals."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from storo_cts.cli import main, worker
from storo_cts.settings import CtsSettings, get_settings


def test_the_worker_refuses_to_start_without_its_topic_and_queue(
    settings: CtsSettings,
) -> None:
    unconfigured = settings.model_copy(
        update={"events_topic_arn": None, "inbox_queue_url": None}
    )
    with pytest.raises(SystemExit, match="STORO_CTS_EVENTS_TOPIC_ARN"):
        worker(unconfigured, threading.Event())


def test_an_unknown_command_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["launch"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_migrate_twice_from_the_environment_changes_nothing(
    database: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORO_CTS_DATABASE_URL", database.url)
    get_settings.cache_clear()
    try:
        main(["migrate"])
        main(["migrate"])
    finally:
        get_settings.cache_clear()
