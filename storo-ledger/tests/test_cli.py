"""The operator commands: fund (idempotent) and migrate (one head, re-runnable)."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory
from storo_platform.migrations import config
from storo_testing import ServiceDatabase

from storo_ledger import cli
from storo_ledger.accounts import chart
from tests import events
from tests.conftest import Books


@pytest.fixture
def ledger_env(ledger_db: ServiceDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORO_LEDGER_DATABASE_URL", ledger_db.url)


@pytest.mark.usefixtures("ledger_env")
class TestFund:
    def test_books_a_deposit_once_per_reference(self, books: Books) -> None:
        account = events.new_account()
        args = [
            "fund",
            "--account",
            account,
            "--amount",
            "1000.00",
            "--currency",
            "USDC",
        ]
        assert cli.main(args) == 0
        assert cli.main(args) == 0  # the devstack may seed twice
        balance = books.figures(chart.customer(account, "USDC"))
        assert balance.posted == 1_000_000_000
        assert cli.main([*args, "--reference", "second"]) == 0
        assert books.figures(chart.customer(account, "USDC")).posted == 2_000_000_000

    def test_a_float_like_amount_is_refused(self) -> None:
        with pytest.raises(SystemExit, match="too_many_decimals"):
            cli.main(
                ["fund", "--account", "A", "--amount", "1.001", "--currency", "ZAR"]
            )


@pytest.mark.usefixtures("ledger_env")
class TestMigrate:
    def test_migrations_have_one_head(self, ledger_db: ServiceDatabase) -> None:
        heads = ScriptDirectory.from_config(
            config("storo_ledger", ledger_db.url)
        ).get_heads()
        assert heads == ["0001_books"]

    def test_running_migrate_again_changes_nothing(self) -> None:
        assert cli.main(["migrate"]) == 0
