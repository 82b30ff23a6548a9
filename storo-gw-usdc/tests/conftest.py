"""Fixtures: the gateway against real PostgreSQL, moto's server and the simulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from storo_platform.migrations import upgrade
from storo_testing import drain

from storo_gw_usdc import SCHEMA, runtime
from storo_gw_usdc.algorand.keys import Wallet
from storo_gw_usdc.algorand.wallet import secret_value
from storo_gw_usdc.payloads.vault import PayloadVault
from storo_gw_usdc.settings import GatewaySettings
from storo_gw_usdc.sim.server import Simulator
from storo_gw_usdc.transfers.consumers import make_consumer
from storo_gw_usdc.transfers.service import Gateway
from storo_gw_usdc.transfers.worker import RailWorker
from tests.helpers import USDC_ASSET

HOT = Wallet.from_label("storo-test-hot-wallet")
CREDITOR = Wallet.from_label("storo-test-creditor")
STRANGER = Wallet.from_label("storo-test-not-opted-in")
SECRET_ID = "storo/gw-usdc/test-hot-wallet"
HOT_USDC = 10_000 * 10**6


@pytest.fixture(scope="session")
def database(service_database_factory: Any) -> Any:
    db = service_database_factory(SCHEMA)
    upgrade("storo_gw_usdc", db.url)
    return db


@pytest.fixture(scope="session")
def engine(database: Any) -> Iterator[Engine]:
    eng = sa.create_engine(database.url)
    yield eng
    eng.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "engine" not in request.fixturenames:
        return
    eng: Engine = request.getfixturevalue("engine")
    with eng.begin() as conn:
        conn.execute(
            sa.text(
                f"TRUNCATE {SCHEMA}.raw_payloads, {SCHEMA}.rail_transfers,"
                f" {SCHEMA}.outbox, {SCHEMA}.inbox"
            )
        )


@pytest.fixture(scope="session")
def settings(aws: Any, database: Any, topology: dict[str, str]) -> GatewaySettings:
    secrets = aws.client("secretsmanager")
    secrets.create_secret(Name=SECRET_ID, SecretString=secret_value(HOT))
    gateway_settings = GatewaySettings(
        database_url=database.url,
        aws_endpoint_url=aws.endpoint_url,
        aws_region=aws.client("s3").meta.region_name,
        events_topic_arn=topology["storo-gw-usdc-events"],
        inbox_queue_url=topology["storo-gw-usdc-inbox"],
        hot_wallet_secret_id=SECRET_ID,
        payload_bucket="storo-gw-usdc-test-payloads",
        algod_url="http://127.0.0.1:9",
    )
    runtime.vault(gateway_settings).ensure_storage(gateway_settings.aws_region)
    return gateway_settings


@pytest.fixture
def sim() -> Iterator[Simulator]:
    simulator = Simulator(port=0, round_seconds=0, advance_on_wait=True).start()
    chain = simulator.chain
    issuer = Wallet.from_label("storo-test-issuer")
    for wallet in (HOT, CREDITOR, STRANGER, issuer):
        chain.fund(wallet.address, 10 * 10**6)
    chain.create_asset(
        asset_id=USDC_ASSET,
        creator=issuer.address,
        decimals=6,
        unit_name="USDC",
        total=10**15,
    )
    chain.set_holding(HOT.address, USDC_ASSET, HOT_USDC)
    chain.set_holding(CREDITOR.address, USDC_ASSET, 0)
    yield simulator
    simulator.stop()


@pytest.fixture
def vault(settings: GatewaySettings) -> PayloadVault:
    return runtime.vault(settings)


@pytest.fixture
def gateway(settings: GatewaySettings, sim: Simulator) -> Gateway:
    return runtime.gateway(settings.model_copy(update={"algod_url": sim.url}))


@pytest.fixture
def rail(engine: Engine, gateway: Gateway) -> RailWorker:
    return RailWorker(engine, gateway, poll_seconds=0.05, wait_timeout=2)


@pytest.fixture
def sqs(aws: Any) -> Any:
    return aws.client("sqs")


@pytest.fixture
def inbox(topology: dict[str, str], sqs: Any) -> Iterator[str]:
    url = topology["storo-gw-usdc-inbox"]
    yield url
    for name in ("storo-gw-usdc-inbox", "storo-gw-usdc-inbox-dlq"):
        drain(sqs, topology[name], timeout=2, wait_seconds=0)


@pytest.fixture
def consumer(engine: Engine, gateway: Gateway, sqs: Any, inbox: str) -> Any:
    return make_consumer(
        engine, gateway, sqs=sqs, queue_url=inbox, wait_seconds=0, visibility_timeout=5
    )
