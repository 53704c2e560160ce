"""Response due dates in calendar and working days, with configurable holidays."""

from __future__ import annotations

import datetime

import pytest

from vigil.complaints.deadlines import WorkingCalendar, due_date, working_days_before
from vigil.complaints.models import Holiday

D = datetime.date
pytestmark = pytest.mark.django_db


# --- calendar days ----------------------------------------------------------------------


def test_it_adds_calendar_days_ending_on_a_working_day() -> None:
    # Mon 2 Feb 2026 + 30 days = Wed 4 Mar.
    assert due_date(D(2026, 2, 2), 30, "calendar", "UA") == D(2026, 3, 4)


def test_it_moves_a_calendar_deadline_off_a_weekend() -> None:
    # Fri 6 Mar + 30 = Sun 5 Apr -> Mon 6 Apr.
    assert due_date(D(2026, 3, 6), 30, "calendar", "UA") == D(2026, 4, 6)
    # ... + 29 = Sat 4 Apr -> Mon 6 Apr as well.
    assert due_date(D(2026, 3, 6), 29, "calendar", "UA") == D(2026, 4, 6)


def test_it_moves_a_calendar_deadline_off_a_holiday() -> None:
    # Ukraine: Wed 15 Jul 2026 is Statehood Day.
    assert due_date(D(2026, 7, 14), 1, "calendar", "UA") == D(2026, 7, 16)
    # Without a country only weekends count.
    assert due_date(D(2026, 7, 14), 1, "calendar", "") == D(2026, 7, 15)


def test_it_moves_a_calendar_deadline_past_a_weekend_and_the_holidays_after_it() -> None:
    # Kazakhstan: Nauryz Sat 21 - Mon 23 Mar 2026, days off moved to Tue 24 and Wed 25.
    assert due_date(D(2026, 3, 11), 10, "calendar", "KZ") == D(2026, 3, 26)


def test_it_crosses_the_new_year() -> None:
    # Thu 31 Dec 2026 + 1 = Fri 1 Jan 2027 (holiday) -> Mon 4 Jan.
    assert due_date(D(2026, 12, 31), 1, "calendar", "UA") == D(2027, 1, 4)
    # Kazakhstan: 1-2 Jan and the moved Mon 4 Jan are off -> Tue 5 Jan.
    assert due_date(D(2026, 12, 31), 1, "calendar", "KZ") == D(2027, 1, 5)


def test_a_calendar_period_of_zero_days_ends_on_the_day_or_the_next_working_day() -> None:
    assert due_date(D(2026, 2, 4), 0, "calendar", "UA") == D(2026, 2, 4)
    assert due_date(D(2026, 2, 7), 0, "calendar", "UA") == D(2026, 2, 9)


# --- working days ----------------------------------------------------------------------


def test_it_counts_working_days_from_the_day_after_submission() -> None:
    # Mon 2 Feb + 5 working days = Mon 9 Feb.
    assert due_date(D(2026, 2, 2), 5, "working", "UA") == D(2026, 2, 9)
    # Fri 6 Feb + 1 = Mon 9 Feb (the weekend is not counted).
    assert due_date(D(2026, 2, 6), 1, "working", "UA") == D(2026, 2, 9)
    # Submitted on a Saturday: Mon is day 1.
    assert due_date(D(2026, 2, 7), 1, "working", "UA") == D(2026, 2, 9)


def test_it_skips_holidays_in_working_days() -> None:
    # Fri 20 Mar + 5: Mon 23 - Wed 25 are off in Kazakhstan -> Wed 1 Apr.
    assert due_date(D(2026, 3, 20), 5, "working", "KZ") == D(2026, 4, 1)
    # No holidays then in Ukraine -> Fri 27 Mar.
    assert due_date(D(2026, 3, 20), 5, "working", "UA") == D(2026, 3, 27)


