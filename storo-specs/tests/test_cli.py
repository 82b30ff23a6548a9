from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storo_specs.cli import main
from tests.conftest import FIXTURES, load


def write(path: Path, obj: object) -> str:
    path.write_text(json.dumps(obj))
    return str(path)


class TestValidateCommand:
    def test_valid_envelope_and_api_example(self, tmp_path, capsys):
        files = [
            str(FIXTURES / "events/valid/transfers.accepted.json"),
            str(FIXTURES / "api/valid/cts.Transfer.json"),
        ]
        assert main(["validate", *files]) == 0
        out = capsys.readouterr().out
        assert "ok (event transfers.accepted v1)" in out
        assert "ok (api cts Transfer)" in out

    def test_failure_prints_pointer_and_rule_and_exits_1(self, tmp_path, capsys):
        envelope = load(FIXTURES / "events/valid/transfers.settled.json")
        envelope["data"]["amount"]["amount"] = "1.1234567"
        path = write(tmp_path / "bad.json", envelope)
        assert main(["validate", path]) == 1
        assert capsys.readouterr().out == (
            f"{path}: /data/amount/amount: too_many_decimals: '1.1234567' does not "
            "match '^[0-9]+(\\\\.[0-9]{1,6})?$'\n"
        )

    def test_array_of_samples_is_labelled_by_index(self, tmp_path, capsys):
        good = load(FIXTURES / "events/valid/transfers.accepted.json")
        bad = {
            "document": "directory",
            "component": "Corridor",
            "instance": {"from": "ZA"},
        }
        path = write(tmp_path / "many.json", [good, bad])
        assert main(["validate", "-q", path]) == 1
        assert capsys.readouterr().out == (
            f"{path}[1]: /to: required: 'to' is a required property\n"
        )

    @pytest.mark.parametrize(
        ("sample", "expected"),
        [
            ({"specversion": "1.0", "type": "x.y", "v": 1}, "UnknownEventType"),
            ({"document": "nope", "component": "X", "instance": {}}, "UnknownDocument"),
            ({"hello": "world"}, "sample_shape"),
        ],
    )
    def test_unknown_things_fail(self, tmp_path, capsys, sample, expected):
        assert main(["validate", write(tmp_path / "s.json", sample)]) == 1
        assert expected in capsys.readouterr().out

    def test_unreadable_file(self, tmp_path, capsys):
        (tmp_path / "broken.json").write_text("{not json")
        assert main(["validate", str(tmp_path / "broken.json")]) == 1
        assert "unreadable" in capsys.readouterr().out

    def test_console_script_is_installed(self):
        script = Path(sys.executable).parent / "storo-specs"
        run = subprocess.run([str(script), "version"], capture_output=True, text=True)
        assert run.returncode == 0
        assert run.stdout.strip().startswith("1.")
