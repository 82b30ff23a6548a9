"""The posting rules as pure functions: each balances and hits the right accounts."""

from __future__ import annotations

import pytest

from storo_ledger.journal.lines import EntryUnbalanced, Line, check_balanced, deltas
from storo_ledger.postings import rules

TERMS = rules.HoldTerms(
    debtor_account="ZA1",
    rail="oppwa",
    amount=10000,
    currency="ZAR",
    fee=250,
    fee_currency="ZAR",
)


def table(lines: list[Line]) -> set[tuple[str, str, str, int]]:
    return {(line.phase, line.side, line.account, line.amount) for line in lines}


class TestHold:
    def test_reserves_amount_and_fee_against_the_rails_suspense(self) -> None:
        assert table(rules.hold(TERMS)) == {
            ("pending", "debit", "customer:ZA1:ZAR", 10250),
            ("pending", "credit", "suspense:oppwa:ZAR", 10250),
        }

    def test_release_is_the_exact_mirror(self) -> None:
        both = rules.hold(TERMS) + rules.release(TERMS)
        for delta in deltas(both):
            assert delta.debits_pending == delta.credits_pending

    def test_a_fee_in_another_currency_is_held_in_that_currency(self) -> None:
        terms = rules.HoldTerms("ZA1", "oppwa", 10000, "USD", 300, "ZAR")
        assert table(rules.hold(terms)) == {
            ("pending", "debit", "customer:ZA1:USD", 10000),
            ("pending", "credit", "suspense:oppwa:USD", 10000),
            ("pending", "debit", "customer:ZA1:ZAR", 300),
            ("pending", "credit", "suspense:oppwa:ZAR", 300),
        }


class TestPost:
    def test_moves_amount_to_settlement_and_fee_to_revenue(self) -> None:
        posted = {row for row in table(rules.post(TERMS)) if row[0] == "posted"}
        assert posted == {
            ("posted", "debit", "customer:ZA1:ZAR", 10250),
            ("posted", "credit", "settlement:oppwa:ZAR", 10000),
            ("posted", "credit", "fees:revenue:ZAR", 250),
        }

    def test_releases_the_hold_in_the_same_entry(self) -> None:
        pending = [line for line in rules.post(TERMS) if line.phase == "pending"]
        assert pending == rules.release(TERMS)

    def test_without_a_fee_books_no_fee_line(self) -> None:
        terms = rules.HoldTerms("ZA1", "usdc", 5_000_000, "USDC", 0, "USDC")
        accounts = {line.account for line in rules.post(terms)}
        assert "fees:revenue:USDC" not in accounts


class TestReverse:
    def test_gives_amount_back_from_settlement_and_fee_from_contra_revenue(
        self,
    ) -> None:
        assert table(rules.reverse(TERMS)) == {
            ("posted", "debit", "settlement:oppwa:ZAR", 10000),
            ("posted", "debit", "fees:refunded:ZAR", 250),
            ("posted", "credit", "customer:ZA1:ZAR", 10250),
        }

    def test_customer_is_whole_after_post_and_reverse(self) -> None:
        customer = next(
            d
            for d in deltas(rules.post(TERMS) + rules.reverse(TERMS))
            if d.account == "customer:ZA1:ZAR"
        )
        assert customer.debits_posted == customer.credits_posted


class TestDeposit:
    def test_credits_the_customer_from_funding(self) -> None:
        assert table(rules.deposit("ZA1", 500, "ZAR")) == {
            ("posted", "debit", "funding:deposits:ZAR", 500),
            ("posted", "credit", "customer:ZA1:ZAR", 500),
        }


class TestBalance:
    @pytest.mark.parametrize(
        "lines",
        [
            rules.hold(TERMS),
            rules.release(TERMS),
            rules.post(TERMS),
            rules.reverse(TERMS),
            rules.deposit("ZA1", 1, "ZAR"),
        ],
    )
    def test_every_rule_balances_per_currency_and_phase(
        self, lines: list[Line]
    ) -> None:
        check_balanced(lines)

    def test_an_unbalanced_entry_is_refused(self) -> None:
        with pytest.raises(EntryUnbalanced):
            check_balanced(
                [
                    Line("customer:ZA1:ZAR", "debit", "posted", 100, "ZAR"),
                    Line("fees:revenue:ZAR", "credit", "posted", 99, "ZAR"),
                ]
            )

    def test_balance_in_one_phase_does_not_excuse_the_other(self) -> None:
        with pytest.raises(EntryUnbalanced):
            check_balanced(
                [
                    Line("customer:ZA1:ZAR", "debit", "posted", 100, "ZAR"),
                    Line("suspense:oppwa:ZAR", "credit", "pending", 100, "ZAR"),
                ]
            )

    def test_a_line_carries_a_positive_amount(self) -> None:
        with pytest.raises(ValueError, match="positive"):
            Line("customer:ZA1:ZAR", "debit", "posted", 0, "ZAR")
