"""Response deadlines in calendar or working days.

Rules (as in the procedural codes of Ukraine and Kazakhstan; lawyers should
confirm them for each body):

* The period runs from the day after submission: the submission day is day 0.
* Calendar days: the deadline is ``start + days``; when that day is a weekend
  day or a public holiday, the deadline moves to the next working day.
* Working days: only Monday to Friday that are not public holidays of the
  body's country are counted; the deadline is the last counted day.
* Holidays come from the ``Holiday`` table (per country, configurable); a body
  without a country (UN mechanisms) counts weekends only.
"""

from __future__ import annotations

import datetime

from vigil.complaints.models import Holiday, PeriodUnit

WEEKEND = frozenset({5, 6})  # Saturday, Sunday
ONE_DAY = datetime.timedelta(days=1)


class WorkingCalendar:
    """Working days of one country, reading holidays from the database in windows."""

    def __init__(self, country: str) -> None:
        self.country = country
        self._holidays: set[datetime.date] = set()
        self._loaded: tuple[datetime.date, datetime.date] | None = None

    def _load(self, first: datetime.date, last: datetime.date) -> None:
        if self._loaded is not None:
            first, last = min(first, self._loaded[0]), max(last, self._loaded[1])
        if self.country:
            self._holidays = set(
                Holiday.objects.filter(
                    country=self.country, date__gte=first, date__lte=last
                ).values_list("date", flat=True)
            )
        self._loaded = (first, last)

    def _ensure(self, day: datetime.date) -> None:
        if self._loaded is None or not (self._loaded[0] <= day <= self._loaded[1]):
            # Load a generous window so a long period costs one or two queries.
            self._load(day - datetime.timedelta(days=120), day + datetime.timedelta(days=120))

    def is_holiday(self, day: datetime.date) -> bool:
        self._ensure(day)
        return day in self._holidays

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() not in WEEKEND and not self.is_holiday(day)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        day = start
        remaining = days
        if remaining == 0:
            return self.next_working_day(day)
        while remaining > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def subtract_working_days(self, end: datetime.date, days: int) -> datetime.date:
        day = end
        remaining = days
        while remaining > 0:
            day -= ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day


def due_date(start: datetime.date, days: int, unit: str, country: str = "") -> datetime.date:
    """The day by which a body must answer a request submitted on ``start``."""
    if days < 0:
        raise ValueError("a response period cannot be negative")
    if unit not in PeriodUnit.values:
        raise ValueError(f"unknown unit {unit!r}")
    calendar = WorkingCalendar(country)
    if unit == PeriodUnit.WORKING:
        return calendar.add_working_days(start, days)
    return calendar.next_working_day(start + datetime.timedelta(days=days))


def working_days_before(day: datetime.date, days: int, country: str = "") -> datetime.date:
    """The working day ``days`` working days before ``day`` (for "due soon" reminders)."""
    if days < 0:
        raise ValueError("days cannot be negative")
    return WorkingCalendar(country).subtract_working_days(day, days)
