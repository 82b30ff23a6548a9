"""The Docker Compose files: the structure a `docker compose up` relies on."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from storo_devstack import fleet

HERE = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((HERE / "docker-compose.yml").read_text())


class TestCompose:
    def test_runs_the_platform_parts_and_every_service_of_the_fleet(
        self,
        compose: dict,  # type: ignore[type-arg]
    ) -> None:
        services = set(compose["services"])
        assert {"postgres", "localstack", "prometheus", "grafana"} <= services
        for service in fleet.SERVICES:
            assert service.name in services
            assert f"{service.name}-worker" in services

    def test_each_service_is_built_from_its_own_dockerfile_on_its_port(
        self,
        compose: dict,  # type: ignore[type-arg]
    ) -> None:
        for service in fleet.SERVICES:
            spec = compose["services"][service.name]
            assert spec["build"]["dockerfile"] == f"../storo-{service.name}/Dockerfile"
            assert (HERE.parent / f"storo-{service.name}").is_dir()
            assert f"{service.port}:{service.port}" in spec["ports"]

    def test_each_service_waits_for_its_migration_which_waits_for_provisioning(
        self,
        compose: dict,  # type: ignore[type-arg]
    ) -> None:
        for service in fleet.SERVICES:
            migrate = compose["services"][f"{service.name}-migrate"]
            assert "provision" in migrate["depends_on"]
            assert migrate["command"][0].startswith(f"storo-{service.name} migrate")
            for role in (service.name, f"{service.name}-worker"):
                spec = compose["services"][role]
                assert f"{service.name}-migrate" in spec["depends_on"]
                url = spec["environment"][f"{service.env_prefix}DATABASE_URL"]
                assert url.startswith(f"postgresql+psycopg://{service.schema}@postgres")

    def test_workers_run_the_worker_command_of_their_image(
        self,
        compose: dict,  # type: ignore[type-arg]
    ) -> None:
        # The images' entrypoint is the service's own command.
        for service in fleet.SERVICES:
            assert compose["services"][f"{service.name}-worker"]["command"] == [
                "worker"
            ]

    def test_the_devstack_seeds_are_the_compose_seeds(
        self,
        compose: dict,  # type: ignore[type-arg]
    ) -> None:
        for service in fleet.SERVICES:
            command = compose["services"][f"{service.name}-migrate"]["command"][0]
            for seed in service.seeds:
                assert f"storo-{service.name} {seed[0]}" in command

    def test_prometheus_scrapes_every_service(self) -> None:
        config = yaml.safe_load((HERE / "compose" / "prometheus.yml").read_text())
        static = config["scrape_configs"][0]["static_configs"]
        targets = {target for group in static for target in group["targets"]}
        assert {f"{s.name}:{s.port}" for s in fleet.SERVICES} <= targets
        assert {"ledger-worker:8201", "gw-usdc-worker:8611"} <= targets

    def test_the_override_example_swaps_one_service_for_a_host_build(self) -> None:
        text = (HERE / "docker-compose.override.yml.example").read_text()
        # !reset is a Compose tag; a plain YAML loader needs to be told it is harmless.

        class ComposeLoader(yaml.SafeLoader):
            pass

        ComposeLoader.add_constructor("!reset", lambda loader, node: None)
        override = yaml.load(text, Loader=ComposeLoader)
        swapped = override["services"]["gw-usdc"]
        assert "--reload" in swapped["command"]
        assert any(v.startswith("../storo-gw-usdc:") for v in swapped["volumes"])

    @pytest.mark.skipif(shutil.which("docker") is None, reason="no Docker client")
    def test_docker_compose_accepts_the_file(self) -> None:
        plugin = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if plugin.returncode != 0:
            pytest.skip("the Docker client has no compose plugin")
        result = subprocess.run(
            ["docker", "compose", "-f", "docker-compose.yml", "config", "--quiet"],
            cwd=HERE,
            capture_output=True,
            text=True,
        )
        if (
            "unknown command" in result.stderr
            or "is not a docker command" in result.stderr
        ):
            pytest.skip("the Docker client has no compose plugin")
        assert result.returncode == 0, result.stderr
