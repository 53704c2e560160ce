"""Forms of the officer pages: the repeat threshold, the register upload and its columns."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.officers.importer import FIELDS, IDENTITY_FIELDS, MAX_FILE_BYTES


class ThresholdForm(forms.Form):
    repeat_threshold = forms.IntegerField(
        label=_("Repeat threshold"),
        min_value=2,
        max_value=50,
        help_text=_(
            "An officer is listed as a repeat officer from this many incidents and "
            "external complaints together."
        ),
    )


class UploadForm(forms.Form):
    source_name = forms.CharField(
        label=_("Source of the register"),
        max_length=200,
        help_text=_("Who published it and when, e.g. “Ombudsman, complaints 2024”."),
    )
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "One row per accused officer per complaint; the first row holds the column names. "
            "CSV in UTF-8 or Windows-1251, separated by commas or semicolons."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


NOT_IN_FILE = ""


class ColumnsForm(forms.Form):
    """Which column holds which field, and which fields identify an officer."""

    identity = forms.MultipleChoiceField(
        label=_("The officer is identified by"),
        choices=[(f, FIELDS[f]) for f in IDENTITY_FIELDS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "For example badge number and region, or name, year of birth and date of "
            "appointment. Badge alone or name alone (with or without region) joins the "
            "officer profiles of your own incidents."
        ),
    )
    unknown_as_other = forms.BooleanField(
        label=_("Count categories and findings that are not in the list as “other”"),
        required=False,
    )

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NOT_IN_FILE, _("— not in the file —")), *((h, h) for h in headers if h)]
        for name, label in FIELDS.items():
            self.fields[f"column_{name}"] = forms.ChoiceField(
                label=label, choices=choices, required=name == "finding"
            )
        self.order_fields([f"column_{name}" for name in FIELDS])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in data.get("identity", []):
            if not data.get(f"column_{name}"):
                self.add_error(
                    f"column_{name}",
                    _("Choose the column of this field: it identifies the officer."),
                )
        chosen = [h for h in self.mapping(data).values()]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Each column can hold only one field."))
        return data

    @staticmethod
    def mapping(data: dict[str, Any]) -> dict[str, str]:
        return {name: data[f"column_{name}"] for name in FIELDS if data.get(f"column_{name}")}
