import pytest

from storo_platform.money import Currency, UnknownCurrency, currencies, currency


class TestRegistry:
    @pytest.mark.parametrize(
        ("code", "exponent"),
        [
            ("ZAR", 2),
            ("USD", 2),
            ("ZWG", 2),
            ("EUR", 2),
            ("JPY", 0),
            ("BHD", 3),
            ("CLF", 4),
            ("USDC", 6),
        ],
    )
    def test_exponent_follows_iso_4217(self, code: str, exponent: int) -> None:
        assert currency(code).exponent == exponent

    def test_names_come_from_the_iso_list(self) -> None:
        assert currency("ZAR") == Currency("ZAR", 2, "Rand")
        assert currency("USDC").name == "USD Coin"

    def test_registry_holds_the_whole_iso_list(self) -> None:
        codes = {c.code for c in currencies()}
        assert len(codes) > 150
        assert {"ZAR", "ZWG", "USD", "BWP", "MZN", "USDC"} <= codes

    @pytest.mark.parametrize("code", ["XAU", "XDR", "XTS", "XXX"])
    def test_codes_without_minor_unit_are_left_out(self, code: str) -> None:
        with pytest.raises(UnknownCurrency):
            currency(code)

    @pytest.mark.parametrize("code", ["ZZZ", "zar", "Zar", "", "ZWL ", "USDT"])
    def test_unknown_code_names_its_rule(self, code: str) -> None:
        with pytest.raises(UnknownCurrency) as caught:
            currency(code)
        assert caught.value.rule == "unknown_currency"

    def test_retired_zimbabwe_dollar_is_gone(self) -> None:
        # ZWL was withdrawn in 2024 when ZWG (Zimbabwe Gold) replaced it
        with pytest.raises(UnknownCurrency):
            currency("ZWL")
