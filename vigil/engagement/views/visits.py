"""Monitoring visits to places of detention: checklist findings, allegations heard and
recommendations followed up with the authority."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vigil import policy
from vigil.complaints.access import bodies_for
from vigil.engagement import actions, reads, transitions
from vigil.engagement.forms import (
    AllegationForm,
    FindingsForm,
    MoveForm,
    RecommendationForm,
    VisitForm,
)
from vigil.engagement.models import (
    THEME_LIST,
    Allegation,
    Recommendation,
    RecommendationStatus,
    Visit,
)
from vigil.engagement.views.common import (
    GET_POST,
    acting_membership,
    acting_user,
    form_data,
    form_page,
)
from vigil.incidents import regions
from vigil.policy import Perm
from vigil.vocab.models import Term


def _themes(request: HttpRequest) -> Any:
    return Term.objects.of(THEME_LIST, acting_membership(request).organisation_id)


def _form(request: HttpRequest, visit: Visit | None = None, **kwargs: Any) -> VisitForm:
    organisation = acting_membership(request).organisation
    visits = policy.visits_for(request)
    if visit is not None:
        visits = visits.exclude(pk=visit.pk)
    return VisitForm(
        form_data(request),
        country=organisation.country,
        visits=visits,
        partners=policy.partners_for(request, Perm.ENGAGEMENT_MANAGE).select_related("body"),
        staff=policy.engagement_staff(organisation.pk),
        **kwargs,
    )


def _data(form: VisitForm) -> actions.VisitData:
    data = form.cleaned_data
    return actions.VisitData(
        facility_type=data["facility_type"],
        region=data["region"],
        date=data["date"],
        follow_up_of=data["follow_up_of"],
        partner=data["partner"],
        team=[m.user for m in data["team"]],
        sealed={"facility": data["facility"], "notes": data["notes"]},
    )


@policy.staff_view(Perm.DETENTION_MONITORING)
def visit_list(request: HttpRequest) -> HttpResponse:
    visits = policy.visits_for(request).order_by("-date", "-pk")[:200]
    context = {"visits": [(v, reads.opened(request, v)) for v in visits]}
    return render(request, "engagement/visit_list.html", context)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.DETENTION_MONITORING)
def visit_create(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        visit = actions.create_visit(
            acting_user=acting_user(request),
            organisation=acting_membership(request).organisation,
            data=_data(form),
        ).visit
        messages.success(request, _("Visit %(code)s recorded.") % {"code": visit.code})
        return redirect("engagement:visit_detail", pk=visit.pk)
    return form_page(
        request, form, title=_("New monitoring visit"), back=reverse("engagement:visit_list")
    )


@require_http_methods(GET_POST)
@policy.staff_view(Perm.DETENTION_MONITORING)
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = policy.get_visit_for_user(request, pk)
    key = policy.data_key(request, visit)
    staff = policy.engagement_staff(visit.organisation_id)
    initial = {
        **reads.opened_with(key, visit.sealed),
        "facility_type": visit.facility_type,
        "region": visit.region,
        "date": visit.date,
        "follow_up_of": visit.follow_up_of,
        "partner": visit.partner,
        "team": list(staff.filter(user__in=visit.team.all())),
    }
    form = _form(request, visit, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_visit(
            acting_user=acting_user(request), visit=visit, key=key, data=_data(form)
        )
        messages.success(request, _("Visit saved."))
        return redirect("engagement:visit_detail", pk=visit.pk)
    back = reverse("engagement:visit_detail", args=[visit.pk])
    return form_page(request, form, title=_("Edit %(code)s") % {"code": visit.code}, back=back)


@policy.staff_view(Perm.DETENTION_MONITORING)
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit: Visit = policy.get_visit_for_user(request, pk)
    key = reads.visit_key(request, visit)
    recommendations = visit.recommendations.select_related("authority", "theme")
    context = {
        "visit": visit,
        "sealed": reads.opened_with(key, visit.sealed),
        "region_name": regions.name(visit.region) if visit.region else "",
        "team": visit.team.all(),
        "findings": reads.visit_rows(key, visit.findings.select_related("theme")),
        "allegations": reads.visit_rows(key, visit.allegations.select_related("event")),
        "recommendations": [
            (item, values, sorted(transitions.RECOMMENDATION[item.status]))
            for item, values in reads.visit_rows(key, recommendations)
        ],
        "status_labels": dict(RecommendationStatus.choices),
        "today": timezone.localdate(),
    }
    return render(request, "engagement/visit_detail.html", context)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.DETENTION_MONITORING)
def findings_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = policy.get_visit_for_user(request, pk)
    key = policy.data_key(request, visit)
    themes = list(_themes(request))
    initial: dict[str, Any] = {}
    for finding, values in reads.visit_rows(key, visit.findings.all()):
        initial[f"concern_{finding.theme_id}"] = finding.concern
        initial[f"notes_{finding.theme_id}"] = values.get("notes", "")
    form = FindingsForm(form_data(request), initial=initial, themes=themes)
    if request.method == "POST" and form.is_valid():
        actions.save_findings(
            acting_user=acting_user(request), visit=visit, key=key, findings=form.findings()
        )
        messages.success(request, _("Checklist saved."))
        return redirect("engagement:visit_detail", pk=visit.pk)
    back = reverse("engagement:visit_detail", args=[visit.pk])
    return form_page(
        request, form, title=_("Checklist of %(code)s") % {"code": visit.code}, back=back
    )


def _events(request: HttpRequest) -> Any:
    if not policy.engagement_may(request, Perm.INCIDENT_VIEW):
        return None
    return policy.events_for(request).order_by("-number")[:200]


@require_http_methods(GET_POST)
@policy.staff_view(Perm.DETENTION_MONITORING)
def allegation_create(request: HttpRequest, pk: int) -> HttpResponse:
    visit = policy.get_visit_for_user(request, pk)
    form = AllegationForm(form_data(request), events=None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_allegation(
            acting_user=acting_user(request),
            visit=visit,
            key=policy.data_key(request, visit),
            consent=data["consent"],
            summary=data["summary"],
        )
        messages.success(request, _("Allegation recorded."))
        return redirect("engagement:visit_detail", pk=visit.pk)
    back = reverse("engagement:visit_detail", args=[visit.pk])
    return form_page(request, form, title=_("Allegation heard"), back=back)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.DETENTION_MONITORING)
def allegation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    allegation: Allegation = policy.get_visit_item_for_user(request, Allegation, pk)
    visit = allegation.visit
    key = policy.data_key(request, visit)
    events = _events(request)
    if events is not None:
        events = policy.events_for(request).filter(
            Q(pk__in=[e.pk for e in events]) | Q(pk=allegation.event_id)
        )
    initial = {
        **reads.opened_with(key, allegation.sealed),
        "consent": allegation.consent,
        "event": allegation.event,
    }
    form = AllegationForm(form_data(request), initial=initial, events=events)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_allegation(
            acting_user=acting_user(request),
            allegation=allegation,
            key=key,
            consent=data["consent"],
            summary=data["summary"],
            event=data.get("event", allegation.event),
        )
        messages.success(request, _("Allegation saved."))
        return redirect("engagement:visit_detail", pk=visit.pk)
    back = reverse("engagement:visit_detail", args=[visit.pk])
    return form_page(request, form, title=_("Allegation heard"), back=back)


def _recommendation_form(request: HttpRequest, **kwargs: Any) -> RecommendationForm:
    return RecommendationForm(
        form_data(request),
        bodies=bodies_for(request, Perm.DIRECTORY_VIEW),
        themes=_themes(request),
        **kwargs,
    )


@require_http_methods(GET_POST)
@policy.staff_view(Perm.DETENTION_MONITORING)
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    visit = policy.get_visit_for_user(request, pk)
    form = _recommendation_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_recommendation(
            acting_user=acting_user(request),
            visit=visit,
            key=policy.data_key(request, visit),
            authority=data["authority"],
            theme=data["theme"],
            due_date=data["due_date"],
            text=data["text"],
        )
        messages.success(request, _("Recommendation recorded."))
        return redirect("engagement:visit_detail", pk=visit.pk)
    back = reverse("engagement:visit_detail", args=[visit.pk])
    return form_page(request, form, title=_("New recommendation"), back=back)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.DETENTION_MONITORING)
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item: Recommendation = policy.get_visit_item_for_user(request, Recommendation, pk)
    key = policy.data_key(request, item.visit)
    initial = {
        **reads.opened_with(key, item.sealed),
        "authority": item.authority,
        "theme": item.theme,
        "due_date": item.due_date,
    }
    form = _recommendation_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_recommendation(
            acting_user=acting_user(request),
            item=item,
            key=key,
            authority=data["authority"],
            theme=data["theme"],
            due_date=data["due_date"],
            text=data["text"],
        )
        messages.success(request, _("Recommendation saved."))
        return redirect("engagement:visit_detail", pk=item.visit_id)
    back = reverse("engagement:visit_detail", args=[item.visit_id])
    return form_page(request, form, title=_("Edit recommendation"), back=back)


@require_POST
@policy.staff_view(Perm.DETENTION_MONITORING)
def recommendation_move(request: HttpRequest, pk: int) -> HttpResponse:
    item: Recommendation = policy.get_visit_item_for_user(request, Recommendation, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    try:
        actions.move_recommendation(
            acting_user=acting_user(request),
            item=item,
            to_status=form.cleaned_data["to_status"],
            due_date=form.cleaned_data["due_date"],
        )
    except actions.TransitionError:
        return HttpResponseBadRequest()
    messages.success(request, _("Status changed."))
    return redirect("engagement:visit_detail", pk=item.visit_id)
