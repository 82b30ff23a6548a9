"""`make contract-validate`: every golden fixture gives its expected verdict."""

from __future__ import annotations

import sys
from pathlib import Path

from fixture_check import check_tree


def main() -> int:
    root = Path(__file__).resolve().parents[1] / "fixtures"
    verdicts = check_tree(root)
    failed = [v for v in verdicts if v.problem]
    for verdict in failed:
        print(f"{verdict.path.relative_to(root)}: {verdict.problem}")
    print(f"{len(verdicts) - len(failed)} fixtures ok, {len(failed)} wrong")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
