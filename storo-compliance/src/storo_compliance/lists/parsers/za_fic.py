"""South Africa's FIC targeted financial sanctions (TFS) list, XML download.

The FIC serves its list as a .NET DataSet export: individuals are `Table` rows
(IndividualID, FullName, Nationality, IndividualAlias, IndividualDateOfBirth,
IndividualPlaceOfBirth, IndividualAddress, IndividualDocument, Comments,
ReferenceNumber, ListedOn, ...) and entities are `Table1` rows (EntityID,
FirstName holding the entity's name, EntityAlias, EntityAddress, ...). `NA` is the
null marker. Several aliases share one field, each followed by its quality
(`Good` or `Low`) and separated by commas; several dates of birth share one field
as `dd-mm-yyyy` or ISO dates separated by commas.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

from storo_compliance.lists.model import (
    ListedName,
    ListEntry,
    ListFileInvalid,
    ParsedList,
    Subject,
)
from storo_compliance.lists.parsers.common import (
    clean,
    country_codes,
    line_of,
    local,
    parse_birth_date,
    parse_xml,
    sha256_of,
)

_QUALITY_SPLIT = re.compile(r",?\s*\b(Good|Low)\b\s*,?\s*")
_ENTITY_ALIAS_SPLIT = re.compile(r"\s*(?:;|a\.k\.a\.,|f\.k\.a\.,?|f\.n\.a\.,)\s*")


def _fields(row: etree._Element) -> dict[str, str]:
    data: dict[str, str] = {}
    for child in row:
        if not isinstance(child.tag, str):
            continue
        value = clean(child.text)
        if value and value != "NA":
            data[local(child.tag)] = value
    return data


def _individual_aliases(text: str) -> list[ListedName]:
    names: list[ListedName] = []
    # "A Good, B Low, C" -> [(A, Good), (B, Low), (C, None)]
    pieces = _QUALITY_SPLIT.split(text)
    pending: str | None = None
    for piece in pieces:
        piece = piece.strip(" ,")
        if piece in {"Good", "Low"}:
            if pending:
                names.append(ListedName(pending, "alias", piece))
                pending = None
            continue
        if pending:
            names.append(ListedName(pending, "alias"))
        pending = piece or None
    if pending:
        names.append(ListedName(pending, "alias"))
    return names


def parse_za_fic(files: Mapping[str, bytes]) -> ParsedList:
    if len(files) != 1:
        raise ListFileInvalid(",".join(files), None, "the FIC list is one XML file")
    name, body = next(iter(files.items()))
    root = parse_xml(name, body)
    entries: list[ListEntry] = []
    seen: set[str] = set()
    for row in root:
        if not isinstance(row.tag, str):
            continue
        tag = local(row.tag)
        if tag not in {"Table", "Table1"}:
            continue
        entries.append(_entry(name, row, tag, seen))
    if not entries:
        raise ListFileInvalid(name, line_of(root), "the file lists no entries")
    digest, per_file = sha256_of(files)
    return ParsedList("za_fic", digest, entries, files=per_file)


def _entry(file: str, row: etree._Element, tag: str, seen: set[str]) -> ListEntry:
    data = _fields(row)
    line = line_of(row)
    subject: Subject = "individual" if tag == "Table" else "organisation"
    id_field, name_field = (
        ("IndividualID", "FullName") if tag == "Table" else ("EntityID", "FirstName")
    )
    entry_id = data.get("ReferenceNumber") or data.get(id_field)
    if not entry_id:
        raise ListFileInvalid(file, line, f"{tag} row has no {id_field}")
    if entry_id in seen:
        raise ListFileInvalid(file, line, f"entry {entry_id} appears twice")
    seen.add(entry_id)
    primary = data.get(name_field)
    if not primary:
        raise ListFileInvalid(file, line, f"{tag} row {entry_id} has no {name_field}")
    names = [ListedName(primary, "primary")]
    if subject == "individual":
        names += _individual_aliases(data.get("IndividualAlias", ""))
    else:
        for alias in _ENTITY_ALIAS_SPLIT.split(data.get("EntityAlias", "")):
            alias = alias.strip(" ,")
            if alias:
                names.append(ListedName(alias, "alias"))
    dobs: dict[str, None] = {}
    for piece in data.get("IndividualDateOfBirth", "").split(","):
        parsed = parse_birth_date(piece) if piece.strip() else None
        if parsed:
            dobs[parsed] = None
    countries = [data.get("Nationality")]
    address = data.get("IndividualAddress") or data.get("EntityAddress")
    if address:
        countries.append(address.rsplit(",", 1)[-1])
    return ListEntry(
        entry_id=entry_id,
        subject=subject,
        names=tuple(names),
        dates_of_birth=tuple(dobs),
        countries=country_codes(countries),
        programs=("FIC TFS",),
        remarks=data.get("Comments"),
    )
