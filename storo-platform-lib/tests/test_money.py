from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storo_platform.money import (
    MAX_INTEGER_DIGITS,
    AmountTooLarge,
    CurrencyMismatch,
    Money,
    MoneyError,
    NegativeAmount,
    NotADecimalString,
    NotAMoneyObject,
    TooManyDecimals,
    UnknownCurrency,
    ZeroAmount,
    apply_rate,
    currencies,
    format_amount,
    parse_amount,
)


class TestParseAmount:
    @pytest.mark.parametrize(
        ("text", "code", "minor"),
        [
            ("125.50", "ZAR", 12550),
            ("125.5", "ZAR", 12550),
            ("125", "ZAR", 12500),
            ("0.01", "ZAR", 1),
            ("1000000", "JPY", 1000000),
            ("1.234", "BHD", 1234),
            ("0.000001", "USDC", 1),
            ("1000.123456", "USDC", 1000123456),
        ],
    )
    def test_valid_amount_becomes_exact_minor_units(
        self, text: str, code: str, minor: int
    ) -> None:
        assert parse_amount(text, code) == Money(minor, code)

    @pytest.mark.parametrize(
        "value",
        [
            125.5,
            125,
            True,
            None,
            Decimal("125.50"),
            b"125.50",
            "1e3",
            "1E3",
            "1.5e2",
            "+1.00",
            " 1.00",
            "1.00 ",
            "01.00",
            "00",
            "1.",
            ".50",
            "1,000.00",
            "1_000",
            "NaN",
            "Infinity",
            "",
            "-",
            "--1",
            "\uff11",  # a full-width digit is a digit to str.isdigit, not to us
            "1.0\n",
        ],
    )
    def test_anything_but_a_canonical_decimal_string_is_refused(
        self, value: Any
    ) -> None:
        with pytest.raises(NotADecimalString) as caught:
            parse_amount(value, "ZAR")
        assert caught.value.rule == "not_a_decimal_string"

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("1.001", "ZAR"),
            ("1.000", "ZAR"),
            ("1.0", "JPY"),
            ("0.0000001", "USDC"),
            ("1.2345", "BHD"),
        ],
    )
    def test_more_decimals_than_the_currency_has_is_refused(
        self, text: str, code: str
    ) -> None:
        with pytest.raises(TooManyDecimals) as caught:
            parse_amount(text, code)
        assert caught.value.rule == "too_many_decimals"

    def test_negative_is_refused_unless_allowed(self) -> None:
        with pytest.raises(NegativeAmount) as caught:
            parse_amount("-1.00", "ZAR")
        assert caught.value.rule == "negative"
        assert parse_amount("-1.00", "ZAR", allow_negative=True) == Money(-100, "ZAR")

    @pytest.mark.parametrize("text", ["0", "0.00", "-0.00"])
    def test_zero_is_refused_unless_allowed(self, text: str) -> None:
        with pytest.raises(ZeroAmount) as caught:
            parse_amount(text, "ZAR", allow_negative=True)
        assert caught.value.rule == "zero"
        assert parse_amount(text, "ZAR", allow_zero=True) == Money(0, "ZAR")

    def test_amount_above_the_maximum_is_refused(self) -> None:
        assert parse_amount("5000.00", "ZAR", maximum_minor=500000).minor == 500000
        with pytest.raises(AmountTooLarge) as caught:
            parse_amount("5000.01", "ZAR", maximum_minor=500000)
        assert caught.value.rule == "above_maximum"
        assert "5000.00" in str(caught.value)

    def test_maximum_bounds_the_magnitude_of_a_negative_amount(self) -> None:
        with pytest.raises(AmountTooLarge):
            parse_amount("-5000.01", "ZAR", allow_negative=True, maximum_minor=500000)

    def test_absurdly_long_amount_is_refused_without_a_maximum(self) -> None:
        with pytest.raises(AmountTooLarge):
            parse_amount("9" * (MAX_INTEGER_DIGITS + 1), "ZAR")
        assert parse_amount("9" * MAX_INTEGER_DIGITS, "ZAR").minor > 0

    def test_unknown_currency_is_checked_first(self) -> None:
        with pytest.raises(UnknownCurrency) as caught:
            parse_amount(1.5, "ZZZ")
        assert caught.value.rule == "unknown_currency"

    def test_every_error_is_a_money_error_and_a_value_error(self) -> None:
        errors = [
            NotADecimalString,
            TooManyDecimals,
            NegativeAmount,
            ZeroAmount,
            AmountTooLarge,
            UnknownCurrency,
            CurrencyMismatch,
            NotAMoneyObject,
        ]
        rules = {e.rule for e in errors}
        assert len(rules) == len(errors)
        assert all(issubclass(e, MoneyError) for e in errors)
        assert issubclass(MoneyError, ValueError)


