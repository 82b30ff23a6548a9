"""Rules of the codebase, checked: SQL in repositories, no other service imported."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "storo_directory"
SQL_NAMES = {"select", "insert", "update", "delete", "text", "func"}
# Where SQL may be written: repositories, migrations, and the engine setup.
SQL_ALLOWED = {"repository.py", "db.py", "env.py"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_sql_only_in_repositories() -> None:
    offenders = []
    for path in modules():
        if path.name in SQL_ALLOWED or "versions" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "sqlalchemy"
            ):
                names = {alias.name for alias in node.names}
                if names & SQL_NAMES:
                    offenders.append(f"{path.name}: {sorted(names & SQL_NAMES)}")
    assert offenders == []


def test_no_other_service_is_imported() -> None:
    allowed = {"storo_directory", "storo_platform", "storo_otel", "storo_outbox"}
    found = set()
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module.split(".")[0])
    assert {name for name in found if name.startswith("storo_")} <= allowed
