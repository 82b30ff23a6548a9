"""Validating an import whole: every row, then the rules across rows.

Nothing is published unless every row passes; the refusal names each bad row, the
field and the rule it broke.
"""

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from storo_directory.catalog.kinds import DatasetKind, Row, RowError

# Rules checked across fields of a record are reported against the field a person
# would correct.
_FIELD_OF_RULE = {
    "bic_country_mismatch": "bic",
    "length_mismatch": "high",
    "range_reversed": "high",
    "minimum_above_maximum": "minimum",
}


def _row_errors(number: int, error: ValidationError) -> list[RowError]:
    found = []
    for detail in error.errors(include_url=False):
        rule = detail["type"]
        location = [str(part) for part in detail["loc"]]
        name = "/".join(location) if location else _FIELD_OF_RULE.get(rule)
        found.append(RowError(number, name, rule, detail["msg"]))
    return found


def validate_rows(
    kind: DatasetKind, raw_rows: Sequence[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """The canonical records of an import, or every reason to refuse it."""
    rows: list[Row] = []
    errors: list[RowError] = []
    if not raw_rows:
        errors.append(RowError(0, None, "empty", "an import holds at least one record"))
    for number, raw in enumerate(raw_rows, start=1):
        try:
            rows.append(Row(number, kind.record.model_validate(raw)))
        except ValidationError as error:
            errors.extend(_row_errors(number, error))
    for check in kind.checks:
        errors.extend(check(rows))
    if errors:
        return [], sorted(errors, key=lambda e: (e.row, e.field or "", e.rule))
    records = [row.record.model_dump(mode="json", by_alias=True) for row in rows]
    records.sort(key=kind.key)
    return records, []