class TestFormatAmount:
    @pytest.mark.parametrize(
        ("minor", "code", "text"),
        [
            (12550, "ZAR", "125.50"),
            (1, "ZAR", "0.01"),
            (0, "ZAR", "0.00"),
            (-5, "ZAR", "-0.05"),
            (-12550, "ZAR", "-125.50"),
            (1000, "JPY", "1000"),
            (1, "BHD", "0.001"),
            (1, "USDC", "0.000001"),
            (1234567890, "USDC", "1234.567890"),
        ],
    )
    def test_minor_units_become_the_canonical_wire_string(
        self, minor: int, code: str, text: str
    ) -> None:
        assert format_amount(minor, code) == text

    def test_unknown_currency_is_refused(self) -> None:
        with pytest.raises(UnknownCurrency):
            format_amount(1, "ZZZ")


# every valid amount: any registered currency, any magnitude the parser accepts
_amounts = st.sampled_from(currencies()).flatmap(
    lambda c: st.tuples(
        st.just(c.code),
        st.integers(
            min_value=-(10 ** (MAX_INTEGER_DIGITS + c.exponent)) + 1,
            max_value=10 ** (MAX_INTEGER_DIGITS + c.exponent) - 1,
        ),
    )
)


class TestRoundTrip:
    @given(_amounts)
    def test_format_then_parse_returns_the_same_money(
        self, amount: tuple[str, int]
    ) -> None:
        code, minor = amount
        text = format_amount(minor, code)
        parsed = parse_amount(text, code, allow_negative=True, allow_zero=True)
        assert parsed == Money(minor, code)

    @given(_amounts)
    def test_wire_object_round_trips(self, amount: tuple[str, int]) -> None:
        money = Money(*reversed(amount))  # type: ignore[arg-type]
        wire = money.to_wire()
        again = Money.from_wire(wire, allow_negative=True, allow_zero=True)
        assert again == money

    @given(
        st.sampled_from(currencies()).flatmap(
            lambda c: st.tuples(
                st.just(c.code),
                st.from_regex(
                    rf"\A(0|[1-9][0-9]{{0,20}})(\.[0-9]{{1,{c.exponent}}})?\Z"
                    if c.exponent
                    else r"\A(0|[1-9][0-9]{0,20})\Z"
                ),
            )
        )
    )
    def test_parse_keeps_the_exact_decimal_value(self, case: tuple[str, str]) -> None:
        code, text = case
        money = parse_amount(text, code, allow_zero=True)
        assert Decimal(format_amount(money.minor, code)) == Decimal(text)


class TestMoney:
    def test_same_currency_adds_and_subtracts(self) -> None:
        a, b = Money(12550, "ZAR"), Money(188, "ZAR")
        assert a + b == Money(12738, "ZAR")
        assert a - b == Money(12362, "ZAR")
        assert -b == Money(-188, "ZAR")

    def test_other_currency_is_refused(self) -> None:
        with pytest.raises(CurrencyMismatch) as caught:
            _ = Money(1, "ZAR") + Money(1, "USD")
        assert caught.value.rule == "currency_mismatch"
        with pytest.raises(CurrencyMismatch):
            _ = Money(1, "ZAR") < Money(1, "USD")

    def test_compares_within_one_currency(self) -> None:
        assert Money(1, "ZAR") < Money(2, "ZAR") <= Money(2, "ZAR")
        assert Money(3, "ZAR") > Money(2, "ZAR") >= Money(2, "ZAR")

    @pytest.mark.parametrize("minor", [1.5, True, "100", Decimal(1)])
    def test_minor_units_must_be_an_int(self, minor: Any) -> None:
        with pytest.raises(NotADecimalString):
            Money(minor, "ZAR")

    def test_currency_must_be_known(self) -> None:
        with pytest.raises(UnknownCurrency):
            Money(1, "ZZZ")

    def test_is_frozen_and_hashable(self) -> None:
        money = Money(1, "ZAR")
        with pytest.raises(AttributeError):
            money.minor = 2  # type: ignore[misc]
        assert {money, Money(1, "ZAR")} == {money}

    def test_wire_form(self) -> None:
        assert Money(12550, "ZAR").to_wire() == {"amount": "125.50", "currency": "ZAR"}
        assert Money(5, "USDC").to_wire() == {"amount": "0.000005", "currency": "USDC"}
        assert str(Money(12550, "ZAR")) == "125.50 ZAR"
        assert Money.zero("USDC") == Money(0, "USDC")
        assert Money(1, "BHD").exponent == 3


