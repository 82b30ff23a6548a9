"""The currency registry: ISO 4217 from the `iso4217` package, plus USDC.

The `iso4217` package ships the ISO 4217 maintenance agency's list (codes, names and
minor units) as data, and is re-released when ISO amends the list, so the registry
follows ISO without anyone editing a table here. Codes whose minor unit ISO gives as
"N.A." (gold, special drawing rights, test codes) cannot be held as integer minor units
and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from iso4217 import Currency as _IsoCurrency

__all__ = ["REGISTRY", "Currency"]


@dataclass(frozen=True, slots=True)
class Currency:
    """A currency: its code, how many decimals its minor unit has, and its name."""

    code: str
    exponent: int
    name: str


# USDC is not an ISO currency; Circle's token contract (and the Algorand ASA) carries
# six decimals, and the fleet's wire format uses the four-letter code "USDC".
_EXTRA: Final = (Currency("USDC", 6, "USD Coin"),)


def _build() -> dict[str, Currency]:
    table: dict[str, Currency] = {}
    for iso in _IsoCurrency:
        if iso.exponent is None:
            continue
        table[iso.code] = Currency(iso.code, iso.exponent, iso.currency_name)
    for extra in _EXTRA:
        table[extra.code] = extra
    return table


REGISTRY: Final = MappingProxyType(_build())
