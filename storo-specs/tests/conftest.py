from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def accepted() -> dict[str, Any]:
    """A valid transfers.accepted envelope, fresh for each test to change."""
    loaded: dict[str, Any] = load(FIXTURES / "events/valid/transfers.accepted.json")
    return loaded
