"""The reporter's steps and the hotline form share these field definitions."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.cases import consent as consent_ladder
from vigil.incidents import regions
from vigil.intake import choices

SENSITIVE = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}


def _radio(
    options: list[tuple[str, Any]] | list[tuple[str, Any, str]], **kwargs: Any
) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[(o[0], o[1]) for o in options], widget=forms.RadioSelect, **kwargs
    )


class WhatForm(forms.Form):
    what = forms.MultipleChoiceField(
        label=_("What happened? Choose everything that fits."),
        choices=[(c.key, c.label) for c in choices.WHAT],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    story = forms.CharField(
        label=_("In your own words (optional)"),
        help_text=_("Write as much or as little as you want. Do not write your own name here."),
        widget=forms.Textarea(attrs={"rows": 6, **SENSITIVE}),
        required=False,
        max_length=20000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("what") and not (data.get("story") or "").strip():
            raise forms.ValidationError(
                _("Choose at least one option or tell us in your own words.")
            )
        return data


class WhenWhereForm(forms.Form):
    when = _radio(choices.WHEN, label=_("When did it happen?"))
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only if you know it."),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    place = _radio(choices.PLACES, label=_("Where did it happen?"), required=False)
    place_detail = forms.CharField(
        label=_("City, street or station (optional)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs=SENSITIVE),
    )

    def __init__(self, *args: Any, country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unknown = ("", _("I don't know / prefer not to say"))
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            unknown,
            *regions.choices(country),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day = data.get("date")
        if data.get("when") == "date" and not day:
            self.add_error("date", _("Enter the date, or choose another answer above."))
        if day and day > timezone.localdate():
            self.add_error("date", _("The date cannot be in the future."))
        return data


class WhoForm(forms.Form):
    who = _radio(choices.WHO_KIND, label=_("Who did it?"), required=False)
    uniform = _radio(choices.UNIFORM, label=_("Were they in uniform?"), required=False)
    how_many = forms.IntegerField(
        label=_("How many were there?"), required=False, min_value=1, max_value=50
    )
    unit = forms.CharField(
        label=_("Unit or department, if you know"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=SENSITIVE),
    )
    badge = forms.CharField(
        label=_("Badge number"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs=SENSITIVE),
    )
    name = forms.CharField(
        label=_("Name or nickname"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=SENSITIVE),
    )
    vehicle = forms.CharField(
        label=_("Car number plate"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs=SENSITIVE),
    )
    description = forms.CharField(
        label=_("Anything else about them (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, **SENSITIVE}),
    )


class HelpForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("What help do you need now?"),
        choices=[(n[0], n[1]) for n in choices.NEEDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    urgent = forms.BooleanField(label=_("I am in danger right now"), required=False)


class ConsentForm(forms.Form):
    consents = forms.MultipleChoiceField(
        label=_("What may we do with your report?"),
        help_text=_("Everything is optional. You can change your mind later in your mailbox."),
        choices=[(str(c[0]), c[1]) for c in choices.CONSENTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent_level = _radio(
        consent_ladder.LEVELS,
        label=_("May we use your report to warn others or tell the police?"),
        help_text=_("Each choice includes the ones above it."),
        required=False,
        initial=consent_ladder.LISTEN,
    )


class ContactForm(forms.Form):
    method = _radio(choices.CONTACT_METHODS, label=_("How can we reach you?"), required=False)
    contact = forms.CharField(
        label=_("Number, username or address"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=SENSITIVE),
        help_text=_("Stored encrypted. Only the organisation's staff can read it."),
    )
    safe_times = forms.CharField(
        label=_("When is it safe to contact you? (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=SENSITIVE),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") and data.get("method") != "outreach" and not data.get("contact"):
            self.add_error(
                "contact", _("Tell us the number or address to use, or leave the method empty.")
            )
        return data


class ReviewForm(forms.Form):
    # Honeypot: hidden from people by CSS; a bot that fills it is refused.
    website = forms.CharField(label=_("Leave this field empty"), required=False)


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your 16-digit code"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", **SENSITIVE}),
    )


class SavedForm(forms.Form):
    saved = forms.BooleanField(
        label=_("I have written down or saved my code"),
        error_messages={
            "required": _("Please save your code first: you need it to read our answer.")
        },
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4, **SENSITIVE}),
    )


STEPS: list[tuple[str, type[forms.Form], Any]] = [
    ("what", WhatForm, _("What happened")),
    ("when", WhenWhereForm, _("When and where")),
    ("who", WhoForm, _("Who did it")),
    ("help", HelpForm, _("Help you need")),
    ("consent", ConsentForm, _("Your choices")),
    ("contact", ContactForm, _("Contact")),
]
STEP_NAMES = [name for name, _form, _label in STEPS]


def to_draft(data: dict[str, Any]) -> dict[str, Any]:
    """Form data as JSON-safe values for the encrypted draft."""
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in data.items()
        if key != "website"
    }
