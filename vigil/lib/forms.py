"""Form fields shared by several apps."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# Dates a person could mean: beyond these, date arithmetic (the day after, a
# deadline in working days) overflows Python's date range.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


class BoundedDateField(forms.DateField):
    """A date between 1900 and 2100, with a clear message otherwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages["out_of_range"] = _("Enter a date between 1900 and 2100.")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")
