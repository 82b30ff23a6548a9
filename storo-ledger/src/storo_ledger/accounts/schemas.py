"""Response bodies of the accounts' routes."""

from __future__ import annotations

from pydantic import BaseModel

from storo_ledger.journal.schemas import MoneyOut


class BalanceOut(BaseModel):
    posted: MoneyOut
    pending: MoneyOut
    available: MoneyOut


class AccountOut(BaseModel):
    id: str
    kind: str
    name: str
    currency: str
    normal_side: str
    non_negative: bool
    opened_at: str
    balance: BalanceOut


class AccountPage(BaseModel):
    items: list[AccountOut]
    next_cursor: str | None


class AccountBalance(BaseModel):
    account_id: str
    currency: str
    as_of: str | None
    posted: MoneyOut
    pending: MoneyOut
    available: MoneyOut


class TrialLine(BaseModel):
    account_id: str
    normal_side: str
    debits: MoneyOut
    credits: MoneyOut
    pending_debits: MoneyOut
    pending_credits: MoneyOut


class TrialCurrency(BaseModel):
    currency: str
    debits: MoneyOut
    credits: MoneyOut
    pending_debits: MoneyOut
    pending_credits: MoneyOut
    balanced: bool
    accounts: list[TrialLine]


class TrialBalance(BaseModel):
    as_of: str | None
    balanced: bool
    currencies: list[TrialCurrency]
