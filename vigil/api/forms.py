"""Forms for API tokens and Kobo hooks (coordinators)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.api.kobo import REPORT_FIELDS
from vigil.api.models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("Which program or partner uses it, e.g. 'Partner hotline app'."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one.")},
    )


class HookForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("Which Kobo form sends here.")
    )


class HookMappingForm(forms.Form):
    """For each report field, the Kobo question that answers it."""

    def __init__(self, *args: Any, mapping: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in REPORT_FIELDS:
            self.fields[field.name] = forms.CharField(
                label=field.label,
                required=False,
                max_length=200,
                initial=mapping.get(field.name, ""),
                help_text=_("Kobo question name; empty means a question named '%(name)s'.")
                % {"name": field.name},
            )

    def mapping(self) -> dict[str, str]:
        return {name: value.strip() for name, value in self.cleaned_data.items() if value.strip()}
