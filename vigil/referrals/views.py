"""Referral worker pages: the queue, one referral and its steps, programmes.

Every object is reached through ``vigil.policy``; every write goes through
``referrals.actions``; sealed values are opened in ``referrals.reads``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil import policy
from vigil.accounts.models import User
from vigil.lib.views import GET_POST, acting_membership, acting_user, form_data
from vigil.policy import Perm
from vigil.referrals import actions, reads
from vigil.referrals.actions import StepError
from vigil.referrals.forms import (
    AdmissionForm,
    AssessmentForm,
    CaseReferralForm,
    CloseForm,
    FindPersonForm,
    HealthServiceForm,
    NewPersonForm,
    PoliceUnitForm,
    ProgrammeForm,
    RetentionForm,
    ServiceForm,
)
from vigil.referrals.models import Referral


def _to(referral: Referral) -> HttpResponse:
    return redirect("referrals:detail", pk=referral.pk)


# --- the queue ---------------------------------------------------------------------------


@require_GET
@policy.staff_view(Perm.REFERRAL_WORK)
def queue(request: HttpRequest) -> HttpResponse:
    rows = reads.queue(request)
    due = reads.follow_ups_due(policy.referrals_for(request), timezone.localdate())
    context = {**rows, "due": due.order_by("admitted_on", "pk")[:100], "form": FindPersonForm()}
    return render(request, "referrals/queue.html", context)


@require_POST
@policy.staff_view(Perm.REFERRAL_WORK)
def find_code(request: HttpRequest) -> HttpResponse:
    """The code from a client's card; POST so it never lands in a URL or log."""
    code = request.POST.get("code", "").strip().upper().replace(" ", "").replace("-", "")
    referral = policy.referrals_for(request).filter(code=code).first()
    if referral is None:
        messages.error(request, _("No referral with that code."))
        return redirect("referrals:queue")
    return _to(referral)


# --- one referral ------------------------------------------------------------------------


def _detail(
    request: HttpRequest, referral: Referral, status: int = 200, **forms: Any
) -> HttpResponse:
    sealed = reads.opened(request, referral)
    services = policy.health_services_for(request)
    context = {
        "referral": referral,
        "sealed": sealed,
        "waiting": reads.waiting_minutes(referral, timezone.now()),
        "assessment_form": forms.get("assessment_form")
        or AssessmentForm(initial={"needs": referral.needs, "notes": sealed.notes}),
        "find_form": forms.get("find_form") or FindPersonForm(),
        "new_person_form": forms.get("new_person_form") or NewPersonForm(),
        "matches": forms.get("matches"),
        "service_form": forms.get("service_form") or ServiceForm(services=services),
        "admission_form": forms.get("admission_form") or AdmissionForm(),
        "retention_form": forms.get("retention_form") or RetentionForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "follow_ups": [(day, referral.follow_up_due(day)) for day in (30, 90, 180)],
    }
    return render(request, "referrals/detail.html", context, status=status)


@require_GET
@policy.staff_view(Perm.REFERRAL_WORK)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, policy.get_referral_for_user(request, pk))


def _simple_step(request: HttpRequest, pk: int, step: Any, done: str) -> HttpResponse:
    referral = policy.get_referral_for_user(request, pk)
    try:
        step(acting_user=acting_user(request), referral=referral)
    except StepError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return _to(referral)


@require_POST
@policy.staff_view(Perm.REFERRAL_WORK)
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_step(request, pk, actions.claim, _("You took this referral."))


@require_POST
@policy.staff_view(Perm.REFERRAL_WORK)
def arrival(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_step(request, pk, actions.record_arrival, _("Arrival recorded."))


@require_POST
@policy.staff_view(Perm.REFERRAL_WORK)
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_step(request, pk, actions.record_contact, _("First contact recorded."))


@require_POST
@policy.staff_view(Perm.REFERRAL_WORK)
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    referral = policy.get_referral_for_user(request, pk)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, assessment_form=form)
    try:
        actions.record_assessment(
            acting_user=acting_user(request),
            referral=referral,
            key=reads.data_key(request, referral),
            needs=form.cleaned_data["needs"],
            notes=form.cleaned_data["notes"],
        )
    except StepError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Assessment saved."))
    return _to(referral)


