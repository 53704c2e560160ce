"""Case pages: open a case, its page, status and closure, assessment, tasks,
notes, interventions, consent and the consent-guarded contact details; my work.

Every object is reached through ``vigil.policy``; every write goes through
``cases.actions`` / ``cases.consent`` / ``cases.services`` (transaction + audit).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vigil import policy
from vigil.cases import actions, consent, reads, services, transitions, views_conversation
from vigil.cases.forms import (
    AssessmentForm,
    AssignForm,
    ClosureForm,
    ConsentForm,
    ConsentLevelForm,
    InterventionForm,
    NoteForm,
    OpenCaseForm,
    OverrideForm,
    TaskForm,
)
from vigil.cases.models import Case, CaseStatus, ConsentPurpose, Task
from vigil.complaints import actions as complaint_actions
from vigil.complaints.agenda import my_deadlines
from vigil.intake import conversation
from vigil.lib.requests import StaffRequest
from vigil.lib.views import GET_POST, acting_membership, acting_user, form_data
from vigil.policy import Perm
from vigil.vault.crypto import CryptoError


def _to_case(case: Case) -> HttpResponse:
    return redirect("cases:detail", pk=case.pk)


def _form_page(
    request: StaffRequest, case: Case, form: Any, title: str, action: str, **extra: Any
) -> HttpResponse:
    context = {"case": case, "form": form, "title": title, "action": action, **extra}
    return render(request, "cases/form_page.html", context)


# --- opening a case --------------------------------------------------------------


def _event_pk(request: StaffRequest) -> int:
    try:
        return int(request.GET.get("event", ""))
    except ValueError as exc:
        raise Http404 from exc


@require_http_methods(GET_POST)
@policy.staff_view(Perm.CASE_EDIT)
def open_case(request: StaffRequest) -> HttpResponse:
    event = policy.get_event_for_user(request, _event_pk(request), Perm.CASE_EDIT)
    victims = (
        policy.people_for(request, Perm.CASE_EDIT)
        .filter(acts__event=event)
        .distinct()
        .order_by("pseudonym", "pk")
    )
    team = services.case_team(event.organisation_id)
    initial: dict[str, Any] = {"assignees": [request.user.pk]}
    only = list(victims[:2])
    if len(only) == 1:
        initial["client"] = only[0].pk
    form = OpenCaseForm(form_data(request), victims=victims, team=team, initial=initial)
    if request.method == "POST" and form.is_valid():
        new = actions.open_case(
            acting_user(request),
            form.cleaned_data["client"],
            incidents=[event],
            assignees=form.cleaned_data["assignees"],
        )
        messages.success(request, _("Case %(code)s opened.") % {"code": new.case.code})
        return _to_case(new.case)
    existing = (
        policy.cases_for(request, Perm.CASE_EDIT)
        .filter(incidents=event)
        .select_related("client")
        .order_by("number")
    )
    context = {
        "event": event,
        "event_title": reads.event_title(request, event),
        "form": form,
        "has_victims": bool(only),
        "existing": existing,
    }
    return render(request, "cases/open.html", context)


# --- the case page ---------------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    task: Task
    title: str
    overdue: bool
    due_today: bool


def _task_rows(tasks: Any, key: bytes, today: datetime.date) -> list[TaskRow]:
    rows = []
    for task in tasks:
        open_ = task.done_at is None and task.due_date is not None
        rows.append(
            TaskRow(
                task=task,
                title=reads.task_title(key, task),
                overdue=open_ and task.due_date < today,
                due_today=open_ and task.due_date == today,
            )
        )
    return rows


def next_statuses(case: Case) -> list[tuple[str, str]]:
    """The plain moves offered as buttons. Closing and reopening have their own steps."""
    if case.status == CaseStatus.CLOSED:
        return []
    allowed = transitions.TRANSITIONS.get(case.status, frozenset())
    return [(value, str(label)) for value, label in CaseStatus.choices if value in allowed]


def _closure_answers(case: Case) -> list[tuple[str, bool]]:
    """Each checklist item with whether the closure request confirmed it."""
    if case.closure_requested_at is None:
        return []
    return [
        (str(label), bool(case.closure_checklist.get(key)))
        for key, label in transitions.CLOSURE_CHECKLIST
    ]


def _detail_context(request: StaffRequest, case: Case, key: bytes) -> dict[str, Any]:
    today = timezone.localdate()
    sealed = reads.assessment(key, case)
    tasks = case.tasks.select_related("assignee").order_by(
        F("done_at").asc(nulls_first=True), F("due_date").asc(nulls_last=True), "pk"
    )
    notes = case.notes.select_related("author")
    interventions = case.interventions.select_related(
        "intervention_type", "authority_response", "outcome", "by"
    )
    overrides = case.overrides.select_related("coordinator").order_by("-at", "-pk")
    incidents = list(case.incidents.order_by("number"))
    team = services.case_team(case.organisation_id)
    task_rows = _task_rows(tasks, key, today)
    open_task_count = sum(1 for row in task_rows if row.task.done_at is None)
    answers = _closure_answers(case)
    return {
        "case": case,
        "needs_notes": sealed.get("needs_notes", ""),
        "plan": sealed.get("plan", ""),
        "needs": list(case.needs.all()),
        "history": list(case.history.select_related("by")),
        "incidents": [(e, reads.event_title(request, e)) for e in incidents],
        "assignees": list(case.assignees.order_by("username")),
        "tasks": task_rows,
        "notes": reads.texts(key, notes),
        "interventions": reads.texts(key, interventions),
        "overrides": reads.texts(key, overrides, "sealed_reason"),
        "consents": services.consent_summary(case.client),
        "next_statuses": next_statuses(case),
        "closable": case.status in transitions.CLOSABLE,
        "can_approve": policy.can(acting_membership(request), Perm.APPROVE_CLOSURE),
        "closure_answers": answers,
        "urgent_report": case.submissions.filter(urgent=True).exists(),
        "open_task_count": open_task_count,
        "closure_blocked": bool(open_task_count) or not all(ok for _label, ok in answers),
        "note_form": NoteForm(),
        "task_form": TaskForm(team=team),
    }


@policy.staff_view(Perm.CASE_VIEW)
def detail(request: StaffRequest, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk)
    key = policy.data_key(request, case)
    context = _detail_context(request, case, key)
    context.update(views_conversation.panel(request, case))
    return render(request, "cases/detail.html", context)


# --- status and closure ----------------------------------------------------------


def _refusal(case: Case, to_status: str) -> str:
    if to_status == CaseStatus.CLOSED:
        return _(
            "A case is closed by asking for closure with the checklist; "
            "a coordinator then approves it."
        )
    if case.status == CaseStatus.CLOSED:
        return _("This case is closed. Only a coordinator can reopen it.")
    if to_status not in CaseStatus.values:
        return _("Choose one of the statuses offered on the case page.")
    return _("A case that is “%(current)s” cannot move to “%(target)s”.") % {
        "current": case.get_status_display(),
        "target": CaseStatus(to_status).label,
    }


@require_POST
@policy.staff_view(Perm.CASE_EDIT)
def transition(request: StaffRequest, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk, Perm.CASE_EDIT)
    to_status = request.POST.get("to", "")
    if to_status not in dict(next_statuses(case)):
        messages.error(request, _refusal(case, to_status))
        return _to_case(case)
    try:
        actions.transition(acting_user(request), case, to_status)
    except actions.TransitionError:
        # Someone else moved the case between the page load and this post.
        case.refresh_from_db(fields=["status"])
        messages.error(request, _refusal(case, to_status))
    else:
        messages.success(
            request, _("Status changed to “%(status)s”.") % {"status": CaseStatus(to_status).label}
        )
    return _to_case(case)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.CASE_EDIT)
def closure(request: StaffRequest, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk, Perm.CASE_EDIT)
    closable = case.status in transitions.CLOSABLE
    form = ClosureForm(form_data(request), organisation_id=case.organisation_id)
    if request.method == "POST":
        if not closable:
            messages.error(
                request,
                _("A case that is “%(status)s” cannot be closed.")
                % {"status": case.get_status_display()},
            )
            return _to_case(case)
        if form.is_valid():
            try:
                actions.request_closure(
                    acting_user(request), case, form.checklist(), form.cleaned_data["outcome"]
                )
            except actions.TransitionError:
                form.add_error(None, _("Confirm every item of the checklist."))
            else:
                messages.success(request, _("Closure requested. A coordinator will review it."))
                return _to_case(case)
    context = {"case": case, "form": form, "closable": closable}
    return render(request, "cases/closure.html", context)


def _awaiting_approval(case: Case) -> bool:
    return (
        case.closure_requested_at is not None
        and case.status != CaseStatus.CLOSED
        and case.status in transitions.CLOSABLE
    )


@require_POST
@policy.staff_view(Perm.APPROVE_CLOSURE)
def approve_closure(request: StaffRequest, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk, Perm.APPROVE_CLOSURE)
    if not _awaiting_approval(case):
        messages.error(request, _("Closure of this case has not been requested."))
        return _to_case(case)
    try:
        actions.approve_closure(acting_user(request), acting_membership(request), case)
    except PermissionError as exc:
        raise PermissionDenied from exc
    except actions.ClosureBlocked:
        messages.error(
            request,
            _(
                "The case cannot be closed yet: finish or cancel its open tasks and make "
                "sure every checklist item is answered, or reject the request."
            ),
        )
        return _to_case(case)
    messages.success(request, _("Case closed."))
    return _to_case(case)


@require_POST
@policy.staff_view(Perm.APPROVE_CLOSURE)
def reject_closure(request: StaffRequest, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk, Perm.APPROVE_CLOSURE)
    if not _awaiting_approval(case):
        messages.error(request, _("Closure of this case has not been requested."))
        return _to_case(case)
    actions.reject_closure(acting_user(request), case)
    messages.success(request, _("Closure rejected; the case stays open."))
    return _to_case(case)


@require_POST
@policy.staff_view(Perm.APPROVE_CLOSURE)
def reopen(request: StaffRequest, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk, Perm.APPROVE_CLOSURE)
    try:
        actions.reopen(acting_user(request), case)
    except actions.TransitionError:
        messages.error(request, _("Only a closed case can be reopened."))
    else:
        messages.success(request, _("Case reopened."))
    return _to_case(case)


# --- team, assessment, tasks, notes, interventions ----------------------------------


@require_http_methods(GET_POST)
@policy.staff_view(Perm.CASE_EDIT)
def assign(request: StaffRequest, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk, Perm.CASE_EDIT)
    team = services.case_team(case.organisation_id)
    initial = {"assignees": list(case.assignees.values_list("pk", flat=True))}
    form = AssignForm(form_data(request), team=team, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.assign(acting_user(request), case, form.cleaned_data["assignees"])
        messages.success(request, _("Assignment saved."))
        return _to_case(case)
    return _form_page(request, case, form, _("Who works on this case"), "cases:assign")


@require_http_methods(GET_POST)
@policy.staff_view(Perm.CASE_EDIT)
def assessment(request: StaffRequest, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk, Perm.CASE_EDIT)
    key = policy.data_key(request, case)
    sealed = reads.assessment(key, case)
    initial = {
        "needs": list(case.needs.values_list("pk", flat=True)),
        "needs_notes": sealed.get("needs_notes", ""),
        "plan": sealed.get("plan", ""),
    }
    form = AssessmentForm(form_data(request), organisation_id=case.organisation_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.set_assessment(
            acting_user(request),
            case,
            key,
            needs=form.cleaned_data["needs"],
            needs_notes=form.cleaned_data["needs_notes"],
            plan=form.cleaned_data["plan"],
        )
        messages.success(request, _("Needs assessment and plan saved."))
        return _to_case(case)
    return _form_page(request, case, form, _("Needs and plan"), "cases:assessment")


@require_http_methods(GET_POST)
@policy.staff_view(Perm.CASE_EDIT)
def add_task(request: StaffRequest, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk, Perm.CASE_EDIT)
    form = TaskForm(form_data(request), team=services.case_team(case.organisation_id))
    if request.method == "POST" and form.is_valid():
        actions.add_task(
            acting_user(request),
            case,
            policy.data_key(request, case),
            title=form.cleaned_data["title"],
            due_date=form.cleaned_data["due_date"],
            assignee=form.cleaned_data["assignee"],
        )
        messages.success(request, _("Task added."))
        return _to_case(case)
    return _form_page(request, case, form, _("Add a task"), "cases:add_task")


def _safe_next(request: StaffRequest) -> str | None:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else None


@require_POST
@policy.staff_view(Perm.CASE_EDIT)
def task_done(request: StaffRequest, pk: int) -> HttpResponse:
    tasks = Task.objects.filter(case__in=policy.cases_for(request, Perm.CASE_EDIT))
    task = tasks.select_related("case__organisation").filter(pk=pk).first()
    if task is None:
        raise Http404
    if task.done_at is None:
        actions.complete_task(acting_user(request), task)
        messages.success(request, _("Task marked as done."))
    else:
        messages.info(request, _("This task was already done."))
    return redirect(_safe_next(request) or reverse("cases:detail", kwargs={"pk": task.case_id}))


@require_http_methods(GET_POST)
@policy.staff_view(Perm.CASE_EDIT)
def add_note(request: StaffRequest, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk, Perm.CASE_EDIT)
    form = NoteForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        actions.add_note(
            acting_user(request), case, policy.data_key(request, case), form.cleaned_data["body"]
        )
        messages.success(request, _("Note added."))
        return _to_case(case)
    return _form_page(request, case, form, _("Add a note"), "cases:add_note")


@require_http_methods(GET_POST)
@policy.staff_view(Perm.CASE_EDIT)
def add_intervention(request: StaffRequest, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk, Perm.CASE_EDIT)
    form = InterventionForm(form_data(request), organisation_id=case.organisation_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_intervention(
            acting_user(request),
            case,
            policy.data_key(request, case),
            intervention_type=data["intervention_type"],
            date=data["date"],
            authority_response=data["authority_response"],
            outcome=data["outcome"],
            details=data["details"],
        )
        messages.success(request, _("Response recorded."))
        return _to_case(case)
    return _form_page(request, case, form, _("Record a response"), "cases:add_intervention")


# --- consent and contact details ----------------------------------------------------


@require_http_methods(GET_POST)
@policy.staff_view(Perm.CASE_VIEW)
def consent_page(request: StaffRequest, pk: int) -> HttpResponse:
    perm = Perm.CASE_EDIT if request.method == "POST" else Perm.CASE_VIEW
    case = policy.get_case_for_user(request, pk, perm)
    if request.method == "POST" and "consent_level" in request.POST:
        return _record_level(request, case)
    form = ConsentForm(form_data(request), organisation_id=case.organisation_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["purpose"] == ConsentPurpose.SHARE_IDENTIFIED:
            complaint_actions.record_body_consent(
                acting_user(request),
                case.client,
                form.granted,
                body=data["body"],
                new_name=data["new_body"],
            )
        else:
            consent.record_consent(acting_user(request), case.client, data["purpose"], form.granted)
        messages.success(request, _("Her decision has been recorded."))
        return redirect("cases:consent", pk=case.pk)
    context = {
        "case": case,
        "form": form,
        "consents": services.consent_summary(case.client),
        "level_form": ConsentLevelForm(initial={"consent_level": consent.level_of(case.client)}),
    }
    return render(request, "cases/consent.html", context)


def _record_level(request: StaffRequest, case: Case) -> HttpResponse:
    form = ConsentLevelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the levels."))
    else:
        consent.record_level(acting_user(request), case.client, form.cleaned_data["consent_level"])
        messages.success(request, _("Her decision has been recorded."))
    return redirect("cases:consent", pk=case.pk)


def _contact_basis(request: StaffRequest, case: Case, may_override: bool) -> str | None:
    """Why the details may be shown now ("consent" or "override"), or None."""
    try:
        consent.require(case.client, ConsentPurpose.FOLLOW_UP)
    except consent.ConsentMissing:
        if may_override and services.has_recent_override(case, acting_user(request)):
            return "override"
        return None
    return "consent"


@require_http_methods(GET_POST)
@policy.staff_view(Perm.CASE_VIEW)
def contact(request: StaffRequest, pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk)
    may_override = policy.can(acting_membership(request), Perm.OVERRIDE_CONSENT)
    if request.method == "POST" and not may_override:
        raise PermissionDenied
    basis = _contact_basis(request, case, may_override)
    if request.method == "POST" and basis is not None:
        return redirect("cases:contact", pk=case.pk)  # nothing to override
    form = OverrideForm(form_data(request)) if may_override and basis is None else None
    if request.method == "POST" and form is not None and form.is_valid():
        services.override_contact(
            acting_user(request),
            acting_membership(request),
            case,
            policy.data_key(request, case),
            form.cleaned_data["reason"],
        )
        messages.warning(request, _("Override recorded. It is listed on the case page."))
        return redirect("cases:contact", pk=case.pk)
    details = None
    if basis is not None:
        details = reads.contact_details(request, case.client)
        services.reveal_contact(acting_user(request), case, basis=basis)
    context = {
        "case": case,
        "basis": basis,
        "details": details,
        "form": form,
        "latest": consent.current(case.client, ConsentPurpose.FOLLOW_UP),
    }
    return render(request, "cases/contact.html", context)


# --- my work ----------------------------------------------------------------------

MY_WORK_LIMIT = 200


def _titled_tasks(request: StaffRequest, tasks: list[Task], today: datetime.date) -> list[TaskRow]:
    """Open each case's data key once, however many of its tasks are listed."""
    keys: dict[int, bytes] = {}
    rows = []
    for task in tasks:
        if task.case_id not in keys:
            keys[task.case_id] = _case_key(request, task.case)
        rows.extend(_task_rows([task], keys[task.case_id], today))
    return rows


