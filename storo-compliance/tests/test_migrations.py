"""Migrations match the models, have one head, and the role owns the schema."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from storo_platform.migrations import config

SRC = Path(__file__).resolve().parents[1] / "src/storo_compliance"


class TestMigrations:
    def test_single_head(self, database: Any) -> None:
        script = ScriptDirectory.from_config(config("storo_compliance", database.url))
        assert len(script.get_heads()) == 1

    def test_models_and_migrations_do_not_drift(self, database: Any) -> None:
        # raises when autogenerate would produce any operation
        command.check(config("storo_compliance", database.url))

    def test_tables_live_in_the_compliance_schema_owned_by_its_role(
        self, database: Any
    ) -> None:
        engine = sa.create_engine(database.admin_url)
        with engine.connect() as conn:
            owners = dict(
                conn.execute(
                    sa.text(
                        "SELECT tablename, tableowner FROM pg_tables "
                        "WHERE schemaname = 'compliance'"
                    )
                ).all()
            )
        engine.dispose()
        assert {"list_versions", "screenings", "rule_outs", "outbox"} <= set(owners)
        assert set(owners.values()) == {"compliance"}


class TestArchitecture:
    def test_sql_lives_only_in_repositories(self) -> None:
        sql = re.compile(r"\b(sa\.select|sa\.text|\.insert\(\)|\.update\(\))")
        allowed = {"repository.py", "db.py"}
        offenders = [
            str(path.relative_to(SRC))
            for path in SRC.rglob("*.py")
            if path.name not in allowed
            and "migrations" not in path.parts
            and sql.search(path.read_text())
        ]
        assert offenders == []

    def test_no_other_service_is_imported(self) -> None:
        services = re.compile(
            r"^\s*(from|import) storo_(cts|ledger|directory|recon|gw_\w+)\b", re.M
        )
        hits = [p.name for p in SRC.rglob("*.py") if services.search(p.read_text())]
        assert hits == []
