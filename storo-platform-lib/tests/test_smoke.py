from datetime import date

from storo_platform.calendar import default_calendar
from storo_platform.money import Money, parse_amount


def test_wire_amount_parses_to_minor_units() -> None:
    assert parse_amount("125.50", "ZAR") == Money(12550, "ZAR")


def test_good_friday_is_not_a_business_day() -> None:
    assert not default_calendar().is_business_day(date(2025, 4, 18))
