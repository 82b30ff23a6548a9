"""Keeping card numbers out of text the fleet writes: problem bodies and log lines.

A card number (PAN) must never leave the card gateway, but a client can still paste one
into a URL or a field. Anything that echoes request text back or into a log runs it
through :func:`redact_card_numbers` first. A PAN is 13 to 19 digits passing the Luhn
check (ISO/IEC 7812); digits may be grouped by spaces or hyphens, as people type them.
"""

from __future__ import annotations

import re
from typing import Final

REDACTED: Final = "[card number redacted]"

# Digit runs, optionally grouped by single spaces or hyphens, not glued to other digits.
_CANDIDATE: Final = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")


def passes_luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def looks_like_card_number(text: str) -> bool:
    digits = re.sub(r"[ -]", "", text)
    return digits.isdigit() and 13 <= len(digits) <= 19 and passes_luhn(digits)


def redact_card_numbers(text: str) -> str:
    """Replace every PAN-shaped value in ``text``; everything else is left as it was."""

    def replace(match: re.Match[str]) -> str:
        return REDACTED if looks_like_card_number(match[0]) else match[0]

    return _CANDIDATE.sub(replace, text)
