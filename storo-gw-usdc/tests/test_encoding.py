"""The signed transaction is exactly what py-algorand-sdk encodes for its fields."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

import msgpack
from algosdk import encoding
from algosdk import transaction as sdk_txn
from algosdk.atomic_transaction_composer import (
    AccountTransactionSigner,
    sign_transaction_with_signer,
)
from nacl.signing import VerifyKey

from storo_gw_usdc.algorand import transfer
from tests.conftest import CREDITOR, HOT
from tests.helpers import USDC_ASSET

PARAMS = transfer.Params(
    fee=0,
    min_fee=1000,
    first=41_000_000,
    last=41_000_100,
    genesis_id="mainnet-v1.0",
    genesis_hash="wGHE2Pwdvd7S12BL5FaOP20EGYesN73ktiC1qzkkit8=",
)
TRANSFER_ID = uuid.UUID("6c1b4f0e-2f53-4a8e-9d1e-3b2a1c0d9e8f")


def ours() -> transfer.SignedTransfer:
    txn = transfer.build(
        wallet=HOT,
        receiver=CREDITOR.address,
        amount=125_500_000,
        asset_id=USDC_ASSET,
        transfer_id=TRANSFER_ID,
        params=PARAMS,
    )
    return transfer.sign(txn, HOT)


class TestSignedTransfer:
    def test_bytes_equal_the_sdk_encoding_of_the_same_fields(self) -> None:
        sp = sdk_txn.SuggestedParams(
            0,
            41_000_000,
            41_000_100,
            "wGHE2Pwdvd7S12BL5FaOP20EGYesN73ktiC1qzkkit8=",
            "mainnet-v1.0",
            min_fee=1000,
        )
        reference = sdk_txn.AssetTransferTxn(
            HOT.address,
            sp,
            CREDITOR.address,
            125_500_000,
            USDC_ASSET,
            note=b'storo:j{"transfer_id":"6c1b4f0e-2f53-4a8e-9d1e-3b2a1c0d9e8f"}',
            lease=hashlib.sha256(b"storo-transfer:" + TRANSFER_ID.bytes).digest(),
        )
        signed = sign_transaction_with_signer(
            reference, AccountTransactionSigner(HOT.private_key)
        )
        expected = base64.b64decode(encoding.msgpack_encode(signed))
        assert ours().raw == expected
        assert ours().txid == reference.get_txid()

    def test_fields_decode_as_the_mapping_says(self) -> None:
        decoded = msgpack.unpackb(ours().raw, raw=False)
        txn = decoded["txn"]
        assert txn["type"] == "axfer"
        assert encoding.encode_address(txn["snd"]) == HOT.address
        assert encoding.encode_address(txn["arcv"]) == CREDITOR.address
        assert txn["aamt"] == 125_500_000
        assert txn["xaid"] == USDC_ASSET
        assert txn["fee"] == 1000  # the minimum fee: algod suggested 0 per byte
        assert (txn["fv"], txn["lv"]) == (41_000_000, 41_000_100)
        assert txn["gen"] == "mainnet-v1.0"
        assert json.loads(txn["note"][len(b"storo:j") :]) == {
            "transfer_id": str(TRANSFER_ID)
        }
        assert len(txn["lx"]) == 32

    def test_the_signature_verifies_over_the_tx_prefixed_bytes(self) -> None:
        decoded = msgpack.unpackb(ours().raw, raw=False)
        message = b"TX" + msgpack.packb(decoded["txn"], use_bin_type=True)
        VerifyKey(encoding.decode_address(HOT.address)).verify(message, decoded["sig"])

    def test_the_same_transfer_and_params_sign_identically(self) -> None:
        assert ours().raw == ours().raw  # ed25519 is deterministic: a resend is exact
