"""OFAC's SDN list in its legacy CSV set.

The set is `sdn.csv` (12 fields: ent_num, SDN_Name, SDN_Type, Program, Title,
Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks), `add.csv`
(ent_num, Add_num, Address, City/State/Province/Postal Code, Country,
Add_remarks), `alt.csv` (ent_num, alt_num, alt_type, alt_name, alt_remarks) and,
since 2013, `sdn_comments.csv` (ent_num, Remarks_Extended) holding the part of a
remark that did not fit. None of the files has a header row. OFAC writes its null
as `-0-` (often followed by a space), separates several programs in one field with
`] [`, and ends each file with a DOS end-of-file byte (0x1A).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from typing import Any

from storo_compliance.lists.model import (
    ListedName,
    ListEntry,
    ListFileInvalid,
    ParsedList,
    Subject,
)
from storo_compliance.lists.parsers.common import (
    country_codes,
    parse_birth_date,
    sha256_of,
)

FILES = ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
_WIDTH = {"sdn.csv": 12, "add.csv": 6, "alt.csv": 5, "sdn_comments.csv": 2}
_TYPES: dict[str, Subject] = {
    "individual": "individual",
    "vessel": "vessel",
    "aircraft": "aircraft",
    "": "organisation",  # OFAC leaves the type null for entities
}
_DOB = re.compile(r"(?:^|;\s*)(?:alt\.\s*)?DOB\s+([^;]+)", re.IGNORECASE)
_NATIONALITY = re.compile(
    r"(?:^|;\s*)(?:alt\.\s*)?(?:nationality|citizen)\s+([^;]+)", re.IGNORECASE
)


def _value(field: str) -> str:
    text = field.strip()
    return "" if text == "-0-" else text


def _rows(name: str, body: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        # The legacy files predate UTF-8 at OFAC; Windows-1252 is what they use.
        text = body.decode("cp1252")
    text = text.replace("\x1a", "")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for record in reader:
            if not record or all(not f.strip() for f in record):
                continue
            if len(record) != _WIDTH[name]:
                raise ListFileInvalid(
                    name,
                    reader.line_num,
                    f"expected {_WIDTH[name]} fields, found {len(record)}",
                )
            rows.append((reader.line_num, record))
    except csv.Error as exc:
        raise ListFileInvalid(name, reader.line_num, f"malformed CSV: {exc}") from exc
    return rows


def _ent_num(name: str, line: int, field: str) -> str:
    value = field.strip()
    if not value.isdigit():
        raise ListFileInvalid(name, line, f"ent_num {value!r} is not an integer")
    return value


def _programs(field: str) -> tuple[str, ...]:
    value = _value(field)
    if not value:
        return ()
    parts = [p.strip(" []") for p in value.split("] [")]
    return tuple(p for p in parts if p)


def _birth_dates(remarks: str) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for raw in _DOB.findall(remarks):
        # "1958 to 1960" is a range: both ends are kept as years.
        for piece in re.split(r"\s+to\s+", raw.strip()):
            parsed = parse_birth_date(piece)
            if parsed:
                found[parsed] = None
    return tuple(found)


def parse_ofac(files: Mapping[str, bytes]) -> ParsedList:
    if "sdn.csv" not in files:
        raise ListFileInvalid("sdn.csv", None, "the SDN set needs sdn.csv")
    unknown = sorted(set(files) - set(FILES))
    if unknown:
        raise ListFileInvalid(unknown[0], None, "not a file of the SDN CSV set")
    records: dict[str, dict[str, object]] = {}
    for line, row in _rows("sdn.csv", files["sdn.csv"]):
        ent = _ent_num("sdn.csv", line, row[0])
        if ent in records:
            raise ListFileInvalid("sdn.csv", line, f"ent_num {ent} appears twice")
        name = _value(row[1])
        if not name:
            raise ListFileInvalid("sdn.csv", line, "SDN_Name is empty")
        kind = _value(row[2]).lower()
        if kind not in _TYPES:
            raise ListFileInvalid("sdn.csv", line, f"unknown SDN_Type {row[2]!r}")
        records[ent] = {
            "names": [ListedName(name, "primary")],
            "subject": _TYPES[kind],
            "programs": _programs(row[3]),
            "remarks": _value(row[11]),
            "countries": [_value(row[9])] if kind == "vessel" else [],
        }
    if not records:
        raise ListFileInvalid("sdn.csv", None, "the file lists no entries")
    _merge_children(files, records)
    entries = [_entry(ent, rec) for ent, rec in records.items()]
    digest, per_file = sha256_of(files)
    return ParsedList("ofac_sdn", digest, entries, files=per_file)


def _merge_children(
    files: Mapping[str, bytes], records: dict[str, dict[str, Any]]
) -> None:
    for name in ("alt.csv", "add.csv", "sdn_comments.csv"):
        if name not in files:
            continue
        for line, row in _rows(name, files[name]):
            ent = _ent_num(name, line, row[0])
            if ent not in records:
                raise ListFileInvalid(
                    name, line, f"ent_num {ent} is not listed in sdn.csv"
                )
            record = records[ent]
            if name == "alt.csv":
                alias = _value(row[3])
                if not alias:
                    raise ListFileInvalid(name, line, "alt_name is empty")
                quality = _value(row[2]) or None
                record["names"].append(ListedName(alias, "alias", quality))
            elif name == "add.csv":
                record["countries"].append(_value(row[4]))
            else:
                extra = _value(row[1])
                if extra:
                    record["remarks"] = f"{record['remarks']}{extra}"


def _entry(ent: str, rec: dict[str, Any]) -> ListEntry:
    remarks: str = rec["remarks"]
    countries = list(rec["countries"])
    countries += [c.strip() for c in _NATIONALITY.findall(remarks)]
    return ListEntry(
        entry_id=ent,
        subject=rec["subject"],
        names=tuple(rec["names"]),
        dates_of_birth=_birth_dates(remarks),
        countries=country_codes(countries),
        programs=rec["programs"],
        remarks=remarks or None,
    )
