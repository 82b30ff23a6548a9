"""The checks on a transfer request that need more than its shape.

Every failure names the field by JSON pointer and carries storo_platform's rule, so
a client can map it onto its own form. All failures are collected before answering.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from storo_platform.money import Money, MoneyError, UnknownCurrency, currency
from storo_platform.money import parse_amount as _parse_amount
from storo_platform.problems import FieldError, Unprocessable

from storo_cts.transfers.schemas import TransferCreate

# Which currencies each rail carries (the fleet brief's table; the directory holds
# the same rule and is asked again when it quotes).
RAIL_CURRENCIES: dict[str, frozenset[str]] = {
    "usdc": frozenset({"USDC"}),
    "oppwa": frozenset({"ZAR", "USD"}),
    "zimswitch": frozenset({"ZWG", "USD"}),
}


@dataclass(frozen=True)
class Limits:
    default: str
    per_currency: tuple[tuple[str, str], ...] = ()

    def major_for(self, code: str) -> str:
        return dict(self.per_currency).get(code, self.default)


@lru_cache(maxsize=64)
def _maximum_minor(limit_major: str, code: str) -> int:
    return int(_parse_amount(limit_major, code).minor)


def amount_of(request: TransferCreate, limits: Limits) -> Money:
    """Return the request's amount in minor units, or refuse it with every reason."""
    errors: list[FieldError] = []
    code = request.amount.currency
    try:
        currency(code)
    except UnknownCurrency as exc:
        errors.append(FieldError("/amount/currency", exc.rule, str(exc)))
        raise Unprocessable("The transfer request is invalid.", errors=errors) from exc
    money: Money | None = None
    try:
        money = _parse_amount(
            request.amount.amount,
            code,
            maximum_minor=_maximum_minor(limits.major_for(code), code),
        )
    except MoneyError as exc:
        errors.append(FieldError("/amount/amount", exc.rule, str(exc)))
    if request.rail is not None and code not in RAIL_CURRENCIES[request.rail]:
        errors.append(
            FieldError(
                "/rail",
                "rail_does_not_carry_currency",
                f"Rail {request.rail} does not carry {code}.",
            )
        )
    if errors or money is None:
        raise Unprocessable("The transfer request is invalid.", errors=errors)
    return money
