"""Validating event envelopes and API instances against the contracts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from storo_specs import contracts
from storo_specs.cards import CARD_GATEWAY_DOCUMENTS, CARD_GATEWAY_SOURCES, find_pans
from storo_specs.errors import (
    ApiInvalid,
    EventInvalid,
    Issue,
    UnknownComponent,
    UnknownEventType,
    UnknownEventVersion,
)
from storo_specs.inlining import inline

_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")

_formats = FormatChecker(formats=())


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if _UTC.match(value):
        # The pattern (rule utc_timestamp) rejects other shapes; this adds the
        # calendar check. fromisoformat takes at most six fraction digits.
        datetime.fromisoformat(value[:19])
    return True


def _is_date(value: object) -> bool:
    if isinstance(value, str):
        date.fromisoformat(value)
    return True


# jsonschema's decorator is untyped; registering by call keeps mypy strict here.
_formats.checks("date-time", raises=ValueError)(_is_datetime)
_formats.checks("date", raises=ValueError)(_is_date)


def _escape(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _pointer(path: Iterable[object]) -> str:
    return "".join(f"/{_escape(part)}" for part in path)


def _leaf(error: ValidationError) -> ValidationError:
    # anyOf/oneOf errors hold their branches' errors. The deepest one, preferring a
    # broken rule over a mere type mismatch (the "or null" branch), says the most.
    while error.context:
        error = max(
            error.context,
            key=lambda e: (len(e.relative_path), e.validator != "type"),
        )
    return error


def _issue(error: ValidationError) -> Issue:
    leaf = _leaf(error)
    path = list(leaf.absolute_path)
    schema = leaf.schema if isinstance(leaf.schema, dict) else {}
    rule = schema.get("x-storo-rules", {}).get(leaf.validator, str(leaf.validator))
    if leaf.validator == "required" and isinstance(leaf.instance, dict):
        missing = [
            name
            for name in leaf.validator_value
            if name not in leaf.instance and repr(name) in leaf.message
        ]
        path += missing[:1]
    return Issue(_pointer(path), rule, leaf.message)


@cache
def _validator(uri: str) -> Draft202012Validator:
    schema = inline({"$ref": uri}, uri, contracts.registry())
    return Draft202012Validator(schema, format_checker=_formats)


def _schema_issues(uri: str, instance: Any) -> list[Issue]:
    return [_issue(e) for e in _validator(uri).iter_errors(instance)]


def _pan_issues(value: Any, pointer: str) -> Iterator[Issue]:
    for where in find_pans(value, pointer):
        yield Issue(where, "card_number", "a card number (PAN) may not appear here")


def _balanced_lines(data: dict[str, Any]) -> Iterator[Issue]:
    totals: dict[str, Decimal] = {}
    if not isinstance(data.get("lines"), list) or len(data["lines"]) < 2:
        return  # the schema reports a missing or one-sided entry
    try:
        for line in data["lines"]:
            sign = {"debit": 1, "credit": -1}[line["side"]]
            money = line["amount"]
            cur = money["currency"]
            totals[cur] = totals.get(cur, Decimal(0)) + sign * Decimal(money["amount"])
    except (KeyError, TypeError, InvalidOperation):
        return  # the schema already reports malformed lines
    for currency, total in sorted(totals.items()):
        if total != 0:
            yield Issue(
                "/data/lines",
                "unbalanced",
                f"debits and credits in {currency} differ by {abs(total)}",
            )


def _semantic_issues(schema: dict[str, Any], envelope: dict[str, Any]) -> list[Issue]:
    issues: list[Issue] = []
    meta = schema.get("x-storo-event", {})
    data = envelope.get("data")
    if not isinstance(data, dict):
        return issues
    transfer_id = data.get("transfer_id")
    if (
        meta.get("subject") == "data.transfer_id"
        and isinstance(transfer_id, str)
        and envelope.get("subject") != transfer_id
    ):
        issues.append(
            Issue("/subject", "subject_mismatch", "subject must be the transfer_id")
        )
    checks = schema.get("$defs", {}).get("data", {}).get("x-storo-checks", [])
    if "balanced_lines" in checks:
        issues.extend(_balanced_lines(data))
    return issues


def validate_event(envelope: dict[str, Any]) -> None:
    """Validate a CloudEvents envelope against the schema of its type and version.

    Raises EventInvalid (with `.issues`), UnknownEventType or UnknownEventVersion.
    """
    if not isinstance(envelope, dict):
        raise EventInvalid([Issue("", "type", "an envelope is a JSON object")])
    type_ = envelope.get("type")
    v = envelope.get("v")
    if not isinstance(type_, str) or type(v) is not int:
        uri = f"{contracts.BASE_URI}/events/envelope.json"
        raise EventInvalid(_schema_issues(uri, envelope))
    versions = contracts.known_versions(type_)
    if not versions:
        raise UnknownEventType(type_)
    if v not in versions:
        raise UnknownEventVersion(type_, v, versions)
    schema = contracts.raw_event_schema(type_, v)
    issues = _schema_issues(contracts.event_uri(type_, v), envelope)
    issues += _semantic_issues(schema, envelope)
    if envelope.get("source") not in CARD_GATEWAY_SOURCES:
        issues += _pan_issues(envelope.get("data"), "/data")
    if issues:
        raise EventInvalid(issues)


def validate_api(document: str, component: str, instance: Any) -> None:
    """Validate an instance against `#/components/schemas/<component>` of a document.

    Raises ApiInvalid (an EventInvalid, with `.issues`), UnknownDocument or
    UnknownComponent.
    """
    doc = contracts.raw_openapi(document)
    if component not in doc.get("components", {}).get("schemas", {}):
        raise UnknownComponent(document, component)
    uri = f"{contracts.document_uri(document)}#/components/schemas/{component}"
    issues = _schema_issues(uri, instance)
    if document not in CARD_GATEWAY_DOCUMENTS:
        issues += _pan_issues(instance, "")
    if issues:
        raise ApiInvalid(issues)


def validate_example(example: Any) -> str:
    """Validate one sample: an envelope or {"document", "component", "instance"}.

    Returns a short description of what it was. Raises the errors above.
    """
    if isinstance(example, dict) and "specversion" in example:
        validate_event(example)
        return f"event {example.get('type')} v{example.get('v')}"
    if isinstance(example, dict) and {"document", "component", "instance"} <= set(
        example
    ):
        validate_api(example["document"], example["component"], example["instance"])
        return f"api {example['document']} {example['component']}"
    raise EventInvalid(
        [
            Issue(
                "",
                "sample_shape",
                "a sample is an envelope (with specversion) or an object with "
                "document, component and instance",
            )
        ],
        what="sample",
    )
