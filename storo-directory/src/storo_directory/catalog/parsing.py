"""Turning an import's bytes (CSV or JSON) into raw rows, before any validation.

JSON is either a list of records or an object `{"version", "effective_from",
"records": [...]}`. CSV has a header row naming the record fields; an empty cell is
an absent field, and list fields (`rails`, `calendars`) separate items with `|`.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from storo_directory.catalog.kinds import RowError

ImportFormat = Literal["csv", "json"]


class UnreadableImport(ValueError):
    """The bytes are not a CSV or JSON document of records at all."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


@dataclass
class RawImport:
    rows: list[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)


def guess_format(filename: str | None, content_type: str | None) -> ImportFormat:
    if content_type and "csv" in content_type:
        return "csv"
    if content_type and "json" in content_type:
        return "json"
    if filename and filename.lower().endswith(".csv"):
        return "csv"
    return "json"


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableImport(
            [RowError(0, None, "not_utf8", f"the import is not UTF-8: {error}")]
        ) from None


def parse(body: bytes, fmt: ImportFormat) -> RawImport:
    return parse_csv(body) if fmt == "csv" else parse_json(body)


def parse_json(body: bytes) -> RawImport:
    try:
        document = json.loads(_text(body))
    except json.JSONDecodeError as error:
        raise UnreadableImport(
            [RowError(0, None, "not_json", f"the import is not JSON: {error}")]
        ) from None
    meta: dict[str, Any] = {}
    if isinstance(document, dict):
        meta = {k: v for k, v in document.items() if k != "records"}
        document = document.get("records")
    if not isinstance(document, list):
        raise UnreadableImport(
            [
                RowError(
                    0,
                    None,
                    "not_a_record_list",
                    "expected a list of records or an object with `records`",
                )
            ]
        )
    errors = [
        RowError(i, None, "not_an_object", f"row {i} is not a JSON object")
        for i, row in enumerate(document, start=1)
        if not isinstance(row, dict)
    ]
    if errors:
        raise UnreadableImport(errors)
    return RawImport(rows=document, meta=meta)


def parse_csv(body: bytes) -> RawImport:
    reader = csv.DictReader(io.StringIO(_text(body), newline=""), strict=True)
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    try:
        for number, row in enumerate(reader, start=1):
            if None in row:
                errors.append(
                    RowError(number, None, "too_many_cells", "more cells than columns")
                )
                continue
            if any(value is None for value in row.values()):
                errors.append(
                    RowError(number, None, "too_few_cells", "fewer cells than columns")
                )
                continue
            rows.append({k.strip(): v.strip() for k, v in row.items() if v.strip()})
    except csv.Error as error:
        raise UnreadableImport(
            [RowError(reader.line_num, None, "not_csv", f"unreadable CSV: {error}")]
        ) from None
    if errors:
        raise UnreadableImport(errors)
    return RawImport(rows=rows)
