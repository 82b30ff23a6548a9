"""The fleet's end-to-end test: the whole fleet up as `make up` brings it, for real.

A second fleet runs on offset ports with its own data folder and database, so a
developer's running fleet is left alone. Every event that crosses the topics is copied
to an audit queue and validated against the storo-specs release the devstack pins.
The test grows with the fleet: a rail whose gateway has no release is reported as
skipped, not silently passed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import httpx
import psutil
import pytest
import storo_specs

from storo_devstack import fleet
from storo_devstack.layout import REPOSITORY_ROOT, Layout

pytestmark = pytest.mark.fleet

OFFSET = 20000
RAILS = {"usdc": "gw-usdc"}
FINAL = {"settled", "returned", "rejected", "failed"}


@dataclass
class Fleet:
    layout: Layout
    env: dict[str, str]

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.layout.port(service)}"

    def devstack(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "storo_devstack.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def runs(self, service: str) -> bool:
        path = self.layout.pids / f"{service}.pid"
        return path.exists()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    home = tmp_path_factory.mktemp("fleet")
    database = f"storo_e2e_{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "STORO_DEVSTACK_HOME": str(home),
        "STORO_DEVSTACK_PORT_OFFSET": str(OFFSET),
        "STORO_DEVSTACK_DATABASE": database,
    }
    layout = Layout(
        home=home,
        registry=Path(os.environ.get("STORO_INDEX", "../.registry")).resolve(),
        port_offset=OFFSET,
        database=database,
    )
    running = Fleet(layout, env)
    started = running.devstack("up")
    print(started.stdout)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield running
    finally:
        running.devstack("reset")


@pytest.fixture(scope="module")
def audit_queue(stack: Fleet) -> Iterator[tuple[object, str]]:
    """A queue subscribed, unfiltered, to every topic of the fleet."""
    sqs = _client(stack, "sqs")
    sns = _client(stack, "sns")
    url = sqs.create_queue(QueueName=f"e2e-audit-{uuid.uuid4().hex[:6]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    for topic in sns.list_topics()["Topics"]:
        sns.subscribe(
            TopicArn=topic["TopicArn"],
            Protocol="sqs",
            Endpoint=arn,
            Attributes={"RawMessageDelivery": "true"},
        )
    yield sqs, url


def _client(stack: Fleet, name: str):  # type: ignore[no-untyped-def]
    return boto3.client(
        name,
        endpoint_url=stack.layout.aws_endpoint,
        region_name="af-south-1",
        aws_access_key_id="devstack",
        aws_secret_access_key="devstack",
    )


def test_every_service_with_a_release_is_ready(stack: Fleet) -> None:
    for service in fleet.SERVICES:
        if not stack.runs(service.name):
            pytest.skip(f"{service.name} has no release yet")
        answer = httpx.get(f"{stack.url(service.name)}/ready", timeout=5)
        assert answer.status_code == 200, (service.name, answer.text)
        version = httpx.get(f"{stack.url(service.name)}/version", timeout=5).json()
        assert version["specs_version"] == storo_specs.VERSION


def test_a_second_up_changes_nothing(stack: Fleet) -> None:
    before = {p.name: p.read_text() for p in stack.layout.pids.glob("*.pid")}
    again = stack.devstack("up")
    assert again.returncode == 0, again.stderr
    after = {p.name: p.read_text() for p in stack.layout.pids.glob("*.pid")}
    assert before == after


@pytest.mark.parametrize("rail", sorted(RAILS))
def test_a_transfer_reaches_settled_and_is_booked(
    stack: Fleet, audit_queue: tuple[object, str], rail: str
) -> None:
    if not stack.runs("cts") or not stack.runs(RAILS[rail]):
        pytest.skip(f"cts or {RAILS[rail]} has no release yet")
    body = demo_transfer(stack, rail)
    created = httpx.post(
        f"{stack.url('cts')}/v1/transfers",
        json=body,
        headers={"Idempotency-Key": str(uuid.uuid4())},
        timeout=10,
    )
    assert created.status_code == 201, created.text
    transfer = created.json()

    final = follow(stack, transfer["transfer_id"], timeout=90)
    assert final["status"] == "settled", final

    if stack.runs("ledger"):
        booked = wait_for_entries(stack, transfer["transfer_id"])
        assert {entry["kind"] for entry in booked} >= {"hold", "post"}


def test_every_event_on_the_topics_validates_against_the_pinned_specs(
    stack: Fleet, audit_queue: tuple[object, str]
) -> None:
    sqs, url = audit_queue
    envelopes = drain(sqs, url)
    if not envelopes:
        pytest.skip("no event crossed the topics (no transfer ran)")
    for envelope in envelopes:
        storo_specs.validate_event(envelope)
    types = {e["type"] for e in envelopes}
    assert "transfers.submitted.usdc" in types or not stack.runs("gw-usdc")


def test_the_trial_balance_is_zero_in_every_currency(stack: Fleet) -> None:
    if not stack.runs("ledger"):
        pytest.skip("ledger has no release yet")
    balance = httpx.get(f"{stack.url('ledger')}/v1/trial-balance", timeout=10)
    assert balance.status_code == 200, balance.text
    trial = balance.json()
    assert trial["balanced"] is True
    for total in trial["totals"]:
        assert total["debits"] == total["credits"], total
        assert total["pending_debits"] == total["pending_credits"], total


def test_a_swapped_service_runs_from_source_and_reloads_on_an_edit(
    stack: Fleet, tmp_path: Path
) -> None:
    if not stack.runs("directory"):
        pytest.skip("directory has no release yet")
    source = tmp_path / "storo-directory"
    shutil.copytree(
        REPOSITORY_ROOT / "storo-directory",
        source,
        ignore=shutil.ignore_patterns(".venv", "dist", "__pycache__", "*.egg-info"),
    )
    swapped = stack.devstack("up", "--swap", f"directory={source}")
    assert swapped.returncode == 0, swapped.stdout + swapped.stderr
    assert f"swap {source}" in swapped.stdout

    init = source / "src" / "storo_directory" / "__init__.py"
    init.write_text(init.read_text().replace('"1.0.0"', '"1.0.0+edited"'))
    deadline = time.monotonic() + 30
    version = ""
    while time.monotonic() < deadline and "edited" not in version:
        time.sleep(0.5)
        try:
            answer = httpx.get(f"{stack.url('directory')}/version", timeout=2)
            version = answer.json()["version"]
        except (httpx.HTTPError, ValueError):
            continue  # the reloader is between two processes
    assert version == "1.0.0+edited"


def test_down_leaves_no_process_of_the_fleet(stack: Fleet) -> None:
    pids = [int(p.read_text().split()[0]) for p in stack.layout.pids.glob("*.pid")]
    assert pids
    stopped = stack.devstack("down")
    assert stopped.returncode == 0, stopped.stderr

    alive = [pid for pid in pids if psutil.pid_exists(pid) and not _zombie(pid)]
    assert alive == []
    listening = {
        c.laddr.port
        for c in psutil.net_connections("tcp")
        if c.laddr and c.status == psutil.CONN_LISTEN
    }
    ports = [stack.layout.port(s.name) for s in fleet.SERVICES]
    ports += [stack.layout.port(f"{s.name}-worker") for s in fleet.SERVICES]
    ports += [stack.layout.port("aws"), stack.layout.port("algod-sim")]
    assert not listening.intersection(ports)


def _zombie(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def demo_transfer(stack: Fleet, rail: str) -> dict[str, object]:
    creditor_wallet = (stack.layout.home / "demo-usdc-wallet").read_text().strip()
    return {
        "amount": {"amount": "25.000000", "currency": "USDC"},
        "rail": rail,
        "debtor": {
            "name": "Thandiwe Nkosi",
            "type": "individual",
            "account": fleet.DEMO_DEBTOR_ACCOUNT,
            "institution": "FIRNZAJJ",
            "country": "ZA",
        },
        "creditor": {
            "name": "Tendai Moyo",
            "type": "individual",
            "account": creditor_wallet,
            "institution": None,
            "country": "ZW",
        },
        "reference": "E2E-" + uuid.uuid4().hex[:8],
        "purpose": "family support",
    }


def follow(stack: Fleet, transfer_id: str, timeout: float) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    transfer: dict[str, object] = {}
    while time.monotonic() < deadline:
        answer = httpx.get(f"{stack.url('cts')}/v1/transfers/{transfer_id}", timeout=5)
        transfer = answer.json()
        if transfer.get("status") in FINAL:
            return transfer
        time.sleep(0.5)
    return transfer


def wait_for_entries(stack: Fleet, transfer_id: str) -> list[dict[str, object]]:
    deadline = time.monotonic() + 30
    entries: list[dict[str, object]] = []
    while time.monotonic() < deadline:
        answer = httpx.get(
            f"{stack.url('ledger')}/v1/transfers/{transfer_id}/entries", timeout=5
        )
        if answer.status_code == 200:
            entries = answer.json()["items"]
            if any(entry["kind"] == "post" for entry in entries):
                return entries
        time.sleep(0.5)
    return entries


def drain(sqs, url: str) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    envelopes: list[dict[str, object]] = []
    quiet_rounds = 0
    while quiet_rounds < 3:
        batch = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1
        ).get("Messages", [])
        if not batch:
            quiet_rounds += 1
            continue
        quiet_rounds = 0
        for message in batch:
            envelopes.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return envelopes
