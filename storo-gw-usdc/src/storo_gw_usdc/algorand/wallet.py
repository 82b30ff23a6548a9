"""The operator's hot wallet, read from Secrets Manager.

The secret is JSON `{"address": ..., "mnemonic": ...}` (the 25-word algosdk
mnemonic); the address is checked against the key so that a mis-pasted secret
fails at start-up rather than as a signature error on the rail.
"""

from __future__ import annotations

import json
from typing import Any

from storo_gw_usdc.algorand.keys import Wallet


class HotWalletInvalid(ValueError):  # noqa: N818 - named as the fact it reports
    pass


def load_hot_wallet(secrets: Any, secret_id: str) -> Wallet:
    value = json.loads(secrets.get_secret_value(SecretId=secret_id)["SecretString"])
    wallet = Wallet.from_mnemonic(value["mnemonic"])
    if value.get("address") not in (None, wallet.address):
        raise HotWalletInvalid("the hot-wallet secret's address does not match its key")
    return wallet


def secret_value(wallet: Wallet) -> str:
    return json.dumps({"address": wallet.address, "mnemonic": wallet.mnemonic})
