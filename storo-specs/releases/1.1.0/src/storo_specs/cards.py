"""The card-number guard: no PAN outside the card gateway.

A PAN is 13 to 19 digits that pass the Luhn check (ISO/IEC 7812). Digit runs glued to
letters (hex digests, Algorand transaction ids) are not taken for card numbers, which
keeps hashes from tripping the guard by chance; runs written in groups of four with
spaces or dashes are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Events whose source is the card gateway may carry card data; nothing else may.
CARD_GATEWAY_SOURCES = frozenset({"storo-gw-oppwa"})
CARD_GATEWAY_DOCUMENTS = frozenset({"gw-oppwa"})

_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])"
    r"(?:[0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{4}){2}[ -][0-9]{1,7})"
    r"(?![0-9A-Za-z])"
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def looks_like_pan(text: str) -> bool:
    for match in _CANDIDATE.finditer(text):
        digits = re.sub(r"[ -]", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            return True
    return False


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def find_pans(value: Any, pointer: str = "") -> Iterator[str]:
    """JSON pointers of every string, integer or key holding a PAN-shaped value."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{pointer}/{_escape(str(key))}"
            if isinstance(key, str) and looks_like_pan(key):
                yield child
            yield from find_pans(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from find_pans(item, f"{pointer}/{index}")
    elif isinstance(value, str):
        if looks_like_pan(value):
            yield pointer
    elif (
        isinstance(value, int)
        and not isinstance(value, bool)
        and looks_like_pan(str(abs(value)))
    ):
        yield pointer
