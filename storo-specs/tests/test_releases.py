"""A released version is immutable, reproducible from the tree, and builds a wheel."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import bundles
from build_release import build
from bundles import RELEASES, BundleError, freeze, released_versions, verify
from tests.conftest import ROOT

VERSIONS = released_versions()


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


def _in_git_history() -> bool:
    probe = _git("rev-parse", "--is-inside-work-tree")
    return probe.returncode == 0 and probe.stdout.strip() == "true"


class TestReleasedVersionsDoNotChange:
    def test_version_1_0_0_exists(self):
        assert "1.0.0" in VERSIONS

    @pytest.mark.parametrize("version", VERSIONS)
    def test_bundle_matches_its_manifest_and_the_index(self, version):
        assert verify(version).problems == []

    def test_index_lists_exactly_the_bundles(self):
        assert list(bundles.read_index()["releases"]) == VERSIONS

    @pytest.mark.parametrize("version", VERSIONS)
    def test_bundle_is_unchanged_since_the_commit_that_released_it(self, version):
        if not _in_git_history():
            pytest.skip("not a git checkout: the manifest check above still applies")
        added = _git(
            "log",
            "--diff-filter=A",
            "--format=%H",
            "--",
            f"releases/{version}/manifest.json",
        ).stdout.split()
        if not added:
            pytest.skip(f"release {version} is not committed yet")
        first = added[-1]
        diff = _git("diff", "--name-only", first, "--", f"releases/{version}")
        assert diff.returncode == 0
        assert diff.stdout.strip() == "", f"changed since {first[:10]}"

    @pytest.mark.parametrize("version", VERSIONS)
    def test_frozen_package_validates_its_frozen_fixtures(self, version):
        src = RELEASES / version / "src"
        script = (
            "import json, pathlib, storo_specs as s;"
            f"assert s.VERSION == {version!r}, s.VERSION;"
            "root = pathlib.Path(s.__file__).parents[2];"
            "[s.validate_example(json.loads(p.read_text()))"
            " for p in sorted(root.glob('fixtures/*/valid/*.json'))]"
        )
        run = subprocess.run(
            [sys.executable, "-c", script],
            env={"PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            text=True,
            cwd="/",
        )
        assert run.returncode == 0, run.stderr


class TestTamperingIsDetected:
    @pytest.fixture
    def releases(self, tmp_path: Path) -> Path:
        copy = tmp_path / "releases"
        shutil.copytree(RELEASES, copy)
        return copy

    def test_edited_schema(self, releases):
        path = releases / "1.0.0/events/transfers.accepted/v1.json"
        path.write_text(path.read_text().replace("rail_reference", "rail_ref"))
        assert verify("1.0.0", releases).problems == [
            "1.0.0/events/transfers.accepted/v1.json: content changed"
        ]

    def test_added_file(self, releases):
        (releases / "1.0.0/events/transfers.extra").mkdir()
        (releases / "1.0.0/events/transfers.extra/v1.json").write_text("{}")
        assert verify("1.0.0", releases).problems == [
            "1.0.0/events/transfers.extra/v1.json: added after release"
        ]

    def test_removed_file(self, releases):
        (releases / "1.0.0/api/recon.json").unlink()
        assert verify("1.0.0", releases).problems == ["1.0.0/api/recon.json: removed"]

    def test_manifest_rewritten_to_match_an_edit(self, releases):
        path = releases / "1.0.0/topology.json"
        path.write_text(
            path.read_text().replace('"max_receive_count": 5', '"max_receive_count": 9')
        )
        manifest_path = releases / "1.0.0/manifest.json"
        manifest = json.loads(manifest_path.read_text())
        manifest["files"]["topology.json"] = hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        manifest_path.write_text(json.dumps(manifest))
        assert verify("1.0.0", releases).problems == [
            "1.0.0/manifest.json: differs from releases/index.json"
        ]

    def test_tampered_bundle_builds_no_wheel(self, releases, tmp_path):
        (releases / "1.0.0/api/recon.json").write_text("{}")
        with pytest.raises(BundleError, match="content changed"):
            build("1.0.0", tmp_path / "dist", releases)

    def test_an_existing_release_cannot_be_cut_again(self):
        with pytest.raises(BundleError, match="immutable"):
            freeze("1.0.0")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(VERSIONS[0], tmp_path_factory.mktemp("dist"))


class TestWheels:
    def test_wheel_is_named_for_the_release(self, wheel):
        assert wheel.name == f"storo_specs-{VERSIONS[0]}-py3-none-any.whl"

    def test_wheel_carries_exactly_the_frozen_contracts(self, wheel):
        manifest = json.loads((RELEASES / VERSIONS[0] / "manifest.json").read_text())
        prefix = "storo_specs/_contracts/"
        with zipfile.ZipFile(wheel) as archive:
            packed = {
                name[len(prefix) :]: hashlib.sha256(archive.read(name)).hexdigest()
                for name in archive.namelist()
                if name.startswith(prefix)
            }
        frozen = {
            name: digest
            for name, digest in manifest["files"].items()
            if name.split("/")[0] in {"events", "api"}
            or name in {"topology.json", "topology.schema.json"}
        }
        assert packed == frozen

    def test_wheel_build_is_reproducible(self, wheel, tmp_path):
        again = build(VERSIONS[0], tmp_path)
        assert again.read_bytes() == wheel.read_bytes()
