"""The chart of accounts.

An account id is ``<kind>:<name>:<CURRENCY>``: the kind fixes the account's normal
side and whether it may go below zero, the name is the customer's account number or
the rail, and every account holds exactly one currency. Ids are plain strings so they
can travel in ``ledger.entry.posted`` and in URLs unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

Side = Literal["debit", "credit"]


class AccountKind(StrEnum):
    CUSTOMER = "customer"
    SUSPENSE = "suspense"
    SETTLEMENT = "settlement"
    FEES = "fees"
    FUNDING = "funding"


class InvalidAccountId(ValueError):
    """An account id that does not follow ``<kind>:<name>:<CURRENCY>``."""

    def __init__(self, account_id: str, why: str) -> None:
        super().__init__(f"{account_id!r}: {why}")
        self.account_id = account_id
        self.why = why


@dataclass(frozen=True)
class AccountType:
    kind: AccountKind
    normal_side: Side
    non_negative: bool
    description: str
    # the accounting class the contract's Account.kind names
    element: str


# The names allowed after a system kind; customer names are free-form account numbers
# and rails are validated by the event schemas before they reach the chart.
_FIXED_NAMES = {
    AccountKind.FEES: {"revenue", "refunded"},
    AccountKind.FUNDING: {"deposits"},
}

CHART: dict[tuple[AccountKind, str | None], AccountType] = {
    (AccountKind.CUSTOMER, None): AccountType(
        AccountKind.CUSTOMER,
        "credit",
        True,
        "What Storo owes a customer; holds reduce the available balance.",
        "liability",
    ),
    (AccountKind.SUSPENSE, None): AccountType(
        AccountKind.SUSPENSE,
        "credit",
        False,
        "Funds in flight on a rail: the counterpart of every pending hold.",
        "liability",
    ),
    (AccountKind.SETTLEMENT, None): AccountType(
        AccountKind.SETTLEMENT,
        "debit",
        False,
        "Storo's nostro at a rail; settled payouts credit it, returns debit it.",
        "asset",
    ),
    (AccountKind.FEES, "revenue"): AccountType(
        AccountKind.FEES,
        "credit",
        False,
        "Fees earned on settled transfers.",
        "revenue",
    ),
    (AccountKind.FEES, "refunded"): AccountType(
        AccountKind.FEES,
        "debit",
        False,
        "Contra-revenue: fees given back when a settled transfer is returned.",
        "revenue",
    ),
    (AccountKind.FUNDING, "deposits"): AccountType(
        AccountKind.FUNDING,
        "debit",
        False,
        "Cash received from customers' deposits (the other side of `fund`).",
        "asset",
    ),
}


@dataclass(frozen=True)
class Account:
    id: str
    kind: AccountKind
    name: str
    currency: str
    normal_side: Side
    non_negative: bool
    element: str


def account_id(kind: AccountKind, name: str, currency: str) -> str:
    return f"{kind.value}:{name}:{currency}"


def customer(account_number: str, currency: str) -> str:
    return account_id(AccountKind.CUSTOMER, account_number, currency)


def suspense(rail: str, currency: str) -> str:
    return account_id(AccountKind.SUSPENSE, rail, currency)


def settlement(rail: str, currency: str) -> str:
    return account_id(AccountKind.SETTLEMENT, rail, currency)


def fee_revenue(currency: str) -> str:
    return account_id(AccountKind.FEES, "revenue", currency)


def fees_refunded(currency: str) -> str:
    return account_id(AccountKind.FEES, "refunded", currency)


def funding(currency: str) -> str:
    return account_id(AccountKind.FUNDING, "deposits", currency)


def parse(account_id: str) -> Account:
    """Split an id into its parts; the name may itself contain colons."""
    kind_text, sep, rest = account_id.partition(":")
    name, sep2, currency = rest.rpartition(":")
    if not sep or not sep2 or not name or not currency:
        raise InvalidAccountId(account_id, "expected <kind>:<name>:<CURRENCY>")
    try:
        kind = AccountKind(kind_text)
    except ValueError:
        raise InvalidAccountId(account_id, f"unknown kind {kind_text!r}") from None
    if not currency.isalnum() or not currency.isupper():
        raise InvalidAccountId(account_id, f"bad currency code {currency!r}")
    if kind in _FIXED_NAMES:
        if name not in _FIXED_NAMES[kind]:
            raise InvalidAccountId(account_id, f"unknown {kind.value} account {name!r}")
        account_type = CHART[(kind, name)]
    else:
        account_type = CHART[(kind, None)]
    return Account(
        id=account_id,
        kind=kind,
        name=name,
        currency=currency,
        normal_side=account_type.normal_side,
        non_negative=account_type.non_negative,
        element=account_type.element,
    )
