"""`seed-dev`: make a development environment able to pay out USDC.

Idempotent: the hot-wallet secret is created only when absent (its key comes
from a fixed development seed), the simulator's asset and balances are topped
up to fixed levels, and the demo creditor (also from a fixed seed) opts in with
a real signed opt-in transaction, as a wallet would.
"""

from __future__ import annotations

import base64
import json
import urllib.request
from typing import Any

from algosdk import encoding
from algosdk import transaction as sdk_txn
from algosdk.atomic_transaction_composer import (
    AccountTransactionSigner,
    sign_transaction_with_signer,
)
from botocore.exceptions import ClientError

from storo_gw_usdc.algorand.client import Algod
from storo_gw_usdc.algorand.keys import Wallet
from storo_gw_usdc.algorand.transfer import Params
from storo_gw_usdc.algorand.wallet import load_hot_wallet, secret_value

# Development only: these labels seed well-known keys, never used on a real network.
HOT_WALLET_LABEL = "storo-dev-hot-wallet"
ISSUER_LABEL = "storo-dev-usdc-issuer"
DEMO_CREDITOR_LABEL = "storo-dev-demo-creditor"
HOT_WALLET_USDC = 1_000_000 * 10**6  # one million USDC in base units
ALGO_FLOAT = 100 * 10**6  # microalgos for fees and minimum balances


def demo_creditor() -> Wallet:
    return Wallet.from_label(DEMO_CREDITOR_LABEL)


def ensure_hot_wallet(secrets: Any, secret_id: str) -> Wallet:
    try:
        return load_hot_wallet(secrets, secret_id)
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
    wallet = Wallet.from_label(HOT_WALLET_LABEL)
    secrets.create_secret(Name=secret_id, SecretString=secret_value(wallet))
    return wallet


def seed(*, algod_url: str, secrets: Any, secret_id: str, asset_id: int) -> str:
    """Seed the simulator at `algod_url`; return the demo creditor's address."""
    hot = ensure_hot_wallet(secrets, secret_id)
    issuer = Wallet.from_label(ISSUER_LABEL)
    creditor = demo_creditor()
    admin = _Admin(algod_url)
    for wallet in (hot, issuer, creditor):
        if admin.account(wallet.address)["amount"] < ALGO_FLOAT:
            admin.post(
                "/admin/fund", {"address": wallet.address, "microalgos": ALGO_FLOAT}
            )
    admin.post(
        "/admin/assets",
        {
            "asset_id": asset_id,
            "creator": issuer.address,
            "decimals": 6,
            "unit_name": "USDC",
            "total": 10**18,
        },
    )
    if _holding(admin.account(hot.address), asset_id) < HOT_WALLET_USDC:
        admin.post(
            "/admin/holdings",
            {"address": hot.address, "asset_id": asset_id, "amount": HOT_WALLET_USDC},
        )
    if _holding(admin.account(creditor.address), asset_id) < 0:
        _opt_in(Algod(algod_url), creditor, asset_id)
    return creditor.address


def _opt_in(algod: Algod, wallet: Wallet, asset_id: int) -> None:
    params = Params.from_algod(algod.params(), validity_rounds=100)
    txn = sdk_txn.AssetOptInTxn(wallet.address, params.sdk(), asset_id)
    signed = sign_transaction_with_signer(
        txn, AccountTransactionSigner(wallet.private_key)
    )
    raw = base64.b64decode(encoding.msgpack_encode(signed))
    algod.submit(raw, txn.get_txid())
    # The simulator closes the next round on wait-for-block-after.
    algod.wait_after(int(algod.status()["last-round"]), timeout=10)


def _holding(account: dict[str, Any], asset_id: int) -> int:
    """The account's balance of the asset, or -1 when it has not opted in."""
    for holding in account.get("assets", []):
        if holding["asset-id"] == asset_id:
            return int(holding["amount"])
    return -1


class _Admin:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def account(self, address: str) -> dict[str, Any]:
        return self._call("GET", f"/v2/accounts/{address}", None)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", path, body)

    def _call(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - the URL is configuration
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.load(response)
