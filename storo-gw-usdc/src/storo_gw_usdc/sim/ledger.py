"""The simulated chain: accounts, assets, a transaction pool and rounds.

Checks follow algod's own order and wording where the gateway depends on them
(go-algorand `data/bookkeeping` and `ledger/apply`): the validity window
("txn dead: round R outside of F--L"), signatures, fees, asset holdings
("asset A missing from ADDR") and balances ("underflow on subtracting ...").
"""

from __future__ import annotations

import base64
import enum
import hashlib
import threading
from dataclasses import dataclass, field
from typing import Any

import msgpack
from algosdk import constants, encoding
from algosdk import transaction as sdk_txn
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

GENESIS_ID = "storo-sim-v1"
GENESIS_HASH = base64.b64encode(hashlib.sha256(b"storo-algod-sim").digest()).decode()
CONSENSUS_VERSION = "https://github.com/algorandfoundation/specs/tree/sim"
MIN_FEE = 1000
MAX_TXN_LIFE = 1000
MIN_BALANCE = 100_000


class FailureMode(enum.StrEnum):
    """Ways the next transaction can be made to fail (admin API)."""

    RECEIVER_NOT_OPTED_IN = "receiver_not_opted_in"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    VALIDITY_WINDOW_PASSED = "validity_window_passed"


class FailureStage(enum.StrEnum):
    """Where an injected failure shows: at submission, or later in the pool."""

    SUBMIT = "submit"
    POOL = "pool"


class Rejected(Exception):  # noqa: N818 - named as the fact it reports
    """algod refused a transaction; the message mimics algod's wording."""


class NotFound(Exception):  # noqa: N818 - named as the fact it reports
    """No such transaction in the pool or the recent ledger."""


@dataclass
class Account:
    microalgos: int = 0
    assets: dict[int, int] = field(default_factory=dict)


@dataclass
class Asset:
    asset_id: int
    creator: str
    decimals: int
    unit_name: str
    total: int


@dataclass
class PendingTxn:
    txid: str
    signed: dict[str, Any]
    stxn: sdk_txn.SignedTransaction
    submitted_round: int
    confirmed_round: int = 0
    pool_error: str = ""
    kick_with: str | None = None


@dataclass
class InjectedFailure:
    mode: FailureMode
    stage: FailureStage


