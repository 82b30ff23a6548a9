"""The EU consolidated financial sanctions list (FSF XML, namespace
`http://eu.europa.ec/fpi/fsd/export`).

Root `export` with `generationDate` and `globalFileId`; each `sanctionEntity`
(attribute `logicalId`, `euReferenceNumber`) holds `subjectType` (code `person`
or `enterprise`), one `nameAlias` per name (attributes `wholeName`, `firstName`,
`lastName`, `strong`, `nameLanguage`), `citizenship` and `address` with
`countryIso2Code`, `birthdate` with `birthdate` or `year`, and `remark`.
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
    line_of,
    local,
    parse_birth_date,
    parse_xml,
    sha256_of,
)

_SUBJECTS: dict[str, Subject] = {"person": "individual", "enterprise": "organisation"}


def _children(node: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in node if isinstance(c.tag, str) and local(c.tag) == name]


def parse_eu(files: Mapping[str, bytes]) -> ParsedList:
    if len(files) != 1:
        raise ListFileInvalid(",".join(files), None, "the EU list is one XML file")
    name, body = next(iter(files.items()))
    root = parse_xml(name, body)
    if local(root.tag) != "export":
        raise ListFileInvalid(name, line_of(root), "root is not an FSF export")
    generated = root.get("generationDate")
    published: date | None = None
    if generated:
        try:
            published = date.fromisoformat(generated[:10])
        except ValueError as exc:
            raise ListFileInvalid(
                name, line_of(root), f"generationDate {generated!r} is not a date"
            ) from exc
    entries: list[ListEntry] = []
    seen: set[str] = set()
    for node in _children(root, "sanctionEntity"):
        entries.append(_entry(name, node, seen))
    if not entries:
        raise ListFileInvalid(name, None, "the file lists no entries")
    digest, per_file = sha256_of(files)
    publisher = root.get("globalFileId") or generated
    return ParsedList(
        "eu_consolidated", digest, entries, published, publisher, files=per_file
    )


def _entry(file: str, node: etree._Element, seen: set[str]) -> ListEntry:
    line = line_of(node)
    logical_id = node.get("logicalId")
    if not logical_id:
        raise ListFileInvalid(file, line, "sanctionEntity has no logicalId")
    if logical_id in seen:
        raise ListFileInvalid(file, line, f"logicalId {logical_id} appears twice")
    seen.add(logical_id)
    kinds = _children(node, "subjectType")
    code = kinds[0].get("code", "") if kinds else ""
    if code not in _SUBJECTS:
        raise ListFileInvalid(file, line, f"unknown subjectType {code!r}")
    names: list[ListedName] = []
    for alias in _children(node, "nameAlias"):
        whole = clean(alias.get("wholeName"))
        if not whole:
            parts = [alias.get(k) for k in ("firstName", "middleName", "lastName")]
            whole = clean(" ".join(p for p in parts if p))
        if not whole:
            continue
        weak = alias.get("strong") == "false"
        names.append(
            ListedName(
                whole, "primary" if not names else "alias", "weak" if weak else None
            )
        )
    if not names:
        raise ListFileInvalid(file, line, f"sanctionEntity {logical_id} has no name")
    countries: dict[str, None] = {}
    for tag in ("citizenship", "address", "birthdate"):
        for child in _children(node, tag):
            iso = (child.get("countryIso2Code") or "").upper()
            if len(iso) == 2 and iso != "00":
                countries[iso] = None
    dobs: dict[str, None] = {}
    for child in _children(node, "birthdate"):
        value = child.get("birthdate") or child.get("year")
        parsed = parse_birth_date(value) if value else None
        if parsed:
            dobs[parsed] = None
    programmes = [
        r.get("programme") for r in _children(node, "regulation") if r.get("programme")
    ]
    remark = " ".join(
        t for t in (clean(r.text) for r in _children(node, "remark")) if t
    )
    return ListEntry(
        entry_id=node.get("euReferenceNumber") or logical_id,
        subject=_SUBJECTS[code],
        names=tuple(names),
        dates_of_birth=tuple(dobs),
        countries=tuple(countries),
        programs=tuple(dict.fromkeys(p for p in programmes if p)),
        remarks=remark or None,
    )
