"""The UN Security Council consolidated list (its XML publication).

Root `CONSOLIDATED_LIST` with `dateGenerated`; `INDIVIDUALS/INDIVIDUAL` rows carry
DATAID, FIRST_NAME..FOURTH_NAME, REFERENCE_NUMBER, NAME_ORIGINAL_SCRIPT,
NATIONALITY/VALUE, INDIVIDUAL_ALIAS (QUALITY, ALIAS_NAME), INDIVIDUAL_ADDRESS,
INDIVIDUAL_DATE_OF_BIRTH (TYPE_OF_DATE with DATE, YEAR or FROM_YEAR/TO_YEAR) and
COMMENTS1; `ENTITIES/ENTITY` rows carry the entity's name in FIRST_NAME and
ENTITY_ALIAS / ENTITY_ADDRESS.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

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
    parse_birth_date,
    parse_xml,
    sha256_of,
)


def _text(node: etree._Element, path: str) -> str | None:
    found = node.find(path)
    return clean(found.text) if found is not None else None


def _texts(node: etree._Element, path: str) -> list[str]:
    return [t for t in (clean(n.text) for n in node.findall(path)) if t]


def parse_un(files: Mapping[str, bytes]) -> ParsedList:
    if len(files) != 1:
        raise ListFileInvalid(",".join(files), None, "the UN list is one XML file")
    name, body = next(iter(files.items()))
    root = parse_xml(name, body)
    if root.tag != "CONSOLIDATED_LIST":
        raise ListFileInvalid(name, line_of(root), "root is not CONSOLIDATED_LIST")
    generated = root.get("dateGenerated")
    published: date | None = None
    if generated:
        try:
            published = date.fromisoformat(generated[:10])
        except ValueError as exc:
            raise ListFileInvalid(
                name, line_of(root), f"dateGenerated {generated!r} is not a date"
            ) from exc
    entries: list[ListEntry] = []
    seen: set[str] = set()
    for node in root.iterfind("INDIVIDUALS/INDIVIDUAL"):
        entries.append(_entry(name, node, "individual", seen))
    for node in root.iterfind("ENTITIES/ENTITY"):
        entries.append(_entry(name, node, "organisation", seen))
    if not entries:
        raise ListFileInvalid(name, None, "the file lists no entries")
    digest, per_file = sha256_of(files)
    return ParsedList(
        "un_consolidated", digest, entries, published, generated, files=per_file
    )


def _entry(
    file: str, node: etree._Element, subject: Subject, seen: set[str]
) -> ListEntry:
    line = line_of(node)
    data_id = _text(node, "DATAID")
    if not data_id:
        raise ListFileInvalid(file, line, f"{node.tag} has no DATAID")
    entry_id = _text(node, "REFERENCE_NUMBER") or data_id
    if entry_id in seen:
        raise ListFileInvalid(file, line, f"entry {entry_id} appears twice")
    seen.add(entry_id)
    parts = [
        _text(node, tag)
        for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
    ]
    primary = " ".join(p for p in parts if p)
    if not primary:
        raise ListFileInvalid(file, line, f"{node.tag} {data_id} has no name")
    names = [ListedName(primary, "primary")]
    original = _text(node, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(ListedName(original, "alias", "original_script"))
    prefix = "INDIVIDUAL" if subject == "individual" else "ENTITY"
    for alias in node.findall(f"{prefix}_ALIAS"):
        alias_name = _text(alias, "ALIAS_NAME")
        if alias_name:
            names.append(ListedName(alias_name, "alias", _text(alias, "QUALITY")))
    countries = _texts(node, "NATIONALITY/VALUE")
    countries += _texts(node, f"{prefix}_ADDRESS/COUNTRY")
    countries += _texts(node, "INDIVIDUAL_PLACE_OF_BIRTH/COUNTRY")
    return ListEntry(
        entry_id=entry_id,
        subject=subject,
        names=tuple(names),
        dates_of_birth=_birth_dates(node),
        countries=country_codes(countries),
        programs=tuple(_texts(node, "UN_LIST_TYPE")),
        remarks=_text(node, "COMMENTS1"),
    )


def _birth_dates(node: etree._Element) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for dob in node.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        for tag in ("DATE", "YEAR", "FROM_YEAR", "TO_YEAR"):
            value = _text(dob, tag)
            parsed = parse_birth_date(value) if value else None
            if parsed:
                found[parsed] = None
    return tuple(found)