@require_POST
@policy.staff_view(Perm.REFERRAL_WORK)
def find_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Exact name or phone through the blind indexes; the query is never stored or logged."""
    referral = policy.get_referral_for_user(request, pk)
    form = FindPersonForm(request.POST)
    matches = reads.find_people(request, form.cleaned_data["q"]) if form.is_valid() else None
    return _detail(request, referral, find_form=form, matches=matches)


@require_POST
@policy.staff_view(Perm.REFERRAL_WORK)
def link_person(request: HttpRequest, pk: int) -> HttpResponse:
    referral = policy.get_referral_for_user(request, pk)
    person_pk = request.POST.get("person", "")
    person = reads.get_person(request, int(person_pk)) if person_pk.isdigit() else None
    if person is None:
        raise Http404
    actions.link_person(
        acting_user=acting_user(request),
        referral=referral,
        key=reads.data_key(request, referral),
        person=person,
    )
    messages.success(request, _("Referral linked to %(name)s.") % {"name": person.pseudonym})
    return _to(referral)


@require_POST
@policy.staff_view(Perm.REFERRAL_WORK)
def new_person(request: HttpRequest, pk: int) -> HttpResponse:
    referral = policy.get_referral_for_user(request, pk)
    form = NewPersonForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, new_person_form=form)
    person = actions.create_and_link_person(
        acting_user=acting_user(request),
        referral=referral,
        key=reads.data_key(request, referral),
        index_key=policy.referral_index_key(request),
        **form.cleaned_data,
    )
    messages.success(request, _("Referral linked to %(name)s.") % {"name": person.pseudonym})
    return _to(referral)


@require_POST
@policy.staff_view(Perm.REFERRAL_WORK)
def open_case(request: HttpRequest, pk: int) -> HttpResponse:
    referral = policy.get_referral_for_user(request, pk)
    sealed = reads.opened(request, referral)
    if sealed.person is None or sealed.key is None:
        messages.error(request, _("Link the referral to a person first."))
        return _to(referral)
    if sealed.case is not None:
        messages.error(request, _("A case is already open for this referral."))
        return _to(referral)
    case = actions.open_case(
        acting_user=acting_user(request), referral=referral, key=sealed.key, person=sealed.person
    )
    messages.success(request, _("Case %(code)s opened for the case team.") % {"code": case.code})
    return _to(referral)


@require_POST
@policy.staff_view(Perm.REFERRAL_WORK)
def service(request: HttpRequest, pk: int) -> HttpResponse:
    referral = policy.get_referral_for_user(request, pk)
    form = ServiceForm(request.POST, services=policy.health_services_for(request))
    if not form.is_valid():
        return _detail(request, referral, service_form=form)
    actions.refer_to_service(
        acting_user=acting_user(request),
        referral=referral,
        service=form.cleaned_data["service"],
        on=form.cleaned_data["on"],
    )
    messages.success(request, _("Referral to the service recorded."))
    return _to(referral)


@require_POST
@policy.staff_view(Perm.REFERRAL_WORK)
def admission(request: HttpRequest, pk: int) -> HttpResponse:
    referral = policy.get_referral_for_user(request, pk)
    form = AdmissionForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, admission_form=form)
    try:
        actions.record_admission(
            acting_user=acting_user(request), referral=referral, on=form.cleaned_data["on"]
        )
    except StepError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Admission recorded."))
    return _to(referral)


@require_POST
@policy.staff_view(Perm.REFERRAL_WORK)
def retention(request: HttpRequest, pk: int) -> HttpResponse:
    referral = policy.get_referral_for_user(request, pk)
    form = RetentionForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, retention_form=form)
    try:
        actions.record_retention(
            acting_user=acting_user(request), referral=referral, **form.cleaned_data
        )
    except StepError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Follow-up recorded."))
    return _to(referral)


@require_POST
@policy.staff_view(Perm.REFERRAL_WORK)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    referral = policy.get_referral_for_user(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, close_form=form)
    try:
        actions.close(
            acting_user=acting_user(request),
            referral=referral,
            reason=form.cleaned_data["reason"],
            on=timezone.localdate(),
        )
    except StepError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Referral closed."))
    return _to(referral)


# --- a referral started from a case ----------------------------------------------------------


@require_http_methods(GET_POST)
@policy.staff_view(Perm.CASE_EDIT)
def from_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk, Perm.CASE_EDIT)
    membership = acting_membership(request)
    programmes = policy.programmes_for(request, Perm.CASE_EDIT)
    form = CaseReferralForm(
        form_data(request), programmes=programmes, country=membership.organisation.country
    )
    if request.method == "POST" and form.is_valid():
        now = timezone.localtime()
        referral = actions.submit_referral(
            acting_user=acting_user(request),
            programme=form.cleaned_data["programme"],
            route=form.cleaned_data["route"],
            referred_on=now.date(),
            referred_hour=now.hour,
            region=form.cleaned_data["region"],
            district=form.cleaned_data["district"],
            reasons=[],
            contact_agreed=True,
            sealed={"person": case.client_id, "case": case.pk},
        )
        messages.success(
            request,
            _("Referral %(code)s sent to the referral workers.") % {"code": referral.code},
        )
        return redirect("cases:detail", pk=case.pk)
    return render(request, "referrals/from_case.html", {"case": case, "form": form})


# --- programmes (coordinator) ----------------------------------------------------------------


def _members(members: Any) -> Any:
    return User.objects.filter(pk__in=members.values("user_id")).order_by("username")


def _programme_form(request: HttpRequest, **kwargs: Any) -> ProgrammeForm:
    membership = acting_membership(request)
    return ProgrammeForm(
        form_data(request),
        country=membership.organisation.country,
        units=policy.police_units_for(request),
        services=policy.health_services_for(request, Perm.PROGRAMME_MANAGE),
        police=_members(policy.police_referrers(membership.organisation_id)),
        workers=_members(policy.referral_workers(membership.organisation_id)),
        **kwargs,
    )


@require_GET
@policy.staff_view(Perm.PROGRAMME_MANAGE)
def programmes(request: HttpRequest) -> HttpResponse:
    country = acting_membership(request).organisation.country
    context = {
        "programmes": policy.programmes_for(request).prefetch_related("police_units", "services"),
        "units": policy.police_units_for(request),
        "services": policy.health_services_for(request, Perm.PROGRAMME_MANAGE),
        "unit_form": PoliceUnitForm(country=country),
        "service_form": HealthServiceForm(country=country),
    }
    return render(request, "referrals/programmes.html", context)


def _save_programme(request: HttpRequest, form: ProgrammeForm, programme: Any) -> HttpResponse:
    data = dict(form.cleaned_data)
    units, services, referrers = (
        data.pop("police_units"),
        data.pop("services"),
        data.pop("referrers"),
    )
    actions.save_programme(
        acting_user=acting_user(request),
        organisation=acting_membership(request).organisation,
        programme=programme,
        fields=data,
        police_units=units,
        services=services,
        referrers=referrers,
    )
    messages.success(request, _("Programme saved."))
    return redirect("referrals:programmes")


@require_http_methods(GET_POST)
@policy.staff_view(Perm.PROGRAMME_MANAGE)
def programme_new(request: HttpRequest) -> HttpResponse:
    form = _programme_form(request)
    if request.method == "POST" and form.is_valid():
        return _save_programme(request, form, None)
    return render(request, "referrals/programme_form.html", {"form": form})


@require_http_methods(GET_POST)
@policy.staff_view(Perm.PROGRAMME_MANAGE)
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = policy.get_programme_for_user(request, pk)
    initial = {
        "name": programme.name,
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "eligibility": programme.eligibility,
        "routes": programme.routes,
        "region": programme.region,
        "police_units": list(programme.police_units.all()),
        "services": list(programme.services.all()),
        "referrers": list(programme.referrers.all()),
        "on_call": programme.on_call,
    }
    form = _programme_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _save_programme(request, form, programme)
    return render(request, "referrals/programme_form.html", {"form": form, "programme": programme})


@require_POST
@policy.staff_view(Perm.PROGRAMME_MANAGE)
def unit_add(request: HttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    form = PoliceUnitForm(request.POST, country=membership.organisation.country)
    if form.is_valid():
        actions.add_police_unit(
            acting_user=acting_user(request),
            organisation=membership.organisation,
            **form.cleaned_data,
        )
        messages.success(request, _("Police unit added."))
    else:
        messages.error(request, _("Give the unit a name."))
    return redirect("referrals:programmes")


@require_POST
@policy.staff_view(Perm.PROGRAMME_MANAGE)
def service_add(request: HttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    form = HealthServiceForm(request.POST, country=membership.organisation.country)
    if form.is_valid():
        actions.add_health_service(
            acting_user=acting_user(request),
            organisation=membership.organisation,
            **form.cleaned_data,
        )
        messages.success(request, _("Health service added."))
    else:
        messages.error(request, _("Give the service a name and a kind."))
    return redirect("referrals:programmes")
