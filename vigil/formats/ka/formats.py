"""Formats for Georgian: documents write dd.mm.yyyy; Django's own module starts with ISO
and a short month name."""

from vigil.formats.dotted import (  # noqa: F401 - read by Django's format loader
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    DECIMAL_SEPARATOR,
    FIRST_DAY_OF_WEEK,
    NUMBER_GROUPING,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    THOUSAND_SEPARATOR,
)
