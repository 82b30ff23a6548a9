"""Storo's contracts: event schemas, API documents and the messaging topology.

Every service pins one exact release of this package and validates what it emits and
consumes against it.
"""

from storo_specs._version import VERSION
from storo_specs.contracts import event_schema, event_types, openapi, topology
from storo_specs.errors import (
    ApiInvalid,
    ContractError,
    EventInvalid,
    Issue,
    UnknownComponent,
    UnknownDocument,
    UnknownEventType,
    UnknownEventVersion,
)
from storo_specs.validation import validate_api, validate_event, validate_example

__all__ = [
    "VERSION",
    "ApiInvalid",
    "ContractError",
    "EventInvalid",
    "Issue",
    "UnknownComponent",
    "UnknownDocument",
    "UnknownEventType",
    "UnknownEventVersion",
    "event_schema",
    "event_types",
    "openapi",
    "topology",
    "validate_api",
    "validate_event",
    "validate_example",
]
