"""Incident pages for staff: start a report, the wizard, the incident and the person.

Every object is reached through the policy module; every write goes through
incidents.actions or cases.consent.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vigil import policy
from vigil.accounts.models import Membership
from vigil.incidents import actions, reads, wizard
from vigil.incidents.duplicates import possible_duplicates
from vigil.incidents.forms import QualifyForm, SourceForm, StartForm
from vigil.incidents.models import Act, Event, EventStatus, SourceChannel
from vigil.lib.requests import StaffRequest
from vigil.matching import hooks as matching_hooks
from vigil.policy import Perm

DRAFTS_SHOWN = 20


def _default_channel(membership: Membership) -> str:
    if policy.enters_hotline_calls(membership):
        return SourceChannel.HOTLINE
    return SourceChannel.OUTREACH


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.INCIDENT_EDIT)
def new(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    default = _default_channel(membership)
    form = StartForm(
        request.POST if request.method == "POST" else None, initial={"source_channel": default}
    )
    if request.method == "POST" and form.is_valid():
        organisation = membership.organisation
        created = actions.start_event(
            request.user,
            organisation,
            country=organisation.country,
            source_channel=form.cleaned_data["source_channel"] or default,
        )
        return redirect("incidents:wizard", pk=created.event.pk, step=wizard.SLUGS[0])
    return render(request, "incidents/new.html", {"form": form, "drafts": _my_drafts(request)})


def _my_drafts(request: StaffRequest) -> list[tuple[Event, str]]:
    """The member's unfinished reports, newest first, with their (sealed) titles."""
    drafts = (
        policy.events_for(request, Perm.INCIDENT_EDIT)
        .filter(status=EventStatus.DRAFT, created_by_id=request.user.pk)
        .order_by("-updated_at", "-pk")[:DRAFTS_SHOWN]
    )
    return [(event, reads.event_title(request, event)) for event in drafts]


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.INCIDENT_EDIT)
def wizard_step(request: StaffRequest, pk: int, step: str) -> HttpResponse:
    event = policy.get_event_for_user(request, pk, Perm.INCIDENT_EDIT)
    if step not in wizard.STEPS:
        raise Http404
    return wizard.dispatch(request, event, policy.data_key(request, event), step)


@require_http_methods(["GET"])
@policy.staff_view(Perm.INCIDENT_EDIT)
def resume(request: StaffRequest, pk: int) -> HttpResponse:
    """Continue where the member left off."""
    event = policy.get_event_for_user(request, pk, Perm.INCIDENT_EDIT)
    step = event.wizard_step if event.wizard_step in wizard.STEPS else wizard.SLUGS[0]
    return redirect("incidents:wizard", pk=event.pk, step=step)


@require_http_methods(["GET"])
@policy.staff_view(Perm.INCIDENT_VIEW)
def detail(request: StaffRequest, pk: int) -> HttpResponse:
    event = policy.get_event_for_user(request, pk)
    return _detail(request, event)


def _detail(
    request: StaffRequest,
    event: Event,
    *,
    source_form: SourceForm | None = None,
    qualify_form: QualifyForm | None = None,
) -> HttpResponse:
    membership = request.membership
    key = policy.data_key(request, event)
    record = wizard.load_record(request, event, key)
    can_edit = policy.can(membership, Perm.INCIDENT_EDIT)
    can_qualify = policy.can(membership, Perm.QUALIFY_VIOLATION)
    can_cases = policy.can(membership, Perm.CASE_VIEW)
    organisation_id = event.organisation_id
    context: dict[str, Any] = {
        "event": event,
        "record": record,
        "steps": list(wizard.STEPS.items()),
        "can_edit": can_edit,
        "can_qualify": can_qualify,
        "can_open_case": policy.can(membership, Perm.CASE_EDIT),
        "cases": _cases_of(request, event) if can_cases else None,
        "duplicate_hints": possible_duplicates(event, within=policy.events_for(request)),
        "urgent_report": event.submissions.filter(urgent=True).exists(),
        "her_reports": _her_reports(event),
        "source_form": source_form or SourceForm(organisation_id=organisation_id),
        "qualify_form": qualify_form
        or QualifyForm(
            organisation_id=organisation_id, initial={"status": event.violation_status_id}
        ),
    }
    return render(request, "incidents/detail.html", context)


def _her_reports(event: Event) -> list[Any]:
    """Reports merged into or accepted as this incident, with their message counts."""
    return list(
        event.submissions.annotate(
            total=Count("messages"),
            unread=Count(
                "messages",
                filter=Q(messages__author="reporter", messages__read_by_staff=False),
            ),
        ).order_by("pk")
    )


def _cases_of(request: StaffRequest, event: Event) -> list[Any]:
    return list(
        policy.cases_for(request)
        .filter(incidents=event)
        .select_related("client")
        .order_by("-opened_at")
    )


@require_POST
@policy.staff_view(Perm.QUALIFY_VIOLATION)
def qualify(request: StaffRequest, pk: int) -> HttpResponse:
    event = policy.get_event_for_user(request, pk, Perm.QUALIFY_VIOLATION)
    form = QualifyForm(request.POST, organisation_id=event.organisation_id)
    if not form.is_valid():
        return _detail(request, event, qualify_form=form)
    actions.qualify_violation(request.user, event, form.cleaned_data["status"])
    messages.success(request, _("Violation status saved."))
    matching_hooks.after_qualify(request, event)
    return redirect("incidents:detail", pk=event.pk)


@require_POST
@policy.staff_view(Perm.INCIDENT_EDIT)
def add_source(request: StaffRequest, pk: int) -> HttpResponse:
    event = policy.get_event_for_user(request, pk, Perm.INCIDENT_EDIT)
    form = SourceForm(request.POST, organisation_id=event.organisation_id)
    if not form.is_valid():
        return _detail(request, event, source_form=form)
    actions.add_source(
        request.user,
        event,
        policy.data_key(request, event),
        source_type=form.cleaned_data["source_type"],
        reliability=form.cleaned_data.get("reliability"),
        sealed=form.sealed_values(),
    )
    messages.success(request, _("Source added."))
    return redirect("incidents:detail", pk=event.pk)


@require_http_methods(["GET"])
@policy.staff_view(Perm.INCIDENT_VIEW)
def person(request: StaffRequest, pk: int) -> HttpResponse:
    membership = request.membership
    someone = policy.get_person_for_user(request, pk)
    values = reads.person_values(request, someone)
    acts = list(
        Act.objects.filter(victim=someone, event__in=policy.events_for(request))
        .select_related("event", "act_type", "status_at_end")
        .prefetch_related("methods", "consequences")
        .order_by("-event__start_date", "event_id", "pk")
    )
    titles: dict[int, str] = {}
    for act in acts:
        if act.event_id not in titles:
            titles[act.event_id] = reads.event_title(request, act.event)
    latest = wizard.latest_consents([someone]).get(someone.pk, {})
    context = {
        "person": someone,
        "values": values,
        "characteristics": list(someone.characteristics.all()),
        "acts": [(act, titles[act.event_id]) for act in acts],
        "consents": wizard.consent_rows(
            latest, wizard.share_consents([someone]).get(someone.pk, [])
        ),
        "cases": (
            list(policy.cases_for(request).filter(client=someone).order_by("-opened_at"))
            if policy.can(membership, Perm.CASE_VIEW)
            else None
        ),
    }
    return render(request, "incidents/person.html", context)
