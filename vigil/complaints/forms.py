"""Forms of the complaints pages. Choices come from querysets the views obtained
through ``complaints.access`` (and so through ``vigil.policy``)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.cases.forms import OverrideForm as CaseOverrideForm
from vigil.complaints import letters
from vigil.complaints.models import (
    LANGS,
    ActionType,
    BodyType,
    Channel,
    GroundKind,
    LegalGround,
    LetterFormat,
    LetterLanguage,
    Outcome,
    OversightBody,
    PeriodUnit,
    Response,
)
from vigil.incidents import regions
from vigil.incidents.models import Act
from vigil.lib.forms import BoundedDateField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _not_future(value: datetime.date | None) -> datetime.date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."))
    return value


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OversightBody) -> str:
        return obj.name


class ActChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Act) -> str:
        return f"{obj.event.code} · {obj.act_type.label} · {obj.victim.pseudonym}"


class GroundChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: LegalGround) -> str:
        return obj.label


# --- legal actions ---------------------------------------------------------------------------


class LegalActionForm(forms.Form):
    action_type = forms.ChoiceField(label=_("Type"), choices=ActionType.choices)
    notes = forms.CharField(
        label=_("Notes for the team"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sealed. Not printed in the letter."),
    )

    def __init__(
        self,
        *args: Any,
        bodies: QuerySet[OversightBody],
        acts: QuerySet[Act],
        grounds: QuerySet[LegalGround],
        lawyers: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"] = BodyChoiceField(
            queryset=bodies,
            label=_("Oversight body"),
            error_messages={"required": _("Choose the body the action goes to.")},
        )
        self.fields["acts"] = ActChoiceField(
            queryset=acts,
            label=_("Acts it is about"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Only acts of this case's incidents. None: all of them."),
        )
        self.fields["rights"] = GroundChoiceField(
            queryset=grounds.filter(kind=GroundKind.RIGHT),
            label=_("Rights violated"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["provisions"] = GroundChoiceField(
            queryset=grounds.filter(kind=GroundKind.PROVISION),
            label=_("National legal provisions"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Examples to be reviewed by your lawyers."),
        )
        self.fields["lawyer"] = MemberChoiceField(
            queryset=lawyers,
            label=_("Lawyer"),
            required=False,
            help_text=_("Receives the deadline reminders."),
        )
        self.order_fields(
            ["action_type", "body", "acts", "rights", "provisions", "lawyer", "notes"]
        )


class FileForm(forms.Form):
    submitted_on = BoundedDateField(label=_("Date of submission"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Sent by"), choices=Channel.choices)
    reference = forms.CharField(
        label=_("Registration number given by the body"),
        required=False,
        max_length=200,
        help_text=_("Sealed. You can add it later when the body acknowledges receipt."),
    )

    def clean_submitted_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("submitted_on"))


class AcknowledgeForm(forms.Form):
    acknowledged_on = BoundedDateField(label=_("Date of acknowledgement"), widget=DateInput())
    reference = forms.CharField(
        label=_("Registration number given by the body"), required=False, max_length=200
    )

    def clean_acknowledged_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("acknowledged_on"))


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("The authority's response"), choices=Response.choices, widget=forms.RadioSelect
    )
    response_on = BoundedDateField(
        label=_("Date of the response"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty when there was no response."),
    )
    outcomes = forms.MultipleChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("What the answer says"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sealed."),
    )

    def __init__(self, *args: Any, submitted_on: datetime.date | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.submitted_on = submitted_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        response, day = data.get("response"), data.get("response_on")
        if response and response != Response.NO_RESPONSE and day is None:
            self.add_error("response_on", _("Give the date of the response."))
        if response == Response.NO_RESPONSE and day is not None:
            self.add_error("response_on", _("There was no response: leave the date empty."))
        if day is not None and day > timezone.localdate():
            self.add_error("response_on", _("This date is in the future."))
        elif day is not None and self.submitted_on is not None and day < self.submitted_on:
            self.add_error("response_on", _("The response cannot be older than the submission."))
        return data


class AppealForm(forms.Form):
    action_type = forms.ChoiceField(
        label=_("Type"), choices=ActionType.choices, initial=ActionType.APPEAL
    )

    def __init__(
        self, *args: Any, bodies: QuerySet[OversightBody], lawyers: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"] = BodyChoiceField(
            queryset=bodies,
            label=_("Body the appeal goes to"),
            error_messages={"required": _("Choose the body the appeal goes to.")},
        )
        self.fields["lawyer"] = MemberChoiceField(
            queryset=lawyers, label=_("Lawyer"), required=False
        )


GRANTED, WITHDRAWN = "granted", "withdrawn"


class ShareConsentForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Her decision"),
        widget=forms.RadioSelect,
        choices=[
            (GRANTED, _("She agrees to share her identified case with this body")),
            (WITHDRAWN, _("She does not agree or withdraws")),
        ],
    )

    @property
    def granted(self) -> bool:
        return self.cleaned_data["decision"] == GRANTED


class OverrideForm(CaseOverrideForm):
    """The same rules as overriding a contact refusal; only the question differs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Reason for filing without her consent")


class LetterForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the letter"), choices=LetterLanguage.choices)
    formats = forms.MultipleChoiceField(
        label=_("Formats"),
        choices=LetterFormat.choices,
        initial=[LetterFormat.DOCX],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one format.")},
    )


# --- directory --------------------------------------------------------------------------------


def _country_choices() -> list[tuple[str, Any]]:
    return [("", _("International")), *regions.country_choices()]


def _region_choices() -> list[tuple[str, Any]]:
    groups: list[tuple[str, Any]] = [("", _("Whole country or international"))]
    for country in regions.countries():
        groups.append((regions.country_name(country), regions.choices(country)))
    return groups


class BodyForm(forms.Form):
    name_en = forms.CharField(label=_("Name in English"), max_length=300)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=300, required=False)
    name_uk = forms.CharField(label=_("Name in Ukrainian"), max_length=300, required=False)
    name_ro = forms.CharField(label=_("Name in Romanian"), max_length=300, required=False)
    name_ka = forms.CharField(label=_("Name in Georgian"), max_length=300, required=False)
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=300, required=False)
    name_ky = forms.CharField(label=_("Name in Kyrgyz"), max_length=300, required=False)
    name_be = forms.CharField(label=_("Name in Belarusian"), max_length=300, required=False)
    body_type = forms.ChoiceField(label=_("Type"), choices=BodyType.choices)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=_country_choices)
    region = forms.ChoiceField(label=_("Region"), required=False, choices=_region_choices)
    address = forms.CharField(
        label=_("Postal address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=64)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    response_days = forms.IntegerField(
        label=_("Response period"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Leave empty when the law sets no period."),
    )
    response_unit = forms.ChoiceField(label=_("Counted in"), choices=PeriodUnit.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _(
            "Public contact details of the institution only: never a person's own phone "
            "or email (add a liaison contact for that; it is sealed)."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region, country = data.get("region") or "", data.get("country") or ""
        if region:
            known = regions.all_regions().get(region)
            if known is None or known.country != country:
                self.add_error("region", _("Choose a region of the body's country."))
        return data

    def names(self) -> dict[str, str]:
        return {lang: self.cleaned_data.get(f"name_{lang}", "") for lang in LANGS}

    def fields_for_model(self) -> dict[str, Any]:
        data = self.cleaned_data
        text = ("body_type", "country", "region", "address", "email", "phone", "website")
        return {
            **{k: (data.get(k) or "").strip() for k in text},
            "response_days": data.get("response_days"),
            "response_unit": data.get("response_unit") or PeriodUnit.CALENDAR,
            "is_active": bool(data.get("is_active")),
        }

    @staticmethod
    def initial_from(body: OversightBody) -> dict[str, Any]:
        return {
            **{f"name_{lang}": body.names.get(lang, "") for lang in LANGS},
            "body_type": body.body_type,
            "country": body.country,
            "region": body.region,
            "address": body.address,
            "email": body.email,
            "phone": body.phone,
            "website": body.website,
            "response_days": body.response_days,
            "response_unit": body.response_unit,
            "is_active": body.is_active,
        }


class LiaisonForm(forms.Form):
    position = forms.CharField(
        label=_("Position"),
        max_length=200,
        required=False,
        help_text=_("For example: senior inspector on violence against women."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=64, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def sealed(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k, "") for k in ("name", "phone", "email", "notes")}


TEMPLATE_ERRORS = {
    "too_large": _("This file is too large for a letter template."),
    "not_docx": _("This is not a Word (.docx) document."),
    "syntax": _(
        "The template has an error in a {{ … }} or {% … %} field. "
        "Fix it in Word and upload it again."
    ),
    "unsafe": _(
        "The template contains something that would make Word fetch or include content "
        "from outside the letter (%(detail)s). Remove it in Word and upload it again."
    ),
    "limit": _(
        "The template repeats or produces too much (a loop, a range or a repetition "
        "is too large). Simplify it and upload it again."
    ),
    "time": _("The template takes too long to fill in. Simplify it and upload it again."),
    "error": _("The template fails when it is filled in. Fix it in Word and upload it again."),
}
TEMPLATE_WHERE = _("Paragraph %(line)s, near “%(excerpt)s”.")


def template_error_message(exc: letters.TemplateInvalid | letters.LetterRenderError) -> str:
    """The user's message for a template that cannot be used, with where it fails."""
    reason = exc.reason if exc.reason in TEMPLATE_ERRORS else "error"
    detail = getattr(exc, "detail", "") or getattr(exc, "excerpt", "")
    message = (
        str(TEMPLATE_ERRORS[reason]) % {"detail": detail}
        if reason == "unsafe"
        else str(TEMPLATE_ERRORS[reason])
    )
    if exc.line:
        excerpt = getattr(exc, "excerpt", "") or getattr(exc, "detail", "")
        message += " " + str(TEMPLATE_WHERE) % {"line": exc.line, "excerpt": excerpt}
    return message


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Word template (.docx)"),
        help_text=_("Start from the current template and keep its {{ … }} fields."),
    )

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > letters.MAX_TEMPLATE_BYTES:
            raise forms.ValidationError(TEMPLATE_ERRORS["too_large"])
        content = upload.read()
        try:
            return letters.validate_template(content, self.language)
        except letters.TemplateInvalid as exc:
            raise forms.ValidationError(template_error_message(exc)) from exc