def test_it_counts_fifteen_working_days_across_the_may_holidays() -> None:
    # Kazakhstan, from Thu 30 Apr 2026: 1, 7 and 11 May are off (9 May is a Saturday).
    # Counted: 4 5 6 8 12 13 14 15 18 19 20 21 22 25 26 (27 May is Kurban ait).
    assert due_date(D(2026, 4, 30), 15, "working", "KZ") == D(2026, 5, 26)
    assert due_date(D(2026, 4, 30), 16, "working", "KZ") == D(2026, 5, 28)


def test_a_working_period_of_zero_days_ends_on_the_next_working_day() -> None:
    assert due_date(D(2026, 3, 21), 0, "working", "KZ") == D(2026, 3, 26)


def test_holidays_are_configurable(django_assert_max_num_queries) -> None:
    start = D(2026, 2, 6)  # Friday
    assert due_date(start, 1, "working", "UA") == D(2026, 2, 9)
    extra = Holiday.objects.create(country="UA", date=D(2026, 2, 9), names={"en": "Test"})
    assert due_date(start, 1, "working", "UA") == D(2026, 2, 10)
    assert due_date(D(2026, 1, 10), 30, "calendar", "UA") == D(2026, 2, 10)
    assert due_date(start, 1, "working", "KZ") == D(2026, 2, 9)  # another country
    extra.delete()
    assert due_date(start, 1, "working", "UA") == D(2026, 2, 9)


def test_a_country_without_holidays_counts_weekends_only() -> None:
    Holiday.objects.filter(country="UA").delete()
    assert due_date(D(2026, 7, 14), 1, "calendar", "UA") == D(2026, 7, 15)


def test_it_refuses_a_negative_period_or_an_unknown_unit() -> None:
    with pytest.raises(ValueError):
        due_date(D(2026, 2, 2), -1, "calendar", "UA")
    with pytest.raises(ValueError):
        due_date(D(2026, 2, 2), 5, "fortnights", "UA")


def test_a_long_period_costs_few_queries(django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(4):
        assert due_date(D(2026, 1, 5), 250, "working", "KZ") > D(2026, 12, 1)


def _brute_force(start: datetime.date, days: int, unit: str, off: set[datetime.date]) -> D:
    def working(day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in off

    one = datetime.timedelta(days=1)
    if unit == "calendar":
        day = start + datetime.timedelta(days=days)
        while not working(day):
            day += one
        return day
    day, counted = start, 0
    if days == 0:
        while not working(day):
            day += one
        return day
    while counted < days:
        day += one
        counted += working(day)
    return day


@pytest.mark.parametrize("country", ["UA", "KZ"])
def test_it_agrees_with_counting_day_by_day_over_the_whole_year(country: str) -> None:
    off = set(Holiday.objects.filter(country=country).values_list("date", flat=True))
    assert off, "seeded holidays"
    for offset in range(0, 365, 3):
        start = D(2026, 1, 1) + datetime.timedelta(days=offset)
        for days in (0, 1, 2, 3, 5, 10, 15, 30, 45):
            for unit in ("calendar", "working"):
                expected = _brute_force(start, days, unit, off)
                assert due_date(start, days, unit, country) == expected, (start, days, unit)


def test_it_counts_working_days_backwards_for_reminders() -> None:
    # Mon 9 Feb - 3 working days = Wed 4 Feb.
    assert working_days_before(D(2026, 2, 9), 3, "UA") == D(2026, 2, 4)
    # Fri 27 Mar in Kazakhstan: Thu 26 (1), 25-23 off, Fri 20 (2), Thu 19 (3).
    assert working_days_before(D(2026, 3, 27), 3, "KZ") == D(2026, 3, 19)
    assert working_days_before(D(2026, 3, 27), 0, "KZ") == D(2026, 3, 27)


def test_the_calendar_answers_whether_a_day_is_worked() -> None:
    calendar = WorkingCalendar("KZ")
    assert not calendar.is_working_day(D(2026, 12, 16))  # Independence Day
    assert not calendar.is_working_day(D(2026, 12, 19))  # Saturday
    assert calendar.is_working_day(D(2026, 12, 17))
    assert calendar.next_working_day(D(2026, 12, 19)) == D(2026, 12, 21)
