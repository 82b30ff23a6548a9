"""Pydantic models of the event payloads, generated from the schemas.

The classes live in `_generated` (written by `make models`, never by hand). The JSON
Schemas stay authoritative: per-currency exponents, the card-number guard and the
balance check are enforced by `storo_specs.validate_event`, not by these models.
Validate first, then parse for typed access:

    validate_event(envelope)
    payload = parse_data(envelope)  # a TransfersSubmittedUsdcV1, ...
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from storo_specs.errors import UnknownEventType, UnknownEventVersion
from storo_specs.models._generated import *  # noqa: F403 (the generated public names)
from storo_specs.models import _generated

EVENT_MODELS: dict[tuple[str, int], type[BaseModel]] = {
    ("transfers.submitted.usdc", 1): _generated.TransfersSubmittedUsdcV1,
    ("transfers.submitted.oppwa", 1): _generated.TransfersSubmittedOppwaV1,
    ("transfers.submitted.zimswitch", 1): _generated.TransfersSubmittedZimswitchV1,
    ("transfers.rejected", 1): _generated.TransfersRejectedV1,
    ("transfers.status.changed", 1): _generated.TransfersStatusChangedV1,
    ("transfers.accepted", 1): _generated.TransfersAcceptedV1,
    ("transfers.settled", 1): _generated.TransfersSettledV1,
    ("transfers.returned", 1): _generated.TransfersReturnedV1,
    ("transfers.failed", 1): _generated.TransfersFailedV1,
    ("ledger.entry.posted", 1): _generated.LedgerEntryPostedV1,
    ("ledger.posting.refused", 1): _generated.LedgerPostingRefusedV1,
    ("compliance.lists.refreshed", 1): _generated.ComplianceListsRefreshedV1,
    ("directory.dataset.published", 1): _generated.DirectoryDatasetPublishedV1,
    ("recon.exception.raised", 1): _generated.ReconExceptionRaisedV1,
}


def model_for(type_: str, v: int) -> type[BaseModel]:
    try:
        return EVENT_MODELS[(type_, v)]
    except KeyError:
        known = sorted(ver for t, ver in EVENT_MODELS if t == type_)
        if not known:
            raise UnknownEventType(type_) from None
        raise UnknownEventVersion(type_, v, known) from None


def parse_data(envelope: dict[str, Any]) -> BaseModel:
    """The envelope's data as the model of its type and version."""
    return model_for(envelope["type"], envelope["v"]).model_validate(envelope["data"])
