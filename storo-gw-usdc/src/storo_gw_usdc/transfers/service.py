"""The gateway's steps, each inside a transaction its caller owns.

1. `receive` (the inbox consumer's transaction): transform the event; reject it,
   or build and sign the asset transfer, store the signed bytes encrypted, and
   record the row in state `signed`, all committing with the inbox entry.
2. `submit` (the rail worker): send the recorded bytes. Broadcasting is
   idempotent by txid, so a crash after sending and before recording the answer
   leads to a rebroadcast of the same bytes, never to a second transaction.
3. `follow` (the rail worker): read the pending-transaction record until it is
   confirmed (settled) or kicked from the pool (returned).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.orm import Session
from storo_outbox import RetryLater
from storo_platform.money import Money

from storo_gw_usdc.algorand import transfer as algo_transfer
from storo_gw_usdc.algorand.client import Algod, RailRefused, RailUnavailable
from storo_gw_usdc.algorand.keys import Wallet
from storo_gw_usdc.algorand.reasons import reason_for
from storo_gw_usdc.payloads.vault import PayloadVault
from storo_gw_usdc.transfers import events, metrics, repository
from storo_gw_usdc.transfers.repository import Row
from storo_gw_usdc.transfers.schemas import Instruction, ReasonCode, Rejection, State
from storo_gw_usdc.transfers.transform import transform

log = structlog.get_logger("storo_gw_usdc.transfers")


@dataclass
class Gateway:
    algod: Algod
    vault: PayloadVault
    wallet: Wallet
    asset_id: int
    validity_rounds: int

    # -- 1. receive ---------------------------------------------------------

    def receive(self, session: Session, envelope: dict[str, Any]) -> None:
        outcome = transform(envelope)
        existing = repository.find(session, outcome.transfer_id)
        if existing is not None:
            # Another event for a transfer we already hold (CTS re-emitted it):
            # the recorded row is the truth, and the worker carries it on.
            log.info(
                "transfer.already_recorded",
                transfer_id=str(outcome.transfer_id),
                state=existing.state,
                event_id=outcome.event_id,
            )
            return
        if isinstance(outcome, Rejection):
            self._reject(session, outcome)
        else:
            self._record(session, outcome)

    def _reject(self, session: Session, rejection: Rejection) -> None:
        repository.insert_new(
            session,
            transfer_id=rejection.transfer_id,
            event_id=rejection.event_id,
            state=State.REJECTED.value,
            amount_minor=rejection.amount_minor,
            currency=rejection.currency,
            reason_code=rejection.reason_code.value,
            reason=rejection.reason,
            finished_at=repository.now(),
        )
        events.rejected(
            session, rejection.transfer_id, rejection.reason_code, rejection.reason
        )
        metrics.FAILED.labels("rejected", rejection.reason_code.value).inc()
        log.info(
            "transfer.rejected",
            transfer_id=str(rejection.transfer_id),
            reason_code=rejection.reason_code.value,
        )

    def _record(self, session: Session, instruction: Instruction) -> None:
        try:
            answer = self.algod.params()
        except RailUnavailable as error:
            raise RetryLater(str(error)) from error
        params = algo_transfer.Params.from_algod(
            answer, validity_rounds=self.validity_rounds
        )
        txn = algo_transfer.build(
            wallet=self.wallet,
            receiver=instruction.receiver,
            amount=instruction.amount_minor,
            asset_id=self.asset_id,
            transfer_id=instruction.transfer_id,
            params=params,
        )
        signed = algo_transfer.sign(txn, self.wallet)
        repository.insert_new(
            session,
            transfer_id=instruction.transfer_id,
            event_id=instruction.event_id,
            state=State.SIGNED.value,
            amount_minor=instruction.amount_minor,
            currency=instruction.currency,
            asset_id=self.asset_id,
            sender=self.wallet.address,
            receiver=instruction.receiver,
            txid=signed.txid,
            first_valid=signed.first_valid,
            last_valid=signed.last_valid,
        )
        stored = self.vault.put(
            transfer_id=instruction.transfer_id, kind="signed-txn", body=signed.raw
        )
        repository.update(
            session, instruction.transfer_id, signed_ref=stored.object_key
        )
        repository.add_payload(session, instruction.transfer_id, "signed-txn", stored)
        log.info(
            "transfer.signed",
            transfer_id=str(instruction.transfer_id),
            txid=signed.txid,
            first_valid=signed.first_valid,
            last_valid=signed.last_valid,
        )

    # -- 2. submit ----------------------------------------------------------

    def submit(self, session: Session, row: Row) -> State:
        """Broadcast a `signed` row (locked by the caller); return its new state."""
        raw = self.vault.get(row.signed_ref)
        try:
            sent = self.algod.submit(raw, row.txid)
        except RailRefused as refused:
            return self._refused(session, row, refused)
        self._keep(session, row.transfer_id, "submit-answer", sent.answer)
        repository.update(
            session,
            row.transfer_id,
            state=State.ACCEPTED.value,
            accepted_at=repository.now(),
        )
        events.accepted(session, row.transfer_id, row.txid)
        metrics.SUBMITTED.labels(str(sent.rebroadcast).lower()).inc()
        log.info(
            "transfer.accepted",
            transfer_id=str(row.transfer_id),
            txid=row.txid,
            rebroadcast=sent.rebroadcast,
        )
        return State.ACCEPTED

    def _refused(self, session: Session, row: Row, refused: RailRefused) -> State:
        self._keep(session, row.transfer_id, "submit-answer", refused.answer)
        code = reason_for(refused.message, receiver=row.receiver, sender=row.sender)
        if code is ReasonCode.VALIDITY_WINDOW_PASSED and row.attempts > 1:
            # An earlier broadcast may have landed before the window closed, and
            # algod forgets txids once their window has passed: only a ledger
            # lookup (an indexer) can tell, so a person decides.
            info = self.algod.pending(row.txid)
            if info and info.get("confirmed-round"):
                repository.update(
                    session,
                    row.transfer_id,
                    state=State.ACCEPTED.value,
                    accepted_at=repository.now(),
                )
                events.accepted(session, row.transfer_id, row.txid)
                return State.ACCEPTED
            return self._unresolved(session, row, refused.message)
        repository.update(
            session,
            row.transfer_id,
            state=State.FAILED.value,
            reason_code=code.value,
            reason=refused.message[:500],
            finished_at=repository.now(),
        )
        # Nothing reached the chain, so there is no rail reference to report.
        events.failed(session, row.transfer_id, None, code.value, _brief(code))
        metrics.FAILED.labels("failed", code.value).inc()
        log.warning(
            "transfer.failed", transfer_id=str(row.transfer_id), reason_code=code.value
        )
        return State.FAILED

    # -- 3. follow ----------------------------------------------------------

    def follow(self, session: Session, row: Row, last_round: int) -> State:
        """Look at an `accepted` row's transaction; return its (new) state."""
        info = self.algod.pending(row.txid)
        if info is None:
            if last_round > row.last_valid:
                return self._unresolved(session, row, "algod no longer knows the txid")
            return State.ACCEPTED
        confirmed = int(info.get("confirmed-round") or 0)
        if confirmed:
            return self._settled(session, row, info, confirmed)
        if info.get("pool-error"):
            return self._returned(session, row, info)
        return State.ACCEPTED

    def _settled(self, session: Session, row: Row, info: dict, confirmed: int) -> State:
        self._keep(session, row.transfer_id, "confirmation", info)
        finished = repository.now()
        repository.update(
            session,
            row.transfer_id,
            state=State.SETTLED.value,
            confirmed_round=confirmed,
            finished_at=finished,
        )
        events.settled(
            session,
            row.transfer_id,
            row.txid,
            Money(row.amount_minor, row.currency),
            {"confirmed_round": confirmed, "asset_id": int(row.asset_id)},
        )
        metrics.CONFIRMED.inc()
        if row.accepted_at is not None:
            seconds = (finished - row.accepted_at).total_seconds()
            metrics.TIME_TO_CONFIRM.observe(max(seconds, 0.0))
        log.info(
            "transfer.settled",
            transfer_id=str(row.transfer_id),
            txid=row.txid,
            confirmed_round=confirmed,
        )
        return State.SETTLED

    def _returned(self, session: Session, row: Row, info: dict) -> State:
        self._keep(session, row.transfer_id, "pool-error", info)
        message = str(info["pool-error"])
        code = reason_for(message, receiver=row.receiver, sender=row.sender)
        repository.update(
            session,
            row.transfer_id,
            state=State.RETURNED.value,
            reason_code=code.value,
            reason=message[:500],
            finished_at=repository.now(),
        )
        events.returned(session, row.transfer_id, row.txid, code.value, _brief(code))
        metrics.FAILED.labels("returned", code.value).inc()
        log.warning(
            "transfer.returned",
            transfer_id=str(row.transfer_id),
            reason_code=code.value,
        )
        return State.RETURNED

    def _unresolved(self, session: Session, row: Row, why: str) -> State:
        # TODO(indexer): look the txid up in an indexer and settle or fail it;
        # until then an operator resolves these rows by hand.
        repository.update(
            session, row.transfer_id, state=State.UNRESOLVED.value, reason=why[:500]
        )
        metrics.FAILED.labels("unresolved", "unknown").inc()
        log.error(
            "transfer.unresolved", transfer_id=str(row.transfer_id), txid=row.txid
        )
        return State.UNRESOLVED

    def _keep(
        self, session: Session, transfer_id: uuid.UUID, kind: str, answer: dict
    ) -> None:
        body = json.dumps(answer, sort_keys=True).encode()
        stored = self.vault.put(transfer_id=transfer_id, kind=kind, body=body)
        repository.add_payload(session, transfer_id, kind, stored)


_BRIEF = {
    ReasonCode.RECEIVER_NOT_OPTED_IN: "the creditor wallet has not opted in to USDC",
    ReasonCode.INSUFFICIENT_FUNDS: "the hot wallet cannot cover the amount or fee",
    ReasonCode.VALIDITY_WINDOW_PASSED: "the transaction's validity window passed",
    ReasonCode.RAIL_REJECTED: "algod refused the transaction",
}


def _brief(code: ReasonCode) -> str:
    """A short reason for events (algod's full text stays in the database)."""
    return _BRIEF.get(code, code.value)
