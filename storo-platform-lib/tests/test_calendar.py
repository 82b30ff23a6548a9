from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from storo_platform.calendar import (
    BUSINESS_TZ,
    BusinessCalendar,
    cutoff_for,
    default_calendar,
)

SAST = BUSINESS_TZ
FIFTEEN = time(15, 0)


@pytest.fixture(scope="module")
def calendar() -> BusinessCalendar:
    return BusinessCalendar(("ZA", "ZW"))


class TestHolidays:
    @pytest.mark.parametrize(
        ("day", "name"),
        [
            (date(2025, 4, 18), "Good Friday (ZA)"),
            (date(2025, 4, 21), "Family Day (ZA)"),
            (date(2026, 4, 3), "Good Friday (ZA)"),
            (date(2026, 4, 6), "Family Day (ZA)"),
            (date(2027, 3, 26), "Good Friday (ZA)"),
            (date(2027, 3, 29), "Family Day (ZA)"),
            (date(2025, 8, 11), "Zimbabwe Heroes' Day (ZW)"),
            (date(2026, 8, 10), "Zimbabwe Heroes' Day (ZW)"),
            (date(2027, 8, 9), "Zimbabwe Heroes' Day (ZW)"),
            (date(2025, 12, 22), "Unity Day (ZW)"),
            (date(2026, 12, 22), "Unity Day (ZW)"),
            (date(2027, 12, 22), "Unity Day (ZW)"),
            (date(2025, 12, 16), "Day of Reconciliation (ZA)"),
            (date(2026, 9, 24), "Heritage Day (ZA)"),
        ],
    )
    def test_public_holiday_is_no_business_day(
        self, calendar: BusinessCalendar, day: date, name: str
    ) -> None:
        assert day.weekday() < 5
        assert not calendar.is_business_day(day)
        found = calendar.holiday_name(day)
        assert found is not None
        assert name in found

    def test_a_day_that_is_a_holiday_in_both_names_both(
        self, calendar: BusinessCalendar
    ) -> None:
        name = calendar.holiday_name(date(2025, 4, 18))
        assert name is not None
        assert "Good Friday (ZA)" in name
        assert "Independence Day (ZW)" in name

    @pytest.mark.parametrize(
        ("sunday", "monday", "name"),
        [
            (date(2025, 4, 27), date(2025, 4, 28), "Freedom Day (observed) (ZA)"),
            (date(2026, 8, 9), date(2026, 8, 10), "Women's Day (observed) (ZA)"),
            (date(2027, 3, 21), date(2027, 3, 22), "Human Rights Day (observed)"),
            (date(2027, 12, 26), date(2027, 12, 27), "Day of Goodwill (observed)"),
            (date(2025, 5, 25), date(2025, 5, 26), "Africa Day (observed) (ZW)"),
        ],
    )
    def test_sunday_holiday_is_observed_on_monday(
        self, calendar: BusinessCalendar, sunday: date, monday: date, name: str
    ) -> None:
        assert sunday.weekday() == 6
        assert monday == sunday + timedelta(days=1)
        assert not calendar.is_business_day(monday)
        assert name in (calendar.holiday_name(monday) or "")

    def test_saturday_holiday_is_not_moved_in_south_africa(self) -> None:
        # Women's Day 2025 fell on a Saturday; the Act moves only Sunday holidays
        za = BusinessCalendar(("ZA",))
        assert za.holiday_name(date(2025, 8, 9)) == "National Women's Day (ZA)"
        assert za.is_business_day(date(2025, 8, 11))

    def test_ordinary_weekday_is_a_business_day(
        self, calendar: BusinessCalendar
    ) -> None:
        assert calendar.holiday_name(date(2025, 12, 17)) is None
        assert calendar.is_business_day(date(2025, 12, 17))

    def test_weekend_is_no_business_day(self, calendar: BusinessCalendar) -> None:
        assert not calendar.is_business_day(date(2025, 12, 20))
        assert not calendar.is_business_day(date(2025, 12, 21))

    def test_zimbabwean_holiday_is_a_business_day_for_south_africa_alone(
        self,
    ) -> None:
        za = BusinessCalendar(("ZA",))
        assert za.is_business_day(date(2025, 12, 22))
        assert not BusinessCalendar(("ZW",)).is_business_day(date(2025, 12, 22))

    def test_unknown_country_is_refused(self) -> None:
        with pytest.raises(NotImplementedError):
            BusinessCalendar(("XX",))

    @pytest.mark.parametrize("countries", ["ZA", ()])
    def test_countries_must_be_a_sequence_of_codes(
        self, countries: tuple[str, ...]
    ) -> None:
        with pytest.raises(ValueError, match="countries"):
            BusinessCalendar(countries)

    def test_a_datetime_is_refused(self, calendar: BusinessCalendar) -> None:
        with pytest.raises(TypeError):
            calendar.is_business_day(datetime(2025, 12, 22, 1, tzinfo=SAST))


