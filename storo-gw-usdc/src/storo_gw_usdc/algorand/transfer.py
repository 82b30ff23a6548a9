"""The USDC asset transfer a Storo transfer becomes, built and signed with algosdk.

Field by field (see docs/README.md): sender = the hot wallet, receiver = the
creditor's account, amount = the amount in the asset's base units (6 decimals),
index = the configured asset id, fee/first/last/genesis from algod's suggested
parameters (window narrowed to `validity_rounds`), note = ARC-2 style
`storo:j{"transfer_id": ...}`, lease = SHA-256 of the transfer id, so that no
second transaction for the same transfer can confirm inside the window even if
one were ever built.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass

from algosdk import encoding
from algosdk import transaction as sdk_txn
from algosdk.atomic_transaction_composer import (
    AccountTransactionSigner,
    sign_transaction_with_signer,
)

from storo_gw_usdc.algorand.keys import Wallet

NOTE_PREFIX = b"storo:j"


@dataclass(frozen=True)
class Params:
    """The suggested parameters algod gave, as plain values."""

    fee: int
    min_fee: int
    first: int
    last: int
    genesis_id: str
    genesis_hash: str

    @classmethod
    def from_algod(cls, body: dict, *, validity_rounds: int) -> Params:
        first = int(body["last-round"])
        return cls(
            fee=int(body["fee"]),
            min_fee=int(body["min-fee"]),
            first=first,
            last=first + validity_rounds,
            genesis_id=str(body["genesis-id"]),
            genesis_hash=str(body["genesis-hash"]),
        )

    def sdk(self) -> sdk_txn.SuggestedParams:
        return sdk_txn.SuggestedParams(
            fee=self.fee,
            first=self.first,
            last=self.last,
            gh=self.genesis_hash,
            gen=self.genesis_id,
            flat_fee=False,
            min_fee=self.min_fee,
        )


@dataclass(frozen=True)
class SignedTransfer:
    txid: str
    raw: bytes
    first_valid: int
    last_valid: int


def note_for(transfer_id: uuid.UUID) -> bytes:
    return (
        NOTE_PREFIX
        + json.dumps({"transfer_id": str(transfer_id)}, separators=(",", ":")).encode()
    )


def lease_for(transfer_id: uuid.UUID) -> bytes:
    return hashlib.sha256(b"storo-transfer:" + transfer_id.bytes).digest()


def build(
    *,
    wallet: Wallet,
    receiver: str,
    amount: int,
    asset_id: int,
    transfer_id: uuid.UUID,
    params: Params,
) -> sdk_txn.AssetTransferTxn:
    return sdk_txn.AssetTransferTxn(
        sender=wallet.address,
        sp=params.sdk(),
        receiver=receiver,
        amt=amount,
        index=asset_id,
        note=note_for(transfer_id),
        lease=lease_for(transfer_id),
    )


def sign(txn: sdk_txn.Transaction, wallet: Wallet) -> SignedTransfer:
    signed = sign_transaction_with_signer(
        txn, AccountTransactionSigner(wallet.private_key)
    )
    raw = base64.b64decode(encoding.msgpack_encode(signed))
    return SignedTransfer(
        txid=txn.get_txid(),
        raw=raw,
        first_valid=txn.first_valid_round,
        last_valid=txn.last_valid_round,
    )
