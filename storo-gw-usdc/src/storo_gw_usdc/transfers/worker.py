"""The rail loop: submit recorded transactions, follow accepted ones.

Each row is handled in its own short transactions. Before a broadcast the loop
commits `attempts + 1` so that a later refusal can tell a first send from a
resend; the broadcast itself happens outside any row lock and may repeat (the
same bytes, the same txid), which algod deduplicates.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import structlog
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from storo_gw_usdc.algorand.client import RailUnavailable
from storo_gw_usdc.transfers import repository
from storo_gw_usdc.transfers.schemas import State
from storo_gw_usdc.transfers.service import Gateway

log = structlog.get_logger("storo_gw_usdc.worker")


@dataclass
class RailWorker:
    engine: Engine
    gateway: Gateway
    batch_size: int = 10
    poll_seconds: float = 1.0
    wait_timeout: int = 5
    _last_round: int = field(default=0, init=False)
    _open: int = field(default=0, init=False)

    def submit_signed(self) -> int:
        """Broadcast every `signed` row once; return how many changed state."""
        with Session(self.engine) as session, session.begin():
            rows = repository.claim(session, State.SIGNED, self.batch_size)
            ids = [row.transfer_id for row in rows]
            repository.count_attempt(session, ids)
        changed = 0
        for transfer_id in ids:
            with Session(self.engine) as session, session.begin():
                row = repository.lock(session, transfer_id, State.SIGNED)
                if row is None:
                    continue
                try:
                    self.gateway.submit(session, row)
                except RailUnavailable as error:
                    log.warning("rail.unavailable", step="submit", error=str(error))
                    session.rollback()
                    break
                changed += 1
        return changed

    def follow_accepted(self) -> tuple[int, int]:
        """Check every `accepted` row; return (changed, still open)."""
        try:
            self._last_round = int(self.gateway.algod.status()["last-round"])
        except RailUnavailable as error:
            log.warning("rail.unavailable", step="status", error=str(error))
            return 0, 0
        changed = still_open = 0
        with Session(self.engine) as session, session.begin():
            rows = repository.claim(session, State.ACCEPTED, self.batch_size)
            for row in rows:
                try:
                    state = self.gateway.follow(session, row, self._last_round)
                except RailUnavailable as error:
                    log.warning("rail.unavailable", step="follow", error=str(error))
                    still_open += 1
                    continue
                if state is State.ACCEPTED:
                    still_open += 1
                else:
                    changed += 1
        return changed, still_open

    def run_once(self) -> int:
        changed = self.submit_signed()
        followed, still_open = self.follow_accepted()
        self._open = still_open
        if still_open and not followed:
            # Nothing to do until the next block: wait for it instead of polling.
            try:
                self.gateway.algod.wait_after(
                    self._last_round, timeout=self.wait_timeout
                )
            except RailUnavailable as error:
                log.warning("rail.unavailable", step="wait", error=str(error))
        return changed + followed

    def run_forever(self, stop: threading.Event) -> None:
        log.info("rail.worker_started")
        while not stop.is_set():
            try:
                busy = self.run_once()
            except Exception:  # the loop must outlive any one bad row or outage
                log.exception("rail.loop_failed")
                busy = 0
            if not busy and not self._open:
                stop.wait(self.poll_seconds)