class TestStepping:
    def test_next_business_day_is_strictly_after(
        self, calendar: BusinessCalendar
    ) -> None:
        assert calendar.next_business_day(date(2025, 12, 17)) == date(2025, 12, 18)

    def test_next_business_day_skips_weekend_and_unity_day(
        self, calendar: BusinessCalendar
    ) -> None:
        assert calendar.next_business_day(date(2025, 12, 19)) == date(2025, 12, 23)

    def test_next_business_day_skips_the_easter_weekend(
        self, calendar: BusinessCalendar
    ) -> None:
        assert calendar.next_business_day(date(2026, 4, 2)) == date(2026, 4, 7)
        assert calendar.next_business_day(date(2027, 3, 25)) == date(2027, 3, 30)

    def test_add_business_days_crosses_christmas(
        self, calendar: BusinessCalendar
    ) -> None:
        start = date(2025, 12, 19)
        assert calendar.add_business_days(start, 1) == date(2025, 12, 23)
        assert calendar.add_business_days(start, 2) == date(2025, 12, 24)
        assert calendar.add_business_days(start, 3) == date(2025, 12, 29)

    def test_add_business_days_goes_backwards(self, calendar: BusinessCalendar) -> None:
        assert calendar.add_business_days(date(2025, 12, 29), -3) == date(2025, 12, 19)
        assert calendar.previous_business_day(date(2025, 4, 22)) == date(2025, 4, 17)

    def test_adding_zero_days_is_the_same_day(self, calendar: BusinessCalendar) -> None:
        assert calendar.add_business_days(date(2025, 12, 20), 0) == date(2025, 12, 20)

    def test_heroes_and_defence_forces_days_are_skipped(
        self, calendar: BusinessCalendar
    ) -> None:
        assert calendar.next_business_day(date(2025, 8, 8)) == date(2025, 8, 13)


class TestCutoff:
    def test_before_the_cutoff_on_a_business_day_is_that_day(self) -> None:
        at = datetime(2025, 12, 19, 14, 59, 59, tzinfo=SAST)
        day, closes = cutoff_for(at, FIFTEEN, default_calendar())
        assert day == date(2025, 12, 19)
        assert closes == datetime(2025, 12, 19, 15, 0, tzinfo=SAST)

    def test_friday_after_cutoff_before_unity_day_rolls_to_tuesday(self) -> None:
        at = datetime(2025, 12, 19, 15, 0, tzinfo=SAST)
        day, closes = cutoff_for(at, FIFTEEN, default_calendar())
        assert day == date(2025, 12, 23)
        assert closes == datetime(2025, 12, 23, 15, 0, tzinfo=SAST)
        assert closes.utcoffset() == timedelta(hours=2)

    def test_friday_after_cutoff_before_freedom_day_observed_rolls_to_tuesday(
        self,
    ) -> None:
        at = datetime(2025, 4, 25, 16, 30, tzinfo=SAST)
        assert cutoff_for(at, FIFTEEN)[0] == date(2025, 4, 29)

    def test_thursday_after_cutoff_before_good_friday_rolls_past_easter(
        self,
    ) -> None:
        at = datetime(2026, 4, 2, 15, 1, tzinfo=SAST)
        assert cutoff_for(at, FIFTEEN)[0] == date(2026, 4, 7)

    def test_friday_before_heroes_day_rolls_to_wednesday(self) -> None:
        at = datetime(2027, 8, 6, 18, 0, tzinfo=SAST)
        assert cutoff_for(at, FIFTEEN)[0] == date(2027, 8, 11)

    def test_on_a_holiday_before_the_cutoff_is_the_next_business_day(self) -> None:
        at = datetime(2027, 12, 22, 9, 0, tzinfo=SAST)
        assert cutoff_for(at, FIFTEEN)[0] == date(2027, 12, 23)

    def test_weekend_morning_is_monday(self) -> None:
        at = datetime(2026, 11, 28, 9, 0, tzinfo=SAST)
        assert cutoff_for(at, FIFTEEN)[0] == date(2026, 11, 30)

    def test_utc_instant_is_judged_in_business_time(self) -> None:
        # 12:59 UTC is 14:59 in Johannesburg, 13:00 UTC is the cut-off itself
        before = datetime(2025, 12, 19, 12, 59, tzinfo=UTC)
        at = datetime(2025, 12, 19, 13, 0, tzinfo=UTC)
        assert cutoff_for(before, FIFTEEN)[0] == date(2025, 12, 19)
        assert cutoff_for(at, FIFTEEN)[0] == date(2025, 12, 23)

    def test_late_utc_evening_is_already_tomorrow_in_johannesburg(self) -> None:
        # 22:30 UTC on Thursday is 00:30 on Friday in business time
        at = datetime(2025, 12, 18, 22, 30, tzinfo=UTC)
        day, closes = cutoff_for(at, FIFTEEN)
        assert day == date(2025, 12, 19)
        assert closes.astimezone(UTC) == datetime(2025, 12, 19, 13, 0, tzinfo=UTC)

    def test_other_offsets_are_converted(self) -> None:
        harare_like = timezone(timedelta(hours=2))
        at = datetime(2025, 12, 19, 14, 0, tzinfo=harare_like)
        assert cutoff_for(at, FIFTEEN)[0] == date(2025, 12, 19)

    def test_naive_instant_is_refused(self) -> None:
        with pytest.raises(ValueError, match="aware"):
            cutoff_for(datetime(2025, 12, 19, 14, 0), FIFTEEN)

    def test_cutoff_with_a_timezone_is_refused(self) -> None:
        at = datetime(2025, 12, 19, 14, 0, tzinfo=SAST)
        with pytest.raises(ValueError, match="cutoff"):
            cutoff_for(at, time(15, tzinfo=UTC))

    def test_business_timezone_is_johannesburg(self) -> None:
        assert str(BUSINESS_TZ) == "Africa/Johannesburg"
