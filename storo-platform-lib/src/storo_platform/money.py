"""Exact money: integer minor units inside, decimal strings on the wire.

A wire amount is a string in major units (``"125.50"``) next to a currency code.
Parsing is strict on purpose: a float, an exponent, a stray sign or space, or more
decimals than the currency has is refused with its own error, so a client learns
exactly which rule it broke (each error carries ``.rule``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
)
from typing import Any, ClassVar, Final

from storo_platform.currencies import REGISTRY, Currency

__all__ = [
    "MAX_INTEGER_DIGITS",
    "AmountTooLarge",
    "Currency",
    "CurrencyMismatch",
    "Money",
    "MoneyError",
    "NegativeAmount",
    "NotADecimalString",
    "NotAMoneyObject",
    "TooManyDecimals",
    "UnknownCurrency",
    "ZeroAmount",
    "apply_rate",
    "currencies",
    "currency",
    "format_amount",
    "parse_amount",
]

# A hard ceiling, whatever the caller's maximum: no real amount has more than 30
# integer digits, and the limit keeps a hostile string from costing big-int time.
MAX_INTEGER_DIGITS: Final = 30

# Canonical decimal: optional minus, no leading zeros, a fraction only after a digit.
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


class MoneyError(ValueError):
    """Base of every money error; ``rule`` names the broken rule (snake_case)."""

    rule: ClassVar[str] = "invalid_money"


class NotADecimalString(MoneyError):
    rule = "not_a_decimal_string"


class TooManyDecimals(MoneyError):
    rule = "too_many_decimals"


class NegativeAmount(MoneyError):
    rule = "negative"


class ZeroAmount(MoneyError):
    rule = "zero"


class AmountTooLarge(MoneyError):
    rule = "above_maximum"


class UnknownCurrency(MoneyError):
    rule = "unknown_currency"


class CurrencyMismatch(MoneyError):
    rule = "currency_mismatch"


class NotAMoneyObject(MoneyError):
    rule = "not_a_money_object"


def currency(code: str) -> Currency:
    """The registered currency with this exact (upper-case) code."""
    found = REGISTRY.get(code) if isinstance(code, str) else None
    if found is None:
        raise UnknownCurrency(f"{code!r} is not a known currency code")
    return found


def currencies() -> list[Currency]:
    """Every registered currency, sorted by code."""
    return sorted(REGISTRY.values(), key=lambda c: c.code)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in integer minor units of one currency (``Money(12550, "ZAR")``)."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        # bool is an int subclass; True cents is a bug, not an amount
        if type(self.minor) is not int:
            raise NotADecimalString("minor units must be an int")
        currency(self.currency)

    @classmethod
    def zero(cls, code: str) -> Money:
        return cls(0, code)

    @property
    def exponent(self) -> int:
        return currency(self.currency).exponent

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"cannot combine {self.currency} with {other.currency}"
            )

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor <= other.minor

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor > other.minor

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.minor >= other.minor

    @property
    def amount(self) -> str:
        """The wire decimal string in major units."""
        return format_amount(self.minor, self.currency)

    def to_wire(self) -> dict[str, str]:
        return {"amount": self.amount, "currency": self.currency}

    @classmethod
    def from_wire(
        cls,
        obj: object,
        *,
        allow_zero: bool = False,
        allow_negative: bool = False,
        maximum_minor: int | None = None,
    ) -> Money:
        """Parse ``{"amount": "125.50", "currency": "ZAR"}`` (extra keys refused)."""
        if not isinstance(obj, Mapping) or set(obj) != {"amount", "currency"}:
            raise NotAMoneyObject(
                'a money object has exactly the keys "amount" and "currency"'
            )
        return parse_amount(
            obj["amount"],
            obj["currency"],
            allow_negative=allow_negative,
            allow_zero=allow_zero,
            maximum_minor=maximum_minor,
        )

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def parse_amount(
    text: Any,
    currency: str,
    *,
    allow_negative: bool = False,
    allow_zero: bool = False,
    maximum_minor: int | None = None,
) -> Money:
    """Parse a wire decimal string into exact minor units of ``currency``.

    The rules, in the order they are checked: the currency is known
    (``unknown_currency``); the value is a canonical decimal string, not a float,
    int, exponent or padded text (``not_a_decimal_string``); it has no more decimals
    than the currency (``too_many_decimals``); it is not negative unless allowed
    (``negative``); not zero unless allowed (``zero``); and its magnitude is at most
    ``maximum_minor`` minor units (``above_maximum``).
    """
    unit = _lookup(currency)
    if not isinstance(text, str) or _DECIMAL.fullmatch(text) is None:
        raise NotADecimalString(f'{_show(text)} is not a decimal string like "125.50"')
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    if len(fraction) > unit.exponent:
        raise TooManyDecimals(
            f"{unit.code} has {unit.exponent} decimals, {text!r} has {len(fraction)}"
        )
    if len(whole) > MAX_INTEGER_DIGITS:
        raise AmountTooLarge(f"{text!r} has more than {MAX_INTEGER_DIGITS} digits")
    magnitude = int(whole + fraction.ljust(unit.exponent, "0"))
    minor = -magnitude if negative else magnitude
    if minor < 0 and not allow_negative:
        raise NegativeAmount(f"{text!r} is negative")
    if minor == 0 and not allow_zero:
        raise ZeroAmount("the amount must not be zero")
    if maximum_minor is not None and magnitude > maximum_minor:
        limit = format_amount(maximum_minor, unit.code)
        raise AmountTooLarge(f"{text!r} is above the maximum of {limit}")
    return Money(minor, unit.code)


def format_amount(minor: int, currency: str) -> str:
    """Minor units as the canonical wire string (``12550, "ZAR"`` -> ``"125.50"``)."""
    exponent = _lookup(currency).exponent
    sign = "-" if minor < 0 else ""
    digits = str(abs(minor)).rjust(exponent + 1, "0")
    if exponent == 0:
        return sign + digits
    return f"{sign}{digits[:-exponent]}.{digits[-exponent:]}"


_ROUNDING: Final = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
    "up": ROUND_UP,
    "floor": ROUND_FLOOR,
    "ceiling": ROUND_CEILING,
}
_RATE = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
# Enough precision that the product of any amount and rate is exact before rounding.
_EXACT: Final = Context(prec=200)


def apply_rate(money: Money, rate: str, *, rounding: str = "half_up") -> Money:
    """``money`` times a decimal-string ``rate`` (a fee of "0.015"), rounded to
    the currency's minor unit. ``half_up`` rounds ties away from zero."""
    if not isinstance(rate, str) or _RATE.fullmatch(rate) is None:
        raise NotADecimalString(f"rate {_show(rate)} is not a decimal string")
    mode = _ROUNDING.get(rounding)
    if mode is None:
        raise ValueError(f"rounding must be one of {sorted(_ROUNDING)}")
    product = _EXACT.multiply(Decimal(money.minor), Decimal(rate))
    minor = int(product.quantize(Decimal(1), rounding=mode, context=_EXACT))
    return Money(minor, money.currency)


def _lookup(code: str) -> Currency:
    # parse_amount and format_amount name their parameter `currency` (the API the
    # fleet codes against), which hides the module function inside them
    return currency(code)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
