"""Dates are written and read dd.mm.yyyy in every language of the region, including
Kazakh and Belarusian, for which Django ships no formats (vigil/formats/)."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

DAY = datetime.date(2026, 12, 6)


@pytest.mark.parametrize("language", ["kk", "be", "ka", "ro", "ky", "ru", "uk"])
def test_short_dates_are_day_month_year_with_dots(language: str) -> None:
    with translation.override(language):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "06.12.2026"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
        rendered = Template('{{ day|date:"SHORT_DATE_FORMAT" }}').render(Context({"day": DAY}))
        assert rendered == "06.12.2026"


@pytest.mark.parametrize("language", ["kk", "be", "ka"])
def test_a_date_typed_day_first_is_read_as_such(language: str) -> None:
    field = forms.DateField()
    with translation.override(language):
        assert field.clean("06.12.2026") == DAY
        assert field.clean("6.12.26") == DAY
        assert field.clean("2026-12-06") == DAY  # what a date picker sends
        with pytest.raises(forms.ValidationError):
            field.clean("12/06/2026")


def test_kazakh_and_belarusian_formats_come_from_vigil() -> None:
    with translation.override("kk"):
        assert formats.get_format("DECIMAL_SEPARATOR") == ","
        assert formats.date_format(
            datetime.datetime(2026, 12, 6, 9, 5), "SHORT_DATETIME_FORMAT"
        ) == ("06.12.2026 09:05")
    with translation.override("be"):
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d.%m.%Y"
    # Without Vigil's module Django would write kk dates the English way.
    with translation.override("en"):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "12/06/2026"
