"""`make release` end to end, on a scratch copy of the project."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bundles import latest, parse_version, released_versions
from tests.conftest import ROOT

ACCEPTED = "events/transfers.accepted/v1.json"
LATEST = latest() or "0.0.0"
_MAJOR, _MINOR, _PATCH = parse_version(LATEST)
PATCH = f"{_MAJOR}.{_MINOR}.{_PATCH + 1}"
MINOR = f"{_MAJOR}.{_MINOR + 1}.0"
MAJOR = f"{_MAJOR + 1}.0.0"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("project") / "storo-specs"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "dist", ".git", "*_cache", "__pycache__"
        ),
    )
    return copy


def release(project: Path, version: str) -> subprocess.CompletedProcess[str]:
    # the copy's own package, not the one installed from the working tree
    env = {**os.environ, "PYTHONPATH": f"{project / 'src'}:{project / 'tools'}"}
    return subprocess.run(
        [sys.executable, str(project / "tools/release.py"), version],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )


def edit(project: Path, rel: str, change) -> None:  # type: ignore[no-untyped-def]
    path = project / rel
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc, indent=2))


class TestReleaseFlow:
    """Ordered: each step builds on the releases the previous one made."""

    def test_1_additive_change_is_refused_as_a_patch(self, project):
        edit(
            project,
            ACCEPTED,
            lambda d: d["$defs"]["data"]["properties"].update(
                confirmations={"type": "integer", "minimum": 0}
            ),
        )
        run = release(project, PATCH)
        assert run.returncode == 1
        assert "need a minor release" in run.stdout
        assert not (project / "releases" / PATCH).exists()

    def test_2_additive_change_is_released_as_a_minor(self, project):
        run = release(project, MINOR)
        assert run.returncode == 0, run.stdout + run.stderr
        bundle = project / "releases" / MINOR
        manifest = json.loads((bundle / "manifest.json").read_text())
        assert manifest["version"] == MINOR
        assert ACCEPTED in manifest["files"]
        frozen = (bundle / "src/storo_specs/_version.py").read_text()
        assert f'VERSION = "{MINOR}"' in frozen
        index = json.loads((project / "releases/index.json").read_text())
        assert list(index["releases"]) == [*released_versions(), MINOR]

    def test_3_earlier_releases_are_untouched(self, project):
        for version in released_versions():
            for name in ("manifest.json", ACCEPTED):
                assert (project / "releases" / version / name).read_bytes() == (
                    ROOT / "releases" / version / name
                ).read_bytes()

    def test_4_breaking_change_is_refused_even_as_a_major(self, project):
        edit(
            project,
            ACCEPTED,
            lambda d: d["$defs"]["data"]["properties"].pop("accepted_at"),
        )
        run = release(project, MAJOR)
        assert run.returncode == 1
        assert "property_removed" in run.stdout
        assert not (project / "releases" / MAJOR).exists()

    def test_5_a_release_number_is_used_once(self, project):
        run = release(project, MINOR)
        assert run.returncode == 1
        assert "not above the latest release" in run.stdout

    def test_6_a_number_must_be_semver(self, project):
        run = release(project, "1.2")
        assert run.returncode == 1
        assert "not a release number" in run.stdout
