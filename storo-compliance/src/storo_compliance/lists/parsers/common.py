"""Helpers the parsers share: hashing, country names, dates, safe XML."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache

import pycountry
from lxml import etree

from storo_compliance.lists.model import ListFileInvalid

# Names the publishers use that pycountry does not know under that spelling.
_COUNTRY_ALIASES = {
    "iran (islamic republic of)": "IR",
    "iran": "IR",
    "syrian arab republic": "SY",
    "syria": "SY",
    "russia": "RU",
    "russian federation": "RU",
    "democratic people's republic of korea": "KP",
    "korea, north": "KP",
    "north korea": "KP",
    "republic of korea": "KR",
    "south korea": "KR",
    "united kingdom of great britain and northern ireland": "GB",
    "united kingdom": "GB",
    "united states": "US",
    "bolivia (plurinational state of)": "BO",
    "venezuela (bolivarian republic of)": "VE",
    "venezuela": "VE",
    "congo, democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "tanzania": "TZ",
    "turkey": "TR",
    "turkiye": "TR",
    "palestinian": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "burma": "MM",
    "laos": "LA",
    "moldova": "MD",
    "vietnam": "VN",
    "viet nam": "VN",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
}
# Demonyms OFAC remarks and UN nationality fields use.
_DEMONYMS = {
    "iraqi": "IQ",
    "iranian": "IR",
    "syrian": "SY",
    "afghan": "AF",
    "pakistani": "PK",
    "yemeni": "YE",
    "saudi": "SA",
    "russian": "RU",
    "libyan": "LY",
    "somali": "SO",
    "sudanese": "SD",
    "zimbabwean": "ZW",
    "south african": "ZA",
    "egyptian": "EG",
    "jordanian": "JO",
    "kuwaiti": "KW",
    "lebanese": "LB",
    "tunisian": "TN",
    "algerian": "DZ",
    "moroccan": "MA",
    "nigerian": "NG",
    "kenyan": "KE",
    "cuban": "CU",
    "north korean": "KP",
    "korean": "KP",
    "belarusian": "BY",
    "chinese": "CN",
    "indonesian": "ID",
    "filipino": "PH",
    "malian": "ML",
}


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """ISO alpha-2 for a country name, code or demonym; None when unknown."""
    if not text:
        return None
    key = text.strip().strip(".").lower()
    if not key or key in {"-0-", "na", "n/a"}:
        return None
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    if key in _DEMONYMS:
        return _DEMONYMS[key]
    try:
        found = pycountry.countries.lookup(key)
    except LookupError:
        return None
    return str(found.alpha_2)


def country_codes(values: Iterable[str | None]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        code = country_code(value)
        if code:
            seen[code] = None
    return tuple(seen)


def sha256_of(files: Mapping[str, bytes]) -> tuple[str, dict[str, str]]:
    """The version hash: sha256 over each file's name and sha256, in name order,
    so a multi-file list (OFAC) has one hash and a single file its own hash."""
    per_file = {name: hashlib.sha256(body).hexdigest() for name, body in files.items()}
    if len(per_file) == 1:
        return next(iter(per_file.values())), per_file
    joined = "".join(f"{name}:{digest}\n" for name, digest in sorted(per_file.items()))
    return hashlib.sha256(joined.encode()).hexdigest(), per_file


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct"]
        + ["nov", "dec"],
        start=1,
    )
}
_DMY_TEXT = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$")
_MY_TEXT = re.compile(r"^([A-Za-z]{3})[a-z]* (\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_DMY = re.compile(r"^(\d{2})[-/.](\d{2})[-/.](\d{4})$")
_YEAR = re.compile(r"^(?:circa |c\. |approximately )?(\d{4})$", re.IGNORECASE)


def parse_birth_date(text: str) -> str | None:
    """A birth date as `YYYY-MM-DD`, or `YYYY` when only the year is known."""
    value = text.strip()
    for pattern in (_ISO,):
        m = pattern.match(value)
        if m:
            return _checked(int(m[1]), int(m[2]), int(m[3]))
    m = _DMY.match(value)
    if m:
        return _checked(int(m[3]), int(m[2]), int(m[1]))
    m = _DMY_TEXT.match(value)
    if m and m[2].lower() in _MONTHS:
        return _checked(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    m = _MY_TEXT.match(value)
    if m and m[1].lower() in _MONTHS:
        return m[2]
    m = _YEAR.match(value)
    if m:
        return m[1]
    return None


def _checked(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_xml(name: str, body: bytes) -> etree._Element:
    """Parse without entity expansion or network access (list files come from
    outside); a syntax error is refused with its line."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, huge_tree=True
    )
    try:
        return etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise ListFileInvalid(
            name, exc.lineno, f"not well-formed XML: {exc.msg}"
        ) from exc


def local(tag: object) -> str:
    """An element's tag without its namespace."""
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def line_of(node: etree._Element) -> int | None:
    line = getattr(node, "sourceline", None)
    return line if isinstance(line, int) else None


def clean(text: str | None) -> str | None:
    if text is None:
        return None
    value = " ".join(text.split())
    return value or None
