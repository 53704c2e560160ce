from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.alerts import transitions
from vigil.alerts.models import (
    CHECKABLE,
    LANGUAGES,
    Channel,
    IdentifierKind,
    MemberGroup,
    PeriodKind,
    Risk,
)
from vigil.incidents import regions
from vigil.vocab.fields import TermChoiceField, TermMultipleChoiceField

PRIVATE = {"autocomplete": "off", "spellcheck": "false"}
IDENTIFIER_ROWS = 4
LANGUAGE_NAMES = {"en": _("English"), "ru": _("Russian"), "uk": _("Ukrainian")}


class _RegionChoices(forms.Form):
    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        if not isinstance(field, forms.ChoiceField):
            raise TypeError(name)
        field.choices = choices


class AlertForm(_RegionChoices):
    """The alert's clear fields, its texts per language and the offender's identifiers."""

    region = forms.ChoiceField(label=_("Region"))
    period_kind = forms.ChoiceField(
        label=_("Say when as"), choices=PeriodKind.choices, widget=forms.RadioSelect
    )
    day = forms.DateField(
        label=_("Around which date"),
        help_text=_("Only its week or month is kept and shown, never the day."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    risk = forms.ChoiceField(label=_("Risk level"), choices=Risk.choices, widget=forms.RadioSelect)
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, organisation_id: int, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_choices("region", [("", "—"), *regions.choices(country)])
        self.fields["perpetrator_type"] = TermChoiceField(
            "perpetrator_type", organisation_id, label=_("Who was it?"), required=False
        )
        self.fields["act_types"] = TermMultipleChoiceField(
            "act_type", organisation_id, label=_("What he did"), required=False
        )
        self.fields["methods"] = TermMultipleChoiceField(
            "method", organisation_id, label=_("How (methods)"), required=False
        )
        for lang in LANGUAGES:
            self.fields[f"text_{lang}"] = forms.CharField(
                label=_("Description in %(language)s") % {"language": LANGUAGE_NAMES[lang]},
                help_text=_(
                    'In the third person ("a woman was..."). What he did and how to '
                    "recognise him; nothing about her."
                ),
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 4, **PRIVATE}),
            )
        for row in range(IDENTIFIER_ROWS):
            self.fields[f"id_kind_{row}"] = forms.ChoiceField(
                label=_("Identifier %(n)d") % {"n": row + 1},
                choices=IdentifierKind.choices,
                required=False,
            )
            self.fields[f"id_value_{row}"] = forms.CharField(
                label=_("Value"),
                required=False,
                max_length=120,
                widget=forms.TextInput(attrs=PRIVATE),
            )

    def texts(self) -> dict[str, str]:
        return {lang: self.cleaned_data.get(f"text_{lang}", "") for lang in LANGUAGES}

    def identifiers(self) -> list[dict[str, str]]:
        return [
            {
                "kind": self.cleaned_data[f"id_kind_{r}"] or IdentifierKind.OTHER,
                "value": self.cleaned_data[f"id_value_{r}"],
            }
            for r in range(IDENTIFIER_ROWS)
        ]

    def text_fields(self) -> list[forms.BoundField]:
        return [self[f"text_{lang}"] for lang in LANGUAGES]

    def identifier_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"id_kind_{r}"], self[f"id_value_{r}"]) for r in range(IDENTIFIER_ROWS)]


def alert_initial(texts: dict[str, str], identifiers: list[dict[str, str]]) -> dict[str, Any]:
    initial: dict[str, Any] = {f"text_{lang}": texts.get(lang, "") for lang in LANGUAGES}
    for row, item in enumerate(identifiers[:IDENTIFIER_ROWS]):
        initial[f"id_kind_{row}"] = item["kind"]
        initial[f"id_value_{row}"] = item["value"]
    return initial


class ApproveForm(forms.Form):
    police_reason = forms.CharField(
        label=_("Why a police identifier may be shown (lawyer)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, **PRIVATE}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item, label in transitions.CHECKLIST:
            self.fields[item] = forms.BooleanField(label=str(label), required=False)

    def checklist(self) -> dict[str, bool]:
        return {item: bool(self.cleaned_data.get(item)) for item, _l in transitions.CHECKLIST}


class SubscriberForm(_RegionChoices):
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs=PRIVATE))
    group = forms.ChoiceField(label=_("Member of"), choices=MemberGroup.choices)
    channel = forms.ChoiceField(
        label=_("Receives alerts by"), choices=Channel.choices, widget=forms.RadioSelect
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Also used to sign in to the members' page."),
        widget=forms.EmailInput(attrs=PRIVATE),
    )
    phone = forms.CharField(
        label=_("Phone for SMS"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs=PRIVATE),
    )
    region = forms.ChoiceField(label=_("Region (empty: every region)"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=[(k, v) for k, v in LANGUAGE_NAMES.items()], initial="ru"
    )

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_choices("region", [("", "—"), *regions.choices(country)])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("channel") in (Channel.EMAIL, Channel.PAGE) and not data.get("email"):
            self.add_error("email", _("An email address is needed for this channel."))
        if data.get("channel") == Channel.SMS and not data.get("phone"):
            self.add_error("phone", _("A phone number is needed for SMS."))
        return data


class MemberSignInForm(forms.Form):
    email = forms.EmailField(label=_("Your email"), widget=forms.EmailInput(attrs=PRIVATE))


class CheckerForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to check?"),
        choices=[(k, IdentifierKind(k).label) for k in CHECKABLE],
        widget=forms.RadioSelect,
    )
    value = forms.CharField(label=_("Number"), max_length=60, widget=forms.TextInput(attrs=PRIVATE))


class DigestForm(forms.Form):
    partner = forms.CharField(
        label=_("Police partner"),
        max_length=200,
        help_text=_("For example: senior inspector for violence against women, city police."),
    )
    month_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    month_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[("docx", "Word (DOCX)"), ("pdf", "PDF"), ("csv", "CSV")],
        widget=forms.RadioSelect,
        initial="docx",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("month_from"), data.get("month_to")
        if start and end and start > end:
            self.add_error("month_to", _("The end comes before the start."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        start: datetime.date = self.cleaned_data["month_from"].replace(day=1)
        end: datetime.date = self.cleaned_data["month_to"]
        following = (end.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return start, following - datetime.timedelta(days=1)


class LinkRequestForm(forms.Form):
    partner = forms.CharField(label=_("Who asks"), max_length=200)
    reference = forms.CharField(label=_("Digest reference"), max_length=20)
    request_text = forms.CharField(
        label=_("What they ask"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, **PRIVATE}),
    )
    received_at = forms.DateField(
        label=_("Received on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Her decision"),
        choices=[
            ("granted", _("She agrees that we link her report")),
            ("refused", _("She does not agree")),
        ],
        widget=forms.RadioSelect,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("What we answered"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, **PRIVATE}),
    )
