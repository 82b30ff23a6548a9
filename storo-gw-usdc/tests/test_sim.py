"""The simulator behaves like algod where the gateway relies on it."""

from __future__ import annotations

import base64
import json
import urllib.request
import uuid
from typing import Any

import msgpack
import pytest
from algosdk.error import AlgodHTTPError
from algosdk.v2client.algod import AlgodClient

from storo_gw_usdc.algorand import transfer
from storo_gw_usdc.algorand.keys import Wallet
from storo_gw_usdc.sim.ledger import FailureMode, FailureStage
from storo_gw_usdc.sim.server import Simulator
from tests.conftest import CREDITOR, HOT, HOT_USDC, STRANGER
from tests.helpers import USDC_ASSET


def signed_payment(
    client: AlgodClient,
    *,
    receiver: str = CREDITOR.address,
    amount: int = 5_000_000,
    window: int = 50,
    signer: Wallet = HOT,
) -> transfer.SignedTransfer:
    params = transfer.Params.from_algod(
        client.algod_request("GET", "/transactions/params"), validity_rounds=window
    )
    txn = transfer.build(
        wallet=HOT,
        receiver=receiver,
        amount=amount,
        asset_id=USDC_ASSET,
        transfer_id=uuid.uuid4(),
        params=params,
    )
    return transfer.sign(txn, signer)


def send(client: AlgodClient, signed: transfer.SignedTransfer) -> str:
    return str(client.send_raw_transaction(base64.b64encode(signed.raw)))


def usdc(sim: Simulator, address: str) -> int:
    return sim.chain.accounts[address].assets.get(USDC_ASSET, -1)


