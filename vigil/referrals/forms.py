"""Forms of the referral pages. Choices come from querysets obtained through policy."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.incidents import regions
from vigil.referrals.funnel import BY_CHOICES
from vigil.referrals.models import (
    CloseReason,
    HealthService,
    InfoSource,
    Need,
    PoliceUnit,
    Programme,
    Reason,
    Route,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


HOURS = [(h, f"{h:02d}:00") for h in range(24)]


class PoliceReferralForm(forms.Form):
    """What the police side enters: no name, no identifier, nothing free but the district."""

    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=_("Programme"))
    route = forms.ChoiceField(label=_("Route"), widget=forms.RadioSelect)
    referred_on = forms.DateField(label=_("Date"), widget=DateInput())
    referred_hour = forms.TypedChoiceField(label=_("Hour"), choices=HOURS, coerce=int)
    region = forms.ChoiceField(label=_("Region"))
    district = forms.CharField(label=_("District"), max_length=100, required=False)
    reasons = forms.MultipleChoiceField(
        label=_("Reason"), choices=Reason.choices, widget=forms.CheckboxSelectMultiple
    )
    contact_agreed = forms.BooleanField(
        label=_("She agreed to be contacted by the referral worker"), required=False
    )

    def __init__(
        self, *args: Any, programmes: QuerySet[Programme], country: str, **kwargs: Any
    ) -> None:
        now = timezone.localtime()
        first = programmes.first()
        initial: dict[str, Any] = kwargs.pop("initial", {}) or {}
        initial.setdefault("referred_on", now.date())
        initial.setdefault("referred_hour", now.hour)
        if first is not None:
            initial.setdefault("programme", first.pk)
            initial.setdefault("region", first.region)
            if len(first.routes) == 1:
                initial.setdefault("route", first.routes[0])
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["programme"].empty_label = None  # type: ignore[attr-defined]
        self.fields["region"].choices = regions.choices(country)  # type: ignore[attr-defined]
        accepted = {r for p in programmes for r in p.routes}
        self.fields["route"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Route.choices if value in accepted
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        programme, route = data.get("programme"), data.get("route")
        if programme is not None and route and route not in programme.routes:
            self.add_error("route", _("This programme does not accept that route."))
        day = data.get("referred_on")
        if day is not None and day > timezone.localdate():
            self.add_error("referred_on", _("The date cannot be in the future."))
        if programme is not None and day is not None and not programme.runs_on(day):
            self.add_error("referred_on", _("The programme does not run on that date."))
        return data


class CaseReferralForm(forms.Form):
    """A referral started from a case by the case team (community or social contact)."""

    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=_("Programme"))
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, initial=Route.COMMUNITY)
    region = forms.ChoiceField(label=_("Region"))
    district = forms.CharField(label=_("District"), max_length=100, required=False)

    def __init__(
        self, *args: Any, programmes: QuerySet[Programme], country: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["region"].choices = regions.choices(country)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        programme, route = data.get("programme"), data.get("route")
        if programme is not None and route and route not in programme.routes:
            self.add_error("route", _("This programme does not accept that route."))
        return data


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = forms.DateField(label=_("Start"), widget=DateInput())
    ends_on = forms.DateField(label=_("End"), widget=DateInput(), required=False)
    eligibility = forms.CharField(label=_("Eligibility"), widget=forms.Textarea, required=False)
    routes = forms.MultipleChoiceField(
        label=_("Routes accepted"), choices=Route.choices, widget=forms.CheckboxSelectMultiple
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    police_units = forms.ModelMultipleChoiceField(
        queryset=PoliceUnit.objects.none(),
        label=_("Partner police units"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    services = forms.ModelMultipleChoiceField(
        queryset=HealthService.objects.none(),
        label=_("Health services"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    referrers = MemberChoices(
        queryset=User.objects.none(),
        label=_("Police accounts that may refer"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Members with the police liaison role: the liaison, and officers if allowed."),
    )
    on_call = MemberChoice(
        queryset=User.objects.none(), label=_("On-call referral worker"), required=False
    )

    def __init__(
        self,
        *args: Any,
        country: str,
        units: QuerySet[PoliceUnit],
        services: QuerySet[HealthService],
        police: QuerySet[User],
        workers: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—"), *regions.choices(country)]  # type: ignore[attr-defined]
        self.fields["police_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["services"].queryset = services  # type: ignore[attr-defined]
        self.fields["referrers"].queryset = police  # type: ignore[attr-defined]
        self.fields["on_call"].queryset = workers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end comes before the start."))
        return data


class PoliceUnitForm(forms.Form):
    name = forms.CharField(label=_("Police unit"), max_length=200)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—"), *regions.choices(country)]  # type: ignore[attr-defined]


class HealthServiceForm(forms.Form):
    name = forms.CharField(label=_("Health service"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Need.choices)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—"), *regions.choices(country)]  # type: ignore[attr-defined]


class AssessmentForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=Need.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    notes = forms.CharField(
        label=_("Notes (sealed)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class FindPersonForm(forms.Form):
    q = forms.CharField(
        label=_("Name or phone number of an existing client (exact)"), max_length=200
    )


class NewPersonForm(forms.Form):
    pseudonym = forms.CharField(label=_("Pseudonym"), max_length=60)
    legal_name = forms.CharField(label=_("Name (sealed)"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone (sealed)"), max_length=50, required=False)


class ServiceForm(forms.Form):
    service = forms.ModelChoiceField(queryset=HealthService.objects.none(), label=_("Service"))
    on = forms.DateField(label=_("Referred on"), widget=DateInput())

    def __init__(self, *args: Any, services: QuerySet[HealthService], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]


class AdmissionForm(forms.Form):
    on = forms.DateField(label=_("Admitted on"), widget=DateInput())

    def clean_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class RetentionForm(forms.Form):
    day = forms.TypedChoiceField(
        label=_("Follow-up"),
        choices=[(30, _("30 days")), (90, _("90 days")), (180, _("180 days"))],
        coerce=int,
    )
    retained = forms.TypedChoiceField(
        label=_("Still in the service?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(label=_("Source of this information"), choices=InfoSource.choices)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CloseReason.choices)


class FunnelForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    date_to = forms.DateField(label=_("To"), widget=DateInput(), required=False)
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.none(), label=_("Programme"), required=False
    )
    route = forms.ChoiceField(
        label=_("Route"), choices=[("", _("All routes")), *Route.choices], required=False
    )
    by = forms.ChoiceField(label=_("Breakdown"), choices=BY_CHOICES, required=False)

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
