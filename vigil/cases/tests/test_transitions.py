"""The status pipeline through HTTP: moves, refusals, closure request and approval, reopen."""

from __future__ import annotations

import re

from vigil.audit.models import AuditEvent
from vigil.cases import actions as case_actions
from vigil.cases import transitions
from vigil.cases.models import Case, CaseStatus, StatusChange
from vigil.cases.tests.test_case_views import Made, make_case
from vigil.conftest import World
from vigil.vocab.models import Term

FULL_CHECKLIST = {key: "on" for key, _label in transitions.CLOSURE_CHECKLIST}


def moved_to(made: Made) -> list[str]:
    return list(StatusChange.objects.filter(case=made.case).values_list("to_status", flat=True))


def status(made: Made) -> str:
    return Case.objects.get(pk=made.case.pk).status


def outcome() -> Term:
    return Term.objects.get(code="OUTC.RESOLVED_PARTIALLY")


def activate(world: World, made: Made) -> None:
    user = world["caseworker"].user
    case_actions.transition(user, made.case, CaseStatus.TRIAGED)
    case_actions.transition(user, made.case, CaseStatus.ACTIVE)
    made.case.refresh_from_db()


def request_closure(client, made: Made) -> None:
    response = client.post(
        f"/cases/{made.case.pk}/closure/", {**FULL_CHECKLIST, "outcome": outcome().pk}
    )
    assert response.status_code == 302


def test_it_moves_along_the_table_and_writes_history(world: World, signed_in) -> None:
    made = make_case(world)
    client = signed_in("caseworker")
    url = f"/cases/{made.case.pk}/status/"
    for target in (CaseStatus.TRIAGED, CaseStatus.ACTIVE, CaseStatus.MONITORING):
        response = client.post(url, {"to": target}, follow=True)
        assert "Status changed" in response.content.decode()
        assert status(made) == target
    assert moved_to(made) == ["new", "triaged", "active", "monitoring"]
    change = StatusChange.objects.filter(case=made.case).last()
    assert change is not None
    assert change.from_status == "active" and change.by == world["caseworker"].user
    assert AuditEvent.objects.filter(action="case.status", target_id=str(made.case.pk)).count() == 3


def test_it_refuses_a_move_outside_the_table_with_a_message(world: World, signed_in) -> None:
    made = make_case(world)
    client = signed_in("caseworker")
    url = f"/cases/{made.case.pk}/status/"
    response = client.post(url, {"to": CaseStatus.MONITORING}, follow=True)
    assert "cannot move to “Monitoring”" in response.content.decode()
    response = client.post(url, {"to": "nonsense"}, follow=True)
    assert "Choose one of the statuses" in response.content.decode()
    response = client.post(url, {"to": CaseStatus.CLOSED}, follow=True)
    assert "asking for closure" in response.content.decode()
    assert status(made) == CaseStatus.NEW
    assert moved_to(made) == ["new"]


def test_it_offers_only_the_allowed_next_statuses(world: World, signed_in) -> None:
    made = make_case(world)
    client = signed_in("caseworker")

    def offered() -> set[str]:
        page = client.get(f"/cases/{made.case.pk}/").content.decode()
        return set(re.findall(r'name="to" value="([a-z]+)"', page))

    assert offered() == {"triaged"}
    case_actions.transition(world["caseworker"].user, made.case, CaseStatus.TRIAGED)
    assert offered() == {"active", "new"}
    case_actions.transition(world["caseworker"].user, made.case, CaseStatus.ACTIVE)
    assert offered() == {"monitoring"}


def test_it_closes_only_through_request_and_coordinator_approval(world: World, signed_in) -> None:
    made = make_case(world)
    activate(world, made)
    caseworker = signed_in("caseworker")
    request_closure(caseworker, made)
    case = Case.objects.get(pk=made.case.pk)
    assert case.closure_requested_by == world["caseworker"].user
    assert case.outcome == outcome()
    assert case.status == CaseStatus.ACTIVE

    assert caseworker.post(f"/cases/{made.case.pk}/closure/approve/").status_code == 403
    assert status(made) == CaseStatus.ACTIVE

    coordinator = signed_in("coordinator")
    page = coordinator.get(f"/cases/{made.case.pk}/").content.decode()
    assert f"/cases/{made.case.pk}/closure/approve/" in page
    response = coordinator.post(f"/cases/{made.case.pk}/closure/approve/", follow=True)
    assert "Case closed." in response.content.decode()
    case = Case.objects.get(pk=made.case.pk)
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    assert moved_to(made)[-1] == "closed"
    assert AuditEvent.objects.filter(action="case.closure_approve").count() == 1
    # A closed case offers no plain moves and refuses them.
    page = coordinator.get(f"/cases/{made.case.pk}/").content.decode()
    assert 'name="to"' not in page
    response = coordinator.post(
        f"/cases/{made.case.pk}/status/", {"to": CaseStatus.ACTIVE}, follow=True
    )
    assert "Only a coordinator can reopen it" in response.content.decode()
    assert status(made) == CaseStatus.CLOSED