def admin(sim: Simulator, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(  # noqa: S310 - a local test server
        sim.url + path, data=json.dumps(body).encode(), method="POST"
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return json.load(response)


@pytest.fixture
def client(sim: Simulator) -> AlgodClient:
    return AlgodClient("", sim.url)


class TestSubmission:
    def test_confirms_in_the_next_round_and_moves_the_asset(
        self, sim: Simulator, client: AlgodClient
    ) -> None:
        signed = signed_payment(client)
        assert send(client, signed) == signed.txid
        assert "confirmed-round" not in client.pending_transaction_info(signed.txid)
        client.status_after_block(client.status()["last-round"])
        info = client.pending_transaction_info(signed.txid)
        assert info["confirmed-round"] == client.status()["last-round"]
        assert info["txn"]["txn"]["arcv"] == CREDITOR.address
        assert usdc(sim, CREDITOR.address) == 5_000_000
        assert usdc(sim, HOT.address) == HOT_USDC - 5_000_000

    def test_waits_the_configured_number_of_rounds(self, sim: Simulator) -> None:
        sim.chain.confirm_rounds = 3
        client = AlgodClient("", sim.url)
        signed = signed_payment(client)
        send(client, signed)
        sim.chain.advance(2)
        assert "confirmed-round" not in client.pending_transaction_info(signed.txid)
        sim.chain.advance(1)
        assert client.pending_transaction_info(signed.txid)["confirmed-round"] > 0

    def test_a_resent_transaction_is_known_and_applied_once(
        self, sim: Simulator, client: AlgodClient
    ) -> None:
        signed = signed_payment(client)
        send(client, signed)
        with pytest.raises(AlgodHTTPError, match="transaction already in ledger"):
            send(client, signed)
        sim.chain.advance(3)
        with pytest.raises(AlgodHTTPError, match="transaction already in ledger"):
            send(client, signed)
        assert usdc(sim, CREDITOR.address) == 5_000_000
        assert sim.chain.broadcasts == 3

    def test_a_forged_signature_is_refused(self, client: AlgodClient) -> None:
        signed = signed_payment(client)
        decoded = msgpack.unpackb(signed.raw, raw=False)
        decoded["sig"] = bytes([decoded["sig"][0] ^ 1]) + decoded["sig"][1:]
        forged = msgpack.packb(decoded, use_bin_type=True)
        with pytest.raises(AlgodHTTPError, match="signature didn't pass") as refused:
            client.send_raw_transaction(base64.b64encode(forged))
        assert refused.value.code == 400

    def test_a_signature_by_another_key_is_refused(self, client: AlgodClient) -> None:
        with pytest.raises(AlgodHTTPError, match="should have been authorized by"):
            send(client, signed_payment(client, signer=STRANGER))

    def test_bytes_that_are_not_msgpack_are_refused(self, client: AlgodClient) -> None:
        with pytest.raises(AlgodHTTPError) as refused:
            client.send_raw_transaction(base64.b64encode(b"\xc1 not msgpack"))
        assert refused.value.code == 400

    def test_an_unknown_txid_is_not_found(self, client: AlgodClient) -> None:
        with pytest.raises(AlgodHTTPError, match="txn does not exist") as missing:
            client.pending_transaction_info("A" * 52)
        assert missing.value.code == 404


class TestRefusals:
    def test_receiver_not_opted_in(self, client: AlgodClient) -> None:
        signed = signed_payment(client, receiver=STRANGER.address)
        with pytest.raises(AlgodHTTPError, match=f"missing from {STRANGER.address}"):
            send(client, signed)

    def test_insufficient_funds(self, client: AlgodClient) -> None:
        signed = signed_payment(client, amount=HOT_USDC + 1)
        with pytest.raises(AlgodHTTPError, match="underflow on subtracting"):
            send(client, signed)

    def test_validity_window_passed(self, sim: Simulator, client: AlgodClient) -> None:
        signed = signed_payment(client, window=5)
        sim.chain.advance(6)
        with pytest.raises(AlgodHTTPError, match="txn dead: round"):
            send(client, signed)

    @pytest.mark.parametrize(
        ("mode", "text"),
        [
            ("receiver_not_opted_in", "missing from"),
            ("insufficient_funds", "underflow on subtracting"),
            ("validity_window_passed", "txn dead"),
        ],
    )
    def test_injected_failure_at_submission(
        self, sim: Simulator, client: AlgodClient, mode: str, text: str
    ) -> None:
        admin(sim, "/admin/fail-next", {"mode": mode, "stage": "submit"})
        with pytest.raises(AlgodHTTPError, match=text):
            send(client, signed_payment(client))
        send(client, signed_payment(client))  # only the next one fails

    def test_injected_failure_in_the_pool(
        self, sim: Simulator, client: AlgodClient
    ) -> None:
        sim.chain.fail_next(FailureMode.RECEIVER_NOT_OPTED_IN, FailureStage.POOL)
        signed = signed_payment(client)
        send(client, signed)
        sim.chain.advance()
        info = client.pending_transaction_info(signed.txid)
        assert "missing from" in info["pool-error"]
        assert "confirmed-round" not in info
        assert usdc(sim, CREDITOR.address) == 0

    def test_an_expired_pool_transaction_is_dropped(
        self, sim: Simulator, client: AlgodClient
    ) -> None:
        sim.chain.confirm_rounds = 10
        signed = signed_payment(client, window=3)
        send(client, signed)
        sim.chain.advance(4)
        assert "txn dead" in client.pending_transaction_info(signed.txid)["pool-error"]


class TestRounds:
    def test_wait_for_block_after_closes_the_next_round(
        self, client: AlgodClient
    ) -> None:
        start = client.status()["last-round"]
        assert client.status_after_block(start)["last-round"] == start + 1

    def test_params_look_like_algods(self, client: AlgodClient) -> None:
        params = client.suggested_params()
        assert params.min_fee == 1000
        assert params.last == params.first + 1000

    def test_a_token_is_required_when_configured(self) -> None:
        sim = Simulator(port=0, token="s3cret").start()
        try:
            with pytest.raises(AlgodHTTPError) as refused:
                AlgodClient("wrong", sim.url).status()
            assert refused.value.code == 401
            assert AlgodClient("s3cret", sim.url).status()["last-round"] > 0
        finally:
            sim.stop()
