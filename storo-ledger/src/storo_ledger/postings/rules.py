"""Posting rules: pure functions from a transfer's terms to balanced journal lines.

| event                        | entry   | lines                                   |
|------------------------------|---------|-----------------------------------------|
| transfers.submitted.*        | hold    | pending: Dr customer, Cr suspense:rail  |
| transfers.settled            | post    | release the hold; posted: Dr customer,  |
|                              |         | Cr settlement:rail (amount), Cr fees    |
| transfers.rejected / .failed | void    | release the hold                        |
| transfers.returned (pending) | void    | release the hold                        |
| transfers.returned (posted)  | reverse | posted: Dr settlement:rail, Dr fees     |
|                              |         | refunded, Cr customer                   |
| (hold past its expiry)       | expire  | release the hold                        |
| storo-ledger fund            | post    | posted: Dr funding, Cr customer         |

No function here reads the database: they can be tested exhaustively on their own,
and the journal refuses any result that does not balance.
"""

from __future__ import annotations

from dataclasses import dataclass

from storo_ledger.accounts import chart
from storo_ledger.journal.lines import Line, check_balanced, combine


@dataclass(frozen=True)
class HoldTerms:
    """What a submitted transfer asks the ledger to reserve."""

    debtor_account: str
    rail: str
    amount: int
    currency: str
    fee: int
    fee_currency: str

    @property
    def customer_account(self) -> str:
        return chart.customer(self.debtor_account, self.currency)

    @property
    def fee_customer_account(self) -> str:
        return chart.customer(self.debtor_account, self.fee_currency)


def _parts(terms: HoldTerms) -> list[tuple[int, str, str]]:
    """(amount, currency, customer account) for the principal and a non-zero fee."""
    parts = [(terms.amount, terms.currency, terms.customer_account)]
    if terms.fee:
        parts.append((terms.fee, terms.fee_currency, terms.fee_customer_account))
    return parts


def _finish(lines: list[Line]) -> list[Line]:
    merged = combine(lines)
    check_balanced(merged)
    return merged


def hold(terms: HoldTerms) -> list[Line]:
    lines: list[Line] = []
    for amount, currency, customer in _parts(terms):
        lines.append(Line(customer, "debit", "pending", amount, currency))
        lines.append(
            Line(
                chart.suspense(terms.rail, currency),
                "credit",
                "pending",
                amount,
                currency,
            )
        )
    return _finish(lines)


def release(terms: HoldTerms) -> list[Line]:
    """The exact mirror of the hold: what void and expire book."""
    return _finish([line.mirrored() for line in hold(terms)])


def post(terms: HoldTerms) -> list[Line]:
    lines = release(terms)
    lines.append(
        Line(terms.customer_account, "debit", "posted", terms.amount, terms.currency)
    )
    lines.append(
        Line(
            chart.settlement(terms.rail, terms.currency),
            "credit",
            "posted",
            terms.amount,
            terms.currency,
        )
    )
    if terms.fee:
        lines.append(
            Line(
                terms.fee_customer_account,
                "debit",
                "posted",
                terms.fee,
                terms.fee_currency,
            )
        )
        lines.append(
            Line(
                chart.fee_revenue(terms.fee_currency),
                "credit",
                "posted",
                terms.fee,
                terms.fee_currency,
            )
        )
    return _finish(lines)


def reverse(terms: HoldTerms) -> list[Line]:
    """Undo a settled transfer: the rail hands the amount back, the fee is refunded.

    The fee goes to contra-revenue rather than back out of fee revenue, so the fees
    earned in a closed period are never restated by a later return.
    """
    lines = [
        Line(
            chart.settlement(terms.rail, terms.currency),
            "debit",
            "posted",
            terms.amount,
            terms.currency,
        ),
        Line(terms.customer_account, "credit", "posted", terms.amount, terms.currency),
    ]
    if terms.fee:
        lines.append(
            Line(
                chart.fees_refunded(terms.fee_currency),
                "debit",
                "posted",
                terms.fee,
                terms.fee_currency,
            )
        )
        lines.append(
            Line(
                terms.fee_customer_account,
                "credit",
                "posted",
                terms.fee,
                terms.fee_currency,
            )
        )
    return _finish(lines)


def deposit(account_number: str, amount: int, currency: str) -> list[Line]:
    return _finish(
        [
            Line(chart.funding(currency), "debit", "posted", amount, currency),
            Line(
                chart.customer(account_number, currency),
                "credit",
                "posted",
                amount,
                currency,
            ),
        ]
    )
