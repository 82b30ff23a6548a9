"""Account ids: kind, name and currency, with the normal side the kind fixes."""

from __future__ import annotations

import pytest

from storo_ledger.accounts import chart


class TestParse:
    def test_customer_accounts_never_go_below_zero(self) -> None:
        account = chart.parse("customer:ZA123:ZAR")
        assert (account.kind, account.name, account.currency) == (
            chart.AccountKind.CUSTOMER,
            "ZA123",
            "ZAR",
        )
        assert account.normal_side == "credit"
        assert account.non_negative

    def test_a_name_may_contain_colons(self) -> None:
        assert chart.parse("customer:acct:with:colons:USDC").name == "acct:with:colons"

    def test_settlement_is_an_asset(self) -> None:
        account = chart.parse(chart.settlement("usdc", "USDC"))
        assert account.normal_side == "debit"
        assert not account.non_negative

    @pytest.mark.parametrize(
        "bad",
        [
            "customer",
            "customer:ZAR",
            "nostro:usdc:USDC",
            "fees:bonus:ZAR",
            "customer:x:zar",
        ],
    )
    def test_malformed_ids_are_refused(self, bad: str) -> None:
        with pytest.raises(chart.InvalidAccountId):
            chart.parse(bad)

    def test_every_builder_parses_back(self) -> None:
        for built in (
            chart.customer("A", "ZAR"),
            chart.suspense("oppwa", "ZAR"),
            chart.settlement("oppwa", "ZAR"),
            chart.fee_revenue("ZAR"),
            chart.fees_refunded("ZAR"),
            chart.funding("ZAR"),
        ):
            assert chart.parse(built).id == built
