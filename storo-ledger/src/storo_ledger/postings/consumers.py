"""Inbox handlers: one per consumed event type, each a thin call into the service.

The storo_outbox Consumer opens the transaction, records the event id in the inbox
and calls the handler inside it, so a redelivered event is skipped before it reaches
the ledger and a booked event commits together with its inbox row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from storo_outbox import Handler

from storo_ledger.postings.service import Postings


def handlers(postings: Postings) -> dict[str, Handler]:
    def handle(session: Session, envelope: dict[str, Any]) -> None:
        postings.handle(session, envelope)

    return {event_type: handle for event_type in postings.event_types}
