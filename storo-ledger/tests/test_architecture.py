"""Rules of the code base, checked: SQL only in repositories, no other service."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "storo_ledger"
MODULES = sorted(p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts)
ALLOWED_SQL = {"repository.py"}
SERVICES = (
    "storo_cts",
    "storo_gw_",
    "storo_recon",
    "storo_compliance",
    "storo_directory",
)


def calls_text(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "text"
        for node in ast.walk(tree)
    )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_sql_lives_only_in_repositories(path: Path) -> None:
    tree = ast.parse(path.read_text())
    if path.name not in ALLOWED_SQL:
        assert not calls_text(tree), f"{path.name} builds SQL outside a repository"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_no_other_service_is_imported(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
            )
            for name in names:
                assert not name.startswith(SERVICES), f"{path.name} imports {name}"
