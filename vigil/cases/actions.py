"""Writes about cases. Each runs in a transaction and writes the audit log."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from vigil import policy
from vigil.accounts.models import Membership, User
from vigil.audit.log import record
from vigil.cases import transitions
from vigil.cases.models import Case, CaseStatus, Intervention, Note, StatusChange, Task
from vigil.incidents.models import Event, Person
from vigil.lib.numbering import next_number
from vigil.policy import Perm
from vigil.vault import sealing
from vigil.vocab.models import Term


class TransitionError(Exception):
    pass


class ClosureBlocked(TransitionError):
    """Closure cannot be approved yet: tasks are open or checklist items unanswered."""


@dataclass(frozen=True)
class NewCase:
    case: Case
    key: bytes


def open_case(
    acting_user: User,
    client: Person,
    incidents: Iterable[Event] = (),
    assignees: Iterable[User] = (),
) -> NewCase:
    organisation = client.organisation
    incidents = list(incidents)
    if any(e.organisation_id != organisation.pk for e in incidents):
        raise ValueError("incident of another organisation")
    with transaction.atomic():
        case = Case(organisation=organisation, client=client, opened_by=acting_user)
        key = case.ensure_data_key(organisation)
        case.number = next_number(Case, organisation.pk)
        case.sealed = sealing.seal_json(key, {})
        case.save()
        case.incidents.set(incidents)
        case.assignees.set(list(assignees) or [acting_user])
        StatusChange.objects.create(
            case=case, from_status="", to_status=CaseStatus.NEW, by=acting_user
        )
        record(
            acting_user,
            "case.open",
            organisation=organisation,
            target=case,
            incidents=len(incidents),
        )
    return NewCase(case, key)


def _move(acting_user: User, case: Case, to_status: str) -> None:
    old = case.status
    case.status = to_status
    case.closed_at = timezone.now() if to_status == CaseStatus.CLOSED else None
    case.save(update_fields=["status", "closed_at", "updated_at"])
    StatusChange.objects.create(case=case, from_status=old, to_status=to_status, by=acting_user)
    record(
        acting_user,
        "case.status",
        organisation=case.organisation,
        target=case,
        old=old,
        new=to_status,
    )


def transition(acting_user: User, case: Case, to_status: str) -> None:
    """A move in the table. Closing goes through request/approve instead."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not transitions.allowed(locked.status, to_status):
            raise TransitionError(f"{locked.status} -> {to_status} is not allowed")
        _move(acting_user, locked, to_status)
        case.status, case.closed_at = locked.status, locked.closed_at


def request_closure(
    acting_user: User, case: Case, checklist: dict[str, bool], outcome: Term
) -> None:
    if case.status not in transitions.CLOSABLE:
        raise TransitionError(f"a {case.status} case cannot be closed")
    if outcome.list != "case_outcome":
        raise ValueError("not an outcome term")
    missing = [key for key, _label in transitions.CLOSURE_CHECKLIST if not checklist.get(key)]
    if missing:
        raise TransitionError("checklist incomplete: " + ", ".join(missing))
    with transaction.atomic():
        case.closure_checklist = {key: True for key, _label in transitions.CLOSURE_CHECKLIST}
        case.closure_requested_by = acting_user
        case.closure_requested_at = timezone.now()
        case.outcome = outcome
        case.save(
            update_fields=[
                "closure_checklist",
                "closure_requested_by",
                "closure_requested_at",
                "outcome",
                "updated_at",
            ]
        )
        record(
            acting_user,
            "case.closure_request",
            organisation=case.organisation,
            target=case,
            outcome=outcome.code,
        )


def approve_closure(acting_user: User, acting_membership: Membership, case: Case) -> None:
    if not policy.can_in(acting_membership, Perm.APPROVE_CLOSURE, case.organisation_id):
        raise PermissionError("only a coordinator approves closure")
    if case.closure_requested_at is None:
        raise TransitionError("closure was not requested")
    with transaction.atomic():
        # Checked under the lock: a task added while the coordinator read the page counts.
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.tasks.filter(done_at__isnull=True).exists() or transitions.unanswered_checklist(
            locked.closure_checklist
        ):
            raise ClosureBlocked("open tasks or unanswered checklist items")
        _move(acting_user, case, CaseStatus.CLOSED)
        record(acting_user, "case.closure_approve", organisation=case.organisation, target=case)


def reject_closure(acting_user: User, case: Case) -> None:
    with transaction.atomic():
        case.closure_requested_at = None
        case.closure_requested_by = None
        case.save(update_fields=["closure_requested_at", "closure_requested_by", "updated_at"])
        record(acting_user, "case.closure_reject", organisation=case.organisation, target=case)


def reopen(acting_user: User, case: Case) -> None:
    with transaction.atomic():
        if case.status != CaseStatus.CLOSED:
            raise TransitionError("only a closed case can be reopened")
        case.closure_requested_at = None
        case.closure_requested_by = None
        case.save(update_fields=["closure_requested_at", "closure_requested_by"])
        _move(acting_user, case, CaseStatus.ACTIVE)


def assign(acting_user: User, case: Case, users: Iterable[User]) -> None:
    users = list(users)
    with transaction.atomic():
        case.assignees.set(users)
        record(
            acting_user,
            "case.assign",
            organisation=case.organisation,
            target=case,
            users=[u.pk for u in users],
        )


def set_assessment(
    acting_user: User, case: Case, key: bytes, *, needs: Iterable[Term], needs_notes: str, plan: str
) -> None:
    with transaction.atomic():
        data = sealing.open_json(key, case.sealed, {})
        data.update({"needs_notes": needs_notes.strip(), "plan": plan.strip()})
        case.sealed = sealing.seal_json(key, data)
        case.save(update_fields=["sealed", "updated_at"])
        case.needs.set(list(needs))
        record(acting_user, "case.assessment", organisation=case.organisation, target=case)


def add_task(
    acting_user: User,
    case: Case,
    key: bytes,
    *,
    title: str,
    due_date: datetime.date | None,
    assignee: User | None,
) -> Task:
    with transaction.atomic():
        task = Task.objects.create(
            case=case,
            sealed=sealing.seal_text(key, title.strip()),
            due_date=due_date,
            assignee=assignee or acting_user,
            created_by=acting_user,
        )
        record(
            acting_user,
            "task.add",
            organisation=case.organisation,
            target=task,
            due=str(due_date or ""),
        )
    return task


def complete_task(acting_user: User, task: Task) -> None:
    with transaction.atomic():
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        record(acting_user, "task.done", organisation=task.case.organisation, target=task)


def add_note(acting_user: User, case: Case, key: bytes, body: str) -> Note:
    with transaction.atomic():
        note = Note.objects.create(
            case=case, author=acting_user, sealed=sealing.seal_text(key, body.strip())
        )
        case.save(update_fields=["updated_at"])
        record(acting_user, "note.add", organisation=case.organisation, target=note)
    return note


def add_intervention(
    acting_user: User,
    case: Case,
    key: bytes,
    *,
    intervention_type: Term,
    date: datetime.date,
    authority_response: Term | None = None,
    outcome: Term | None = None,
    details: str = "",
) -> Intervention:
    with transaction.atomic():
        row = Intervention.objects.create(
            case=case,
            intervention_type=intervention_type,
            date=date,
            by=acting_user,
            authority_response=authority_response,
            outcome=outcome,
            sealed=sealing.seal_text(key, details),
        )
        case.save(update_fields=["updated_at"])
        record(
            acting_user,
            "intervention.add",
            organisation=case.organisation,
            target=row,
            type=intervention_type.code,
        )
    return row
