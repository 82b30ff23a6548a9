"""The rails Storo knows and the currencies each carries (fixed by the fleet brief)."""

from typing import Final, Literal

RailName = Literal["usdc", "oppwa", "zimswitch"]

RAIL_CURRENCIES: Final[dict[str, frozenset[str]]] = {
    "usdc": frozenset({"USDC"}),
    "oppwa": frozenset({"ZAR", "USD"}),
    "zimswitch": frozenset({"ZWG", "USD"}),
}

# When no rail is asked for and two rails cost the same and settle on the same day,
# the one earlier in this order wins, so the choice never depends on dict order.
RAIL_PREFERENCE: Final[tuple[str, ...]] = ("zimswitch", "oppwa", "usdc")

RAILS: Final[frozenset[str]] = frozenset(RAIL_CURRENCIES)


def carries(rail: str, currency: str) -> bool:
    return currency in RAIL_CURRENCIES.get(rail, frozenset())
