"""Forms of the engagement pages. Choices come from querysets the views pass in,
already scoped by the policy module."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Membership
from vigil.complaints.forms import DateInput
from vigil.engagement.models import (
    AUDIENCE_FIELDS,
    Activity,
    ActivityType,
    AgreementKind,
    Concern,
    ContactKind,
    FacilityType,
    MemberCategory,
    PartnerKind,
    PartnerResponse,
)
from vigil.incidents import evidence, regions

SEALED_HELP = _("Sealed: only members who hold your organisation's key can read it.")


class MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.get_username())


class SingleMemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.get_username())


def region_field(country: str, required: bool = False) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Region"), required=required, choices=[("", "—"), *regions.choices(country)]
    )


def _too_large(upload: Any) -> None:
    if upload.size > evidence.max_bytes():
        raise forms.ValidationError(_("The file is too large."))


# --- partnerships --------------------------------------------------------------------------


class PartnerForm(forms.Form):
    body: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Institution in the directory"),
        queryset=None,
        required=False,
        help_text=_("Pick it from the directory of oversight bodies, or name a new one below."),
    )
    new_name = forms.CharField(label=_("Or a new institution"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind of institution"), choices=PartnerKind.choices)
    since = forms.DateField(label=_("Partners since"), required=False, widget=DateInput())
    participants = MemberChoice(
        label=_("Police liaison members who take part"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They will see this partnership, never a case."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        bodies: QuerySet[Any],
        participants: QuerySet[Membership],
        editing: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["participants"].queryset = participants  # type: ignore[attr-defined]
        if editing:
            del self.fields["body"], self.fields["new_name"]
        else:
            del self.fields["is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "body" in self.fields and not data.get("body") and not data.get("new_name", "").strip():
            raise forms.ValidationError(_("Pick an institution or name a new one."))
        return data


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=SEALED_HELP)
    rank = forms.CharField(label=_("Rank"), max_length=100, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=200, required=False)
    rank_in_clear = forms.BooleanField(
        label=_("Keep rank and unit in clear"),
        required=False,
        help_text=_("Otherwise they are sealed with the name."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=64, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class ContactLogForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    contact: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Contact person"), queryset=None, required=False
    )
    legal_action: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Legal action sent"),
        queryset=None,
        required=False,
        help_text=_("Its response and deadlines are kept with the legal action."),
    )
    response = forms.ChoiceField(
        label=_("Response"), choices=[("", "—"), *PartnerResponse.choices], required=False
    )
    response_on = forms.DateField(
        label=_("Response received on"), required=False, widget=DateInput()
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=SEALED_HELP,
    )
    response_notes = forms.CharField(
        label=_("What they answered"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        contacts: QuerySet[Any],
        contact_labels: dict[int, str],
        legal_actions: QuerySet[Any] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        field.queryset = contacts  # type: ignore[attr-defined]
        field.label_from_instance = lambda c: contact_labels.get(c.pk) or str(c)  # type: ignore[attr-defined]
        if legal_actions is None:
            del self.fields["legal_action"]
        else:
            self.fields["legal_action"].queryset = legal_actions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ContactKind.LEGAL_ACTION and not data.get("legal_action"):
            self.add_error("legal_action", _("Pick the legal action that was sent."))
        return data


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=AgreementKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, help_text=SEALED_HELP)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    file = forms.FileField(label=_("Signed document"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        _too_large(upload)
        return upload


class AgreementEditForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=AgreementKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, help_text=SEALED_HELP)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())


# --- activities ----------------------------------------------------------------------------


class ActivityForm(forms.Form):
    activity_type = forms.ChoiceField(label=_("Type"), choices=ActivityType.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.IntegerField(label=_("Hours"), required=False, min_value=0, max_value=1000)
    place = forms.CharField(label=_("Place"), max_length=200, required=False, help_text=SEALED_HELP)
    board: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Community board"), queryset=None, required=False
    )
    partners: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Partner institutions"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Modules or topics"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    police_senior = forms.IntegerField(label=_("Police: senior ranks"), min_value=0, initial=0)
    police_middle = forms.IntegerField(label=_("Police: middle ranks"), min_value=0, initial=0)
    police_junior = forms.IntegerField(label=_("Police: junior ranks"), min_value=0, initial=0)
    community_members = forms.IntegerField(label=_("Community members"), min_value=0, initial=0)
    wud_speakers = forms.IntegerField(
        label=_("Women who use drugs among the speakers"),
        min_value=0,
        initial=0,
        help_text=_("Counted, never named."),
    )
    other_participants = forms.IntegerField(label=_("Other participants"), min_value=0, initial=0)
    pre_test_avg = forms.DecimalField(
        label=_("Pre-test average (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text=_("Trainings only."),
    )
    post_test_avg = forms.DecimalField(
        label=_("Post-test average (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
    )
    participants = MemberChoice(
        label=_("Police liaison members who take part"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=SEALED_HELP,
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=SEALED_HELP,
    )

    def __init__(
        self,
        *args: Any,
        country: str,
        boards: QuerySet[Any],
        partners: QuerySet[Any],
        topics: QuerySet[Any],
        participants: QuerySet[Membership],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(country)
        self.order_fields(["activity_type", "date", "hours", "region", "place"])
        self.fields["board"].queryset = boards  # type: ignore[attr-defined]
        self.fields["partners"].queryset = partners  # type: ignore[attr-defined]
        self.fields["topics"].queryset = topics  # type: ignore[attr-defined]
        self.fields["participants"].queryset = participants  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("activity_type") == ActivityType.BOARD_MEETING and not data.get("board"):
            self.add_error("board", _("A community board meeting needs its board."))
        return data

    @staticmethod
    def initial_for(activity: Activity, sealed: dict[str, str]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(activity, name)
            for name in (
                "activity_type",
                "date",
                "hours",
                "region",
                "board",
                "pre_test_avg",
                "post_test_avg",
                *AUDIENCE_FIELDS,
            )
        }
        initial.update(
            partners=list(activity.partners.all()),
            topics=list(activity.topics.all()),
            participants=list(activity.participants.all()),
            **sealed,
        )
        return initial


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("Material"), help_text=SEALED_HELP)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        _too_large(upload)
        return upload


# --- community boards ----------------------------------------------------------------------


class BoardForm(forms.Form):
    district = forms.CharField(label=_("District"), max_length=100)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(country, required=True)
        self.order_fields(["region", "district"])


class BoardMemberForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=MemberCategory.choices)
    name = forms.CharField(label=_("Name"), max_length=200, help_text=SEALED_HELP)
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class SuggestionForm(forms.Form):
    text = forms.CharField(
        label=_("Suggestion"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The police liaison reads this text: do not write names in it."),
    )
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DateInput())
    due_date = forms.DateField(label=_("Answer due"), required=False, widget=DateInput())
    addressed_to = SingleMemberChoice(
        label=_("Addressed to (police liaison)"), queryset=None, required=False
    )
    notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=SEALED_HELP,
    )

    def __init__(self, *args: Any, participants: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["addressed_to"].queryset = participants  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer of the police"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class MoveForm(forms.Form):
    to_status = forms.CharField(max_length=16)
    due_date = forms.DateField(required=False)


# --- detention monitoring ------------------------------------------------------------------


class VisitForm(forms.Form):
    facility_type = forms.ChoiceField(label=_("Type of facility"), choices=FacilityType.choices)
    facility = forms.CharField(
        label=_("Facility"), max_length=200, required=False, help_text=SEALED_HELP
    )
    date = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    follow_up_of: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Follow-up of an earlier visit"), queryset=None, required=False
    )
    partner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("With (ombudsman office, NPM)"), queryset=None, required=False
    )
    team = MemberChoice(
        label=_("Team"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=SEALED_HELP,
    )

    def __init__(
        self,
        *args: Any,
        country: str,
        visits: QuerySet[Any],
        partners: QuerySet[Any],
        staff: QuerySet[Membership],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(country)
        self.order_fields(["facility_type", "facility", "region", "date"])
        self.fields["follow_up_of"].queryset = visits  # type: ignore[attr-defined]
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["team"].queryset = staff  # type: ignore[attr-defined]


class FindingsForm(forms.Form):
    """One concern level and sealed notes per checklist theme."""

    def __init__(self, *args: Any, themes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.themes = themes
        for theme in themes:
            self.fields[f"concern_{theme.pk}"] = forms.ChoiceField(
                label=theme.label,
                choices=[("", _("Not assessed")), *Concern.choices],
                required=False,
            )
            self.fields[f"notes_{theme.pk}"] = forms.CharField(
                label=_("Findings"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def findings(self) -> dict[Any, tuple[str, str]]:
        data = self.cleaned_data
        return {t: (data[f"concern_{t.pk}"], data[f"notes_{t.pk}"]) for t in self.themes}


class AllegationForm(forms.Form):
    summary = forms.CharField(
        label=_("What was alleged"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=SEALED_HELP,
    )
    consent = forms.BooleanField(
        label=_("The person consents to documenting it as an incident"), required=False
    )
    event: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Documented as incident"),
        queryset=None,
        required=False,
        help_text=_("Once documented through the incident wizard, link the incident here."),
    )

    def __init__(self, *args: Any, events: QuerySet[Any] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if events is None:
            del self.fields["event"]
        else:
            self.fields["event"].queryset = events  # type: ignore[attr-defined]
            self.fields["event"].label_from_instance = lambda e: e.code  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("event") and not data.get("consent"):
            self.add_error("event", _("Only with the person's consent."))
        return data


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=SEALED_HELP,
    )
    authority: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Authority"), queryset=None
    )
    theme: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Theme"), queryset=None, required=False
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    def __init__(
        self, *args: Any, bodies: QuerySet[Any], themes: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["theme"].queryset = themes  # type: ignore[attr-defined]
