"""`seed-dev` leaves a simulator able to pay the demo creditor, and is idempotent."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from storo_gw_usdc.algorand.wallet import load_hot_wallet
from storo_gw_usdc.devseed import HOT_WALLET_USDC, demo_creditor, seed
from storo_gw_usdc.sim.server import Simulator
from tests.helpers import USDC_ASSET

SECRET = "storo/gw-usdc/seed-test-hot-wallet"


def holding(sim: Simulator, address: str) -> int:
    return sim.chain.accounts[address].assets.get(USDC_ASSET, -1)


class TestSeedDev:
    def test_twice_gives_the_same_wallets_and_balances(self, aws: Any) -> None:
        sim = Simulator(port=0, round_seconds=0).start()
        secrets = aws.client("secretsmanager")
        try:
            first = seed(
                algod_url=sim.url,
                secrets=secrets,
                secret_id=SECRET,
                asset_id=USDC_ASSET,
            )
            hot = load_hot_wallet(secrets, SECRET)
            rounds = sim.chain.round
            second = seed(
                algod_url=sim.url,
                secrets=secrets,
                secret_id=SECRET,
                asset_id=USDC_ASSET,
            )
            assert first == second == demo_creditor().address
            assert load_hot_wallet(secrets, SECRET) == hot
            assert holding(sim, first) == 0  # opted in, nothing received yet
            assert holding(sim, hot.address) == HOT_WALLET_USDC
            assert sim.chain.round == rounds  # no second opt-in was sent
        finally:
            sim.stop()

    def test_the_command_prints_the_demo_address(self, aws: Any, settings: Any) -> None:
        sim = Simulator(port=0, round_seconds=0).start()
        env = {
            "STORO_GW_USDC_AWS_ENDPOINT_URL": aws.endpoint_url,
            "STORO_GW_USDC_AWS_REGION": settings.aws_region,
            "STORO_GW_USDC_HOT_WALLET_SECRET_ID": SECRET + "-cli",
            "STORO_GW_USDC_PAYLOAD_BUCKET": settings.payload_bucket,
            "STORO_GW_USDC_LOG_FORMAT": "console",
        }
        try:
            done = subprocess.run(  # noqa: S603 - our own console script
                [
                    sys.executable,
                    "-m",
                    "storo_gw_usdc",
                    "seed-dev",
                    "--algod-url",
                    sim.url,
                ],
                env={**_base_env(), **env},
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            )
        finally:
            sim.stop()
        assert done.stdout.strip().splitlines()[-1] == demo_creditor().address
        value = json.loads(
            aws.client("secretsmanager").get_secret_value(SecretId=SECRET + "-cli")[
                "SecretString"
            ]
        )
        assert len(value["mnemonic"].split()) == 25


def _base_env() -> dict[str, str]:
    import os

    keep = (
        "PATH",
        "HOME",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
    )
    return {k: os.environ[k] for k in keep if k in os.environ}