def test_it_refuses_closure_with_an_incomplete_checklist(world: World, signed_in) -> None:
    made = make_case(world)
    activate(world, made)
    client = signed_in("caseworker")
    partial = dict(FULL_CHECKLIST)
    partial.pop("evidence_stored")
    response = client.post(f"/cases/{made.case.pk}/closure/", {**partial, "outcome": outcome().pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_evidence_stored-error"' in page
    assert 'id="id_tasks_done-error"' not in page
    assert Case.objects.get(pk=made.case.pk).closure_requested_at is None

    response = client.post(f"/cases/{made.case.pk}/closure/", {})
    page = response.content.decode()
    for key, _label in transitions.CLOSURE_CHECKLIST:
        assert f'id="id_{key}-error"' in page
    assert "Choose the outcome" in page
    assert Case.objects.get(pk=made.case.pk).closure_requested_at is None


def test_it_refuses_closure_of_a_new_case(world: World, signed_in) -> None:
    made = make_case(world)
    client = signed_in("caseworker")
    response = client.post(
        f"/cases/{made.case.pk}/closure/", {**FULL_CHECKLIST, "outcome": outcome().pk}, follow=True
    )
    assert "cannot be closed" in response.content.decode()
    assert Case.objects.get(pk=made.case.pk).closure_requested_at is None


def test_it_refuses_approval_without_a_request(world: World, signed_in) -> None:
    made = make_case(world)
    activate(world, made)
    response = signed_in("coordinator").post(f"/cases/{made.case.pk}/closure/approve/", follow=True)
    assert "has not been requested" in response.content.decode()
    assert status(made) == CaseStatus.ACTIVE


def test_it_lets_a_coordinator_reject_a_closure(world: World, signed_in) -> None:
    made = make_case(world)
    activate(world, made)
    request_closure(signed_in("caseworker"), made)
    coordinator = signed_in("coordinator")
    assert signed_in("lawyer").post(f"/cases/{made.case.pk}/closure/reject/").status_code == 403
    response = coordinator.post(f"/cases/{made.case.pk}/closure/reject/", follow=True)
    assert "Closure rejected" in response.content.decode()
    case = Case.objects.get(pk=made.case.pk)
    assert case.status == CaseStatus.ACTIVE and case.closure_requested_at is None
    response = coordinator.post(f"/cases/{made.case.pk}/closure/approve/", follow=True)
    assert status(made) == CaseStatus.ACTIVE


def test_it_reopens_a_closed_case_for_a_coordinator_only(world: World, signed_in) -> None:
    made = make_case(world)
    activate(world, made)
    request_closure(signed_in("caseworker"), made)
    coordinator = signed_in("coordinator")
    coordinator.post(f"/cases/{made.case.pk}/closure/approve/")
    assert status(made) == CaseStatus.CLOSED

    assert signed_in("caseworker").post(f"/cases/{made.case.pk}/reopen/").status_code == 403
    assert status(made) == CaseStatus.CLOSED
    response = coordinator.post(f"/cases/{made.case.pk}/reopen/", follow=True)
    assert "Case reopened." in response.content.decode()
    case = Case.objects.get(pk=made.case.pk)
    assert case.status == CaseStatus.ACTIVE
    assert case.closure_requested_at is None and case.closed_at is None
    assert moved_to(made)[-2:] == ["closed", "active"]
    # Reopening an open case is refused with a message.
    response = coordinator.post(f"/cases/{made.case.pk}/reopen/", follow=True)
    assert "Only a closed case can be reopened." in response.content.decode()
    assert moved_to(made)[-1] == "active"


def test_it_refuses_to_approve_closure_while_a_task_is_open(world: World, signed_in) -> None:
    made = make_case(world)
    activate(world, made)
    request_closure(signed_in("caseworker"), made)
    # A task added after the request (or forgotten) keeps the case open.
    task = case_actions.add_task(
        world["caseworker"].user,
        made.case,
        made.key,
        title="Call back",
        due_date=None,
        assignee=None,
    )
    coordinator = signed_in("coordinator")
    page = coordinator.get(f"/cases/{made.case.pk}/").content.decode()
    assert "1 task is still open" in page
    assert f"/cases/{made.case.pk}/closure/approve/" not in page
    for _key, label in transitions.CLOSURE_CHECKLIST:
        assert f"Confirmed: {label}" in page
    response = coordinator.post(f"/cases/{made.case.pk}/closure/approve/", follow=True)
    assert "cannot be closed yet" in response.content.decode()
    assert status(made) == CaseStatus.ACTIVE
    assert not AuditEvent.objects.filter(action="case.closure_approve").exists()

    case_actions.complete_task(world["caseworker"].user, task)
    page = coordinator.get(f"/cases/{made.case.pk}/").content.decode()
    assert "still open" not in page
    coordinator.post(f"/cases/{made.case.pk}/closure/approve/")
    assert status(made) == CaseStatus.CLOSED


def test_it_refuses_to_approve_closure_with_an_unanswered_checklist_item(
    world: World, signed_in
) -> None:
    made = make_case(world)
    activate(world, made)
    request_closure(signed_in("caseworker"), made)
    # As if the item had been added to the checklist after the request was made.
    answers = {key: True for key, _label in transitions.CLOSURE_CHECKLIST}
    answers.pop("referrals_followed")
    Case.objects.filter(pk=made.case.pk).update(closure_checklist=answers)
    coordinator = signed_in("coordinator")
    page = coordinator.get(f"/cases/{made.case.pk}/").content.decode()
    label = dict(transitions.CLOSURE_CHECKLIST)["referrals_followed"]
    assert f"Not answered:</strong> {label}" in page
    assert f"/cases/{made.case.pk}/closure/approve/" not in page
    coordinator.post(f"/cases/{made.case.pk}/closure/approve/")
    assert status(made) == CaseStatus.ACTIVE
