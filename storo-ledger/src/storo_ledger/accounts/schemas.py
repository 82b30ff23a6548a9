"""Response bodies of the accounts' routes (storo-specs ``ledger`` document)."""

from __future__ import annotations

from pydantic import BaseModel

from storo_ledger.journal.schemas import MoneyOut


class AccountOut(BaseModel):
    account: str
    kind: str
    currency: str
    normal_side: str
    created_at: str
    category: str
    name: str
    non_negative: bool


class AccountPage(BaseModel):
    items: list[AccountOut]
    next_cursor: str | None


class BalanceOut(BaseModel):
    account: str
    as_of: str
    debits: MoneyOut
    credits: MoneyOut
    balance: MoneyOut
    held: MoneyOut
    available: MoneyOut
    pending: MoneyOut


class TrialRowOut(BaseModel):
    account: str
    debits: MoneyOut
    credits: MoneyOut
    balance: MoneyOut
    pending_debits: MoneyOut
    pending_credits: MoneyOut


class CurrencyTotalOut(BaseModel):
    debits: MoneyOut
    credits: MoneyOut
    pending_debits: MoneyOut
    pending_credits: MoneyOut


class TrialBalanceOut(BaseModel):
    as_of: str
    rows: list[TrialRowOut]
    totals: list[CurrencyTotalOut]
    balanced: bool