class Chain:
    """Thread-safe state of the simulated network."""

    def __init__(self, *, confirm_rounds: int = 1, start_round: int = 1000) -> None:
        if confirm_rounds < 1:
            raise ValueError("confirm_rounds must be at least 1")
        self.confirm_rounds = confirm_rounds
        self.round = start_round
        self.accounts: dict[str, Account] = {}
        self.assets: dict[int, Asset] = {}
        self.txns: dict[str, PendingTxn] = {}
        self.leases: dict[tuple[str, bytes], int] = {}
        self.failures: list[InjectedFailure] = []
        self.broadcasts = 0
        self.round_changed = threading.Condition(threading.RLock())

    # -- rounds -------------------------------------------------------------

    def advance(self, rounds: int = 1) -> int:
        with self.round_changed:
            for _ in range(rounds):
                self.round += 1
                self._evaluate_pool()
            self.round_changed.notify_all()
            return self.round

    def wait_for_round_after(self, after: int, timeout: float) -> int:
        """Block until the round passes `after` or `timeout` elapses."""
        with self.round_changed:
            self.round_changed.wait_for(lambda: self.round > after, timeout)
            return self.round

    # -- admin --------------------------------------------------------------

    def fund(self, address: str, microalgos: int) -> Account:
        self._check_address(address)
        with self.round_changed:
            account = self.accounts.setdefault(address, Account())
            account.microalgos += microalgos
            return account

    def create_asset(
        self, *, asset_id: int, creator: str, decimals: int, unit_name: str, total: int
    ) -> Asset:
        self._check_address(creator)
        with self.round_changed:
            existing = self.assets.get(asset_id)
            if existing is not None:
                return existing
            asset = Asset(asset_id, creator, decimals, unit_name, total)
            self.assets[asset_id] = asset
            account = self.accounts.setdefault(creator, Account())
            account.assets[asset_id] = total
            return asset

    def set_holding(self, address: str, asset_id: int, amount: int) -> None:
        """Opt `address` in (if needed) and move `amount` to it from the creator."""
        self._check_address(address)
        with self.round_changed:
            asset = self.assets.get(asset_id)
            if asset is None:
                raise Rejected(f"asset {asset_id} does not exist")
            account = self.accounts.setdefault(address, Account())
            current = account.assets.get(asset_id, 0)
            if address != asset.creator and amount != current:
                reserve = self.accounts[asset.creator]
                delta = amount - current
                if reserve.assets[asset_id] < delta:
                    raise Rejected("asset reserve too small")
                reserve.assets[asset_id] -= delta
            account.assets[asset_id] = amount

    def fail_next(self, mode: FailureMode, stage: FailureStage) -> None:
        with self.round_changed:
            self.failures.append(InjectedFailure(mode, stage))

    def account_info(self, address: str) -> dict[str, Any]:
        with self.round_changed:
            account = self.accounts.get(address, Account())
            return {
                "address": address,
                "amount": account.microalgos,
                "round": self.round,
                "assets": [
                    {"asset-id": aid, "amount": amt, "is-frozen": False}
                    for aid, amt in sorted(account.assets.items())
                ],
            }

    # -- algod API ----------------------------------------------------------

    def params(self) -> dict[str, Any]:
        with self.round_changed:
            return {
                "consensus-version": CONSENSUS_VERSION,
                "fee": 0,
                "genesis-hash": GENESIS_HASH,
                "genesis-id": GENESIS_ID,
                "last-round": self.round,
                "min-fee": MIN_FEE,
            }

    def status(self) -> dict[str, Any]:
        with self.round_changed:
            return {
                "catchup-time": 0,
                "last-round": self.round,
                "last-version": CONSENSUS_VERSION,
                "next-version": CONSENSUS_VERSION,
                "next-version-round": self.round + 1,
                "next-version-supported": True,
                "stopped-at-unsupported-round": False,
                "time-since-last-round": 0,
            }

    def submit(self, raw: bytes) -> str:
        """Take one signed transaction in canonical msgpack; return its id."""
        signed = self._decode(raw)
        stxn = encoding.msgpack_decode(signed)
        if not isinstance(stxn, sdk_txn.SignedTransaction):
            raise Rejected("only single-signature transactions are simulated")
        txn = stxn.transaction
        txid = txn.get_txid()
        with self.round_changed:
            self.broadcasts += 1
            if txid in self.txns:
                # algod answers the same for a transaction in its pool and one in
                # its ledger (go-algorand's TransactionInLedgerError).
                raise Rejected(
                    f"TransactionPool.Remember: transaction already in ledger: {txid}"
                )
            self._check_static(txn, stxn, signed)
            injected = self.failures.pop(0) if self.failures else None
            if injected is not None and injected.stage is FailureStage.SUBMIT:
                raise Rejected(self._injected_message(injected.mode, txid, txn))
            try:
                self._check_state(txn, txid)
            except Rejected as exc:
                raise Rejected(f"TransactionPool.Remember: {exc}") from None
            pending = PendingTxn(txid, signed, stxn, self.round)
            if injected is not None:
                pending.kick_with = self._injected_message(injected.mode, txid, txn)
            self.txns[txid] = pending
            return txid

    def pending(self, txid: str) -> dict[str, Any]:
        with self.round_changed:
            pending = self.txns.get(txid)
            if pending is None:
                raise NotFound("txn does not exist")
            body: dict[str, Any] = {
                "pool-error": pending.pool_error,
                "txn": _jsonable(pending.signed),
            }
            if pending.confirmed_round:
                body["confirmed-round"] = pending.confirmed_round
                body["asset-closing-amount"] = 0
            return body

    # -- internals ----------------------------------------------------------

    @staticmethod
    def _decode(raw: bytes) -> dict[str, Any]:
        try:
            unpacker = msgpack.Unpacker(raw=False, strict_map_key=False)
            unpacker.feed(raw)
            items = list(unpacker)
        except (ValueError, msgpack.ExtraData, msgpack.FormatError) as exc:
            raise Rejected(f"msgpack decode error [pos 0]: {exc}") from None
        if len(items) != 1 or not isinstance(items[0], dict):
            raise Rejected("expected exactly one signed transaction")
        signed: dict[str, Any] = items[0]
        if "txn" not in signed or "sig" not in signed:
            raise Rejected("signed transaction without a single signature")
        return signed

    def _check_static(
        self, txn: sdk_txn.Transaction, stxn: sdk_txn.SignedTransaction, signed: dict
    ) -> None:
        if txn.genesis_hash != GENESIS_HASH:
            raise Rejected("TransactionPool.Remember: genesis hash mismatch")
        if txn.genesis_id and txn.genesis_id != GENESIS_ID:
            raise Rejected(
                f"TransactionPool.Remember: tx.GenesisID <{txn.genesis_id}> does not "
                f"match expected <{GENESIS_ID}>"
            )
        fv, lv = txn.first_valid_round, txn.last_valid_round
        if lv < fv or lv - fv > MAX_TXN_LIFE:
            raise Rejected(
                "TransactionPool.Remember: transaction window size excessive: "
                f"{fv}--{lv}"
            )
        next_round = self.round + 1
        if not fv <= next_round <= lv:
            raise Rejected(
                "TransactionPool.Remember: txn dead: round "
                f"{next_round} outside of {fv}--{lv}"
            )
        signer = stxn.authorizing_address or txn.sender
        if signer != txn.sender:
            # No account here is rekeyed, so only the sender itself may sign.
            raise Rejected(
                f"transaction {txn.get_txid()}: should have been authorized by "
                f"{txn.sender} but was actually authorized by {signer}"
            )
        key = VerifyKey(encoding.decode_address(signer))
        message = constants.txid_prefix + msgpack.packb(
            signed["txn"], use_bin_type=True
        )
        try:
            key.verify(message, signed["sig"])
        except BadSignatureError:
            raise Rejected("At least one signature didn't pass verification") from None
        if txn.fee < MIN_FEE:
            raise Rejected(
                f"TransactionPool.Remember: transaction had fee {txn.fee}, "
                f"which is less than the minimum {MIN_FEE}"
            )

    def _check_state(self, txn: sdk_txn.Transaction, txid: str) -> None:
        """Apply `txn` in a dry run against the current state; raise on failure."""
        self._apply(txn, txid, dry_run=True)

    def _apply(self, txn: sdk_txn.Transaction, txid: str, *, dry_run: bool) -> None:
        sender = self.accounts.get(txn.sender)
        if sender is None or sender.microalgos < txn.fee + MIN_BALANCE:
            have = sender.microalgos if sender else 0
            raise Rejected(
                f"transaction {txid}: overspend (account {txn.sender}, "
                f"data {{_struct:{{}} MicroAlgos:{{Raw:{have}}}}}, "
                f"tried to spend {{{txn.fee}}})"
            )
        if txn.lease:
            held = self.leases.get((txn.sender, txn.lease))
            if held is not None and held >= self.round + 1:
                raise Rejected(
                    f"transaction {txid} using an overlapping lease "
                    f"(sender, lease):({txn.sender}, {txn.lease.hex()})"
                )
        if isinstance(txn, sdk_txn.AssetTransferTxn):
            self._apply_axfer(txn, txid, sender, dry_run=dry_run)
        elif isinstance(txn, sdk_txn.PaymentTxn):
            self._apply_pay(txn, txid, sender, dry_run=dry_run)
        else:
            raise Rejected(f"transaction {txid}: type {txn.type} is not simulated")
        if not dry_run:
            sender.microalgos -= txn.fee
            if txn.lease:
                self.leases[(txn.sender, txn.lease)] = txn.last_valid_round

    def _apply_axfer(
        self,
        txn: sdk_txn.AssetTransferTxn,
        txid: str,
        sender: Account,
        *,
        dry_run: bool,
    ) -> None:
        aid = txn.index
        if aid not in self.assets:
            raise Rejected(f"transaction {txid}: asset {aid} does not exist")
        if txn.close_assets_to or txn.revocation_target:
            raise Rejected(f"transaction {txid}: close-to and clawback not simulated")
        if txn.receiver == txn.sender and txn.amount == 0:
            if not dry_run:
                sender.assets.setdefault(aid, 0)
            return
        if aid not in sender.assets:
            raise Rejected(f"transaction {txid}: asset {aid} missing from {txn.sender}")
        receiver = self.accounts.get(txn.receiver)
        if receiver is None or aid not in receiver.assets:
            raise Rejected(
                f"transaction {txid}: asset {aid} missing from {txn.receiver}"
            )
        have = sender.assets[aid]
        if have < txn.amount:
            raise Rejected(
                f"transaction {txid}: underflow on subtracting {txn.amount} "
                f"from sender amount {have}"
            )
        if not dry_run:
            sender.assets[aid] = have - txn.amount
            receiver.assets[aid] += txn.amount

    def _apply_pay(
        self, txn: sdk_txn.PaymentTxn, txid: str, sender: Account, *, dry_run: bool
    ) -> None:
        if sender.microalgos < txn.amt + txn.fee + MIN_BALANCE:
            raise Rejected(
                f"transaction {txid}: overspend (account {txn.sender}, "
                f"tried to spend {{{txn.amt + txn.fee}}})"
            )
        if not dry_run:
            sender.microalgos -= txn.amt
            self.accounts.setdefault(txn.receiver, Account()).microalgos += txn.amt

    def _evaluate_pool(self) -> None:
        """Confirm or kick out pool transactions as round `self.round` closes."""
        for pending in self.txns.values():
            if pending.confirmed_round or pending.pool_error:
                continue
            txn = pending.stxn.transaction
            if self.round > txn.last_valid_round:
                pending.pool_error = (
                    f"txn dead: round {self.round} outside of "
                    f"{txn.first_valid_round}--{txn.last_valid_round}"
                )
                continue
            if self.round < pending.submitted_round + self.confirm_rounds:
                continue
            if pending.kick_with is not None:
                pending.pool_error = pending.kick_with
                continue
            try:
                self._apply(txn, pending.txid, dry_run=False)
            except Rejected as exc:
                pending.pool_error = str(exc)
                continue
            pending.confirmed_round = self.round

    def _injected_message(
        self, mode: FailureMode, txid: str, txn: sdk_txn.Transaction
    ) -> str:
        receiver = getattr(txn, "receiver", txn.sender)
        aid = getattr(txn, "index", 0)
        amount = getattr(txn, "amount", 0)
        if mode is FailureMode.RECEIVER_NOT_OPTED_IN:
            text = f"transaction {txid}: asset {aid} missing from {receiver}"
        elif mode is FailureMode.INSUFFICIENT_FUNDS:
            text = (
                f"transaction {txid}: underflow on subtracting {amount} "
                "from sender amount 0"
            )
        else:
            text = (
                f"txn dead: round {txn.last_valid_round + 1} outside of "
                f"{txn.first_valid_round}--{txn.last_valid_round}"
            )
        return f"TransactionPool.Remember: {text}"

    @staticmethod
    def _check_address(address: str) -> None:
        if not encoding.is_valid_address(address):
            raise Rejected(f"invalid address {address!r}")


def _jsonable(value: Any) -> Any:
    """algod renders msgpack bytes as base64 and addresses as base32 in JSON."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in {"snd", "rcv", "arcv", "close", "aclose", "sgnr"} and isinstance(
                item, bytes
            ):
                out[key] = encoding.encode_address(item)
            else:
                out[key] = _jsonable(item)
        return out
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
