import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_example_runs_as_written() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "the README has a Python example"
    namespace: dict[str, object] = {}
    for block in blocks:
        # The README's own example, run as written.
        exec(compile(block, str(README), "exec"), namespace)  # noqa: S102
    day = namespace["day"]
    assert str(day) == "2025-12-23"