class TestFromWire:
    def test_wire_object_parses(self) -> None:
        wire = {"amount": "125.50", "currency": "ZAR"}
        assert Money.from_wire(wire) == Money(12550, "ZAR")

    @pytest.mark.parametrize(
        "obj",
        [
            None,
            "125.50 ZAR",
            ["125.50", "ZAR"],
            {"amount": "125.50"},
            {"currency": "ZAR"},
            {"amount": "125.50", "currency": "ZAR", "fx": "1"},
        ],
    )
    def test_anything_but_amount_and_currency_is_refused(self, obj: Any) -> None:
        with pytest.raises(NotAMoneyObject) as caught:
            Money.from_wire(obj)
        assert caught.value.rule == "not_a_money_object"

    def test_float_amount_in_a_wire_object_is_refused(self) -> None:
        with pytest.raises(NotADecimalString):
            Money.from_wire({"amount": 125.5, "currency": "ZAR"})

    def test_rules_apply_to_the_wire_object(self) -> None:
        with pytest.raises(ZeroAmount):
            Money.from_wire({"amount": "0", "currency": "ZAR"})
        with pytest.raises(NegativeAmount):
            Money.from_wire({"amount": "-1", "currency": "ZAR"})
        with pytest.raises(AmountTooLarge):
            Money.from_wire({"amount": "2", "currency": "ZAR"}, maximum_minor=100)
        with pytest.raises(UnknownCurrency):
            Money.from_wire({"amount": "1", "currency": 710})


class TestApplyRate:
    def test_fee_rounds_half_up(self) -> None:
        assert apply_rate(Money(12550, "ZAR"), "0.015") == Money(188, "ZAR")

    @pytest.mark.parametrize(
        ("minor", "rounding", "expected"),
        [
            (50, "half_up", 1),
            (150, "half_up", 2),
            (-50, "half_up", -1),
            (50, "half_even", 0),
            (150, "half_even", 2),
            (59, "down", 0),
            (51, "up", 1),
            (-51, "floor", -1),
            (-59, "ceiling", 0),
        ],
    )
    def test_rounding_modes_on_ties_and_fractions(
        self, minor: int, rounding: str, expected: int
    ) -> None:
        assert apply_rate(Money(minor, "ZAR"), "0.01", rounding=rounding).minor == (
            expected
        )

    def test_six_decimal_currency_keeps_its_precision(self) -> None:
        usdc = parse_amount("1000.000000", "USDC")
        assert apply_rate(usdc, "0.0025").to_wire()["amount"] == "2.500000"

    def test_huge_amount_stays_exact(self) -> None:
        minor = 10**32 + 1
        assert apply_rate(Money(minor, "ZAR"), "1").minor == minor
        assert apply_rate(Money(minor, "ZAR"), "2.5").minor == minor * 5 // 2 + 1

    @pytest.mark.parametrize("rate", [0.015, "1e-3", "-0.1", ".5", "", "0,5"])
    def test_rate_must_be_a_non_negative_decimal_string(self, rate: Any) -> None:
        with pytest.raises(NotADecimalString):
            apply_rate(Money(100, "ZAR"), rate)

    def test_unknown_rounding_is_refused(self) -> None:
        with pytest.raises(ValueError, match="rounding"):
            apply_rate(Money(100, "ZAR"), "0.1", rounding="bankers")
