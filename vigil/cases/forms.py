"""Forms of the case pages. Choices come from querysets the views obtained through policy."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.cases import consent, transitions
from vigil.cases.models import ConsentPurpose
from vigil.complaints.models import OversightBody
from vigil.incidents.models import Person
from vigil.lib.forms import BoundedDateField
from vigil.vocab.fields import TermChoiceField, TermMultipleChoiceField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class ClientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.pseudonym


def _members_field(team: QuerySet[User], label: Any) -> MembersChoiceField:
    return MembersChoiceField(
        queryset=team,
        label=label,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one member of the case team.")},
    )


class OpenCaseForm(forms.Form):
    def __init__(
        self, *args: Any, victims: QuerySet[Person], team: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"] = ClientChoiceField(
            queryset=victims,
            label=_("Client"),
            widget=forms.RadioSelect,
            empty_label=None,
            error_messages={"required": _("Choose whose case this is.")},
        )
        self.fields["assignees"] = _members_field(team, _("Assigned to"))


class AssignForm(forms.Form):
    def __init__(self, *args: Any, team: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignees"] = _members_field(team, _("Assigned to"))


class ClosureForm(forms.Form):
    """The closure checklist: every item must be confirmed, and an outcome chosen."""

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in transitions.CLOSURE_CHECKLIST:
            self.fields[key] = forms.BooleanField(label=label, required=False)
        self.fields["outcome"] = TermChoiceField(
            "case_outcome",
            organisation_id,
            label=_("Outcome"),
            error_messages={"required": _("Choose the outcome of the case.")},
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key, _label in transitions.CLOSURE_CHECKLIST:
            if not data.get(key):
                self.add_error(key, _("Confirm this before asking to close the case."))
        return data

    def checklist(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(key)) for key, _l in transitions.CLOSURE_CHECKLIST}


class AssessmentForm(forms.Form):
    needs_notes = forms.CharField(
        label=_("Notes on her needs"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    plan = forms.CharField(
        label=_("Plan"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What we will do, who does it and by when."),
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["needs"] = TermMultipleChoiceField(
            "need", organisation_id, label=_("Needs"), required=False
        )
        self.order_fields(["needs", "needs_notes", "plan"])


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("Task"),
        max_length=500,
        help_text=_("Reminder emails never contain this text."),
    )
    due_date = BoundedDateField(label=_("Due date"), required=False, widget=DateInput())

    def __init__(self, *args: Any, team: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = MemberChoiceField(
            queryset=team,
            label=_("Assigned to"),
            required=False,
            empty_label=_("Me"),
        )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )


class InterventionForm(forms.Form):
    date = BoundedDateField(label=_("Date"), widget=DateInput())
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["intervention_type"] = TermChoiceField(
            "intervention_type", organisation_id, label=_("Type of response")
        )
        self.fields["authority_response"] = TermChoiceField(
            "authority_response",
            organisation_id,
            label=_("Response of the authority"),
            required=False,
        )
        self.fields["outcome"] = TermChoiceField(
            "case_outcome", organisation_id, label=_("Outcome"), required=False
        )
        self.order_fields(["intervention_type", "date", "authority_response", "outcome"])

    def clean_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


GRANTED = "granted"
WITHDRAWN = "withdrawn"


class ConsentLevelForm(forms.Form):
    """The Ugly Mugs ladder in one question, as the report and hotline forms ask it."""

    consent_level = forms.ChoiceField(
        label=_("May we use her report to warn others or tell the police?"),
        help_text=_("Each choice includes the ones above it."),
        choices=consent.LEVELS,
        widget=forms.RadioSelect,
    )


def consent_bodies(organisation_id: int) -> QuerySet[OversightBody]:
    """The directory a consent to share is chosen from: shared bodies and the
    organisation's own (oversight bodies and partners), active ones only."""
    return OversightBody.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=organisation_id), is_active=True
    ).order_by("country", "body_type", "slug")


class DirectoryBodyField(forms.ModelChoiceField):
    def __init__(self, organisation_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Body from the directory"))
        kwargs.setdefault("empty_label", _("— choose a body —"))
        super().__init__(
            queryset=consent_bodies(organisation_id), to_field_name="slug", required=False, **kwargs
        )

    def label_from_instance(self, obj: OversightBody) -> str:
        return f"{obj.name} ({obj.country})" if obj.country else obj.name


def new_body_field() -> forms.CharField:
    return forms.CharField(
        label=_("Body not in the list"),
        required=False,
        max_length=200,
        help_text=_(
            "Its name. A directory entry is created for a coordinator to complete "
            "(type, country, address)."
        ),
    )


class ConsentForm(forms.Form):
    """One decision. Sharing the identified case names one body of the directory."""

    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    decision = forms.ChoiceField(
        label=_("Her decision"),
        widget=forms.RadioSelect,
        choices=[(GRANTED, _("She agrees")), (WITHDRAWN, _("She does not agree or withdraws"))],
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"] = DirectoryBodyField(
            organisation_id,
            help_text=_("Only for sharing the identified case: the body it may go to."),
        )
        self.fields["new_body"] = new_body_field()
        self.order_fields(["purpose", "body", "new_body", "decision"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("body") is not None or bool((data.get("new_body") or "").strip())
        if data.get("purpose") == ConsentPurpose.SHARE_IDENTIFIED:
            if not chosen:
                self.add_error("body", _("Name the body she agrees (or not) to share with."))
            elif data.get("body") is not None and (data.get("new_body") or "").strip():
                self.add_error(
                    "new_body", _("Choose a body from the list or name a new one, not both.")
                )
        elif chosen:
            self.add_error("body", _("A body is only named for sharing the identified case."))
        return data

    @property
    def granted(self) -> bool:
        return self.cleaned_data["decision"] == GRANTED


REASON_REQUIRED = _("Give a reason of at least 10 characters for overriding her decision.")


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for contacting her without consent"),
        error_messages={"required": REASON_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("At least 10 characters. The reason is sealed; the override is audited."),
    )

    def clean_reason(self) -> str:
        value = (self.cleaned_data.get("reason") or "").strip()
        if len(value) < 10:
            raise forms.ValidationError(REASON_REQUIRED)
        return value