def _case_key(request: StaffRequest, case: Case) -> bytes:
    """The case's data key; a shredded case's tasks are listed without titles."""
    try:
        return policy.data_key(request, case)
    except CryptoError:
        return b""


@policy.staff_view(Perm.MY_WORK)
def my_work(request: StaffRequest) -> HttpResponse:
    user = acting_user(request)
    cases = policy.cases_for(request, Perm.MY_WORK)
    my_cases = (
        cases.filter(assignees=user)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("client")
        .order_by("-updated_at")[:MY_WORK_LIMIT]
    )
    tasks = (
        # Her open tasks first, then a check per task that its case is in scope:
        # "case__in=cases" would list every case of the organisation.
        Task.objects.filter(assignee=user, done_at__isnull=True)
        .filter(Exists(cases.filter(pk=OuterRef("case_id"))))
        .select_related("case", "case__client")
        .order_by(F("due_date").asc(nulls_last=True), "pk")[:MY_WORK_LIMIT]
    )
    awaiting = None
    if policy.can(acting_membership(request), Perm.APPROVE_CLOSURE):
        awaiting = (
            cases.filter(closure_requested_at__isnull=False, status__in=transitions.CLOSABLE)
            .select_related("client", "closure_requested_by")
            .order_by("closure_requested_at")[:MY_WORK_LIMIT]
        )
    open_cases = list(my_cases)
    unread = conversation.unread_by_case([case.pk for case in open_cases])
    context = {
        "my_cases": [(case, unread.get(case.pk, 0)) for case in open_cases],
        "unread_total": sum(unread.values()),
        "tasks": _titled_tasks(request, list(tasks), timezone.localdate()),
        "awaiting": awaiting,
        "legal_deadlines": my_deadlines(request),
    }
    return render(request, "cases/my_work.html", context)
