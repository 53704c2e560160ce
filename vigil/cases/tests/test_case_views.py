"""Case pages through HTTP: opening, the case page, team, assessment, tasks, notes,
responses, and "my work". Helpers here are shared by the other case tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vigil.accounts.models import User
from vigil.cases import actions as case_actions
from vigil.cases import transitions
from vigil.cases.models import Case, CaseStatus, Intervention, Note, StatusChange, Task
from vigil.conftest import World
from vigil.incidents import actions as incident_actions
from vigil.incidents.models import Event, Person
from vigil.vocab.models import Term


@dataclass
class Made:
    case: Case
    key: bytes
    event: Event
    client: Person


def make_case(
    world: World,
    *,
    role: str = "caseworker",
    other: bool = False,
    pseudonym: str = "Lilia",
    phone: str = "+380 67 123 45 67",
    address: str = "Kyiv, Sadova 12",
    assignees: list[User] | None = None,
) -> Made:
    persona = (world.others if other else world.people)[role]
    user, org = persona.user, persona.organisation
    event = incident_actions.start_event(user, org).event
    person = incident_actions.create_person(
        user, org, None, pseudonym=pseudonym, sealed={"phone": phone, "address": address}
    )
    act_type = Term.objects.filter(list="act_type")[0]
    assert act_type is not None
    incident_actions.add_act(user, event, victim=person, act_type=act_type)
    new = case_actions.open_case(user, person, [event], assignees or [user])
    return Made(new.case, new.key, event, person)


def add_tasks(made: Made, user: User, dues: list[datetime.date | None]) -> list[Task]:
    return [
        case_actions.add_task(
            user, made.case, made.key, title=f"task number {i}", due_date=due, assignee=user
        )
        for i, due in enumerate(dues)
    ]


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


# --- opening -------------------------------------------------------------------------


def test_it_opens_a_case_from_an_incident(world: World, signed_in) -> None:
    user = world["caseworker"].user
    event = incident_actions.start_event(user, world.org).event
    act_type = Term.objects.filter(list="act_type").order_by("pk")[0]
    victims = [
        incident_actions.create_person(user, world.org, None, pseudonym=name)
        for name in ("Olena", "Marta")
    ]
    for victim in victims:
        incident_actions.add_act(user, event, victim=victim, act_type=act_type)
    client = signed_in("caseworker")
    url = f"/cases/new/?event={event.pk}"

    page = client.get(url)
    assert page.status_code == 200
    assert "Olena" in page.content.decode() and "Marta" in page.content.decode()

    response = client.post(url, {"client": victims[1].pk, "assignees": [world["lawyer"].user.pk]})
    case = Case.objects.get(client=victims[1])
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert list(case.incidents.all()) == [event]
    assert list(case.assignees.all()) == [world["lawyer"].user]
    assert StatusChange.objects.filter(case=case, to_status=CaseStatus.NEW).count() == 1


def test_it_refuses_a_client_who_is_not_a_victim_of_the_incident(world: World, signed_in) -> None:
    made = make_case(world)
    stranger = incident_actions.create_person(
        world["caseworker"].user, world.org, None, pseudonym="Stranger"
    )
    client = signed_in("caseworker")
    response = client.post(
        f"/cases/new/?event={made.event.pk}",
        {"client": stranger.pk, "assignees": [world["caseworker"].user.pk]},
    )
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not Case.objects.filter(client=stranger).exists()


def test_it_refuses_assignees_outside_the_case_team(world: World, signed_in) -> None:
    made = make_case(world)
    client = signed_in("caseworker")
    for outsider in (world["analyst"].user, world.others["caseworker"].user):
        response = client.post(
            f"/cases/new/?event={made.event.pk}",
            {"client": made.client.pk, "assignees": [outsider.pk]},
        )
        assert response.status_code == 200
    assert Case.objects.filter(client=made.client).count() == 1


def test_it_hides_another_organisations_incident(world: World, signed_in) -> None:
    made = make_case(world, other=True)
    client = signed_in("coordinator")
    assert client.get(f"/cases/new/?event={made.event.pk}").status_code == 404
    assert client.get("/cases/new/?event=nonsense").status_code == 404


# --- the case page ---------------------------------------------------------------------


def test_it_shows_the_case_with_its_sealed_content(world: World, signed_in) -> None:
    made = make_case(world, pseudonym="Iryna")
    client = signed_in("caseworker")
    base = f"/cases/{made.case.pk}"
    intervention_type = Term.objects.get(code="INTV.COMPLAINT")
    response_term = Term.objects.get(code="RESP.NO_RESPONSE")
    need = Term.objects.get(code="NEED.LEGAL")

    assert (
        client.post(f"{base}/notes/", {"body": "She was stopped near the OST site"}).status_code
        == 302
    )
    assert (
        client.post(f"{base}/tasks/", {"title": "Call the prosecutor", "due_date": ""}).status_code
        == 302
    )
    posted = client.post(
        f"{base}/interventions/",
        {
            "intervention_type": intervention_type.pk,
            "date": today().isoformat(),
            "authority_response": response_term.pk,
            "details": "Complaint filed with internal affairs",
        },
    )
    assert posted.status_code == 302
    posted = client.post(
        f"{base}/assessment/",
        {"needs": [need.pk], "needs_notes": "Needs a lawyer urgently", "plan": "File a complaint"},
    )
    assert posted.status_code == 302

    page = client.get(f"{base}/").content.decode()
    for text in (
        "Iryna",
        "She was stopped near the OST site",
        "Call the prosecutor",
        "Complaint filed with internal affairs",
        "Needs a lawyer urgently",
        "File a complaint",
        intervention_type.label,
        response_term.label,
        need.label,
    ):
        assert text in page, text
    # Stored sealed, never in clear.
    note = Note.objects.get(case=made.case)
    assert b"OST site" not in bytes(note.sealed or b"")
    assert b"prosecutor" not in bytes(Task.objects.get(case=made.case).sealed or b"")
    assert b"internal affairs" not in bytes(Intervention.objects.get(case=made.case).sealed or b"")
    assert b"lawyer urgently" not in bytes(Case.objects.get(pk=made.case.pk).sealed or b"")


def test_it_shows_errors_beside_the_fields(world: World, signed_in) -> None:
    made = make_case(world)
    client = signed_in("caseworker")
    base = f"/cases/{made.case.pk}"
    response = client.post(f"{base}/notes/", {"body": ""})
    assert response.status_code == 200
    assert 'id="id_body-error"' in response.content.decode()
    future = days(3).isoformat()
    response = client.post(
        f"{base}/interventions/",
        {"intervention_type": Term.objects.get(code="INTV.OTHER").pk, "date": future},
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not Intervention.objects.exists()


def test_it_lists_open_tasks_first_and_highlights_overdue_ones(world: World, signed_in) -> None:
    made = make_case(world)
    user = world["caseworker"].user
    done, _overdue, _later = add_tasks(made, user, [days(-10), days(-2), days(5)])
    case_actions.complete_task(user, done)
    page = signed_in("caseworker").get(f"/cases/{made.case.pk}/").content.decode()
    assert page.index("task number 1") < page.index("task number 2") < page.index("task number 0")
    overdue_item = page[page.rindex("<li", 0, page.index("task number 1")) :]
    assert overdue_item.startswith('<li class="task overdue')
    later_item = page[page.rindex("<li", 0, page.index("task number 2")) :]
    assert "overdue" not in later_item[: later_item.index("</li>")]


def test_it_shows_the_case_page_in_constant_queries(world: World, signed_in) -> None:
    client = signed_in("caseworker")
    user = world["caseworker"].user

    def grow(made: Made, n: int) -> None:
        add_tasks(made, user, [days(i - n // 2) for i in range(n)])
        for i in range(n):
            case_actions.add_note(user, made.case, made.key, f"note {i}")
            case_actions.add_intervention(
                user,
                made.case,
                made.key,
                intervention_type=Term.objects.get(code="INTV.OTHER"),
                date=today(),
                details=f"details {i}",
            )

    def count(made: Made) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/cases/{made.case.pk}/").status_code == 200
        return len(queries)

    small, large = make_case(world), make_case(world, pseudonym="Other")
    grow(small, 2)
    grow(large, 12)
    count(small)  # warm caches (content types, session)
    assert count(small) == count(large)
    assert count(large) <= 30


def test_it_assigns_the_case_to_team_members_only(world: World, signed_in) -> None:
    made = make_case(world)
    client = signed_in("caseworker")
    url = f"/cases/{made.case.pk}/assign/"
    lawyer = world["lawyer"].user
    assert client.post(url, {"assignees": [lawyer.pk]}).status_code == 302
    assert list(made.case.assignees.all()) == [lawyer]
    assert client.post(url, {"assignees": [world["hotline"].user.pk]}).status_code == 200
    assert client.post(url, {}).status_code == 200
    assert list(made.case.assignees.all()) == [lawyer]


def test_it_marks_a_task_done(world: World, signed_in) -> None:
    made = make_case(world)
    (task,) = add_tasks(made, world["caseworker"].user, [days(1)])
    client = signed_in("lawyer")
    response = client.post(f"/tasks/{task.pk}/done/", {"next": "/my-work/"})
    assert response.status_code == 302 and response["Location"] == "/my-work/"
    task.refresh_from_db()
    assert task.done_at is not None
    response = client.post(f"/tasks/{task.pk}/done/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/cases/{made.case.pk}/"


def test_it_hides_another_organisations_task(world: World, signed_in) -> None:
    made = make_case(world, other=True)
    (task,) = add_tasks(made, world.others["caseworker"].user, [days(1)])
    assert signed_in("coordinator").post(f"/tasks/{task.pk}/done/").status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


# --- my work ----------------------------------------------------------------------


def test_it_lists_my_tasks_overdue_first_then_by_due_date(world: World, signed_in) -> None:
    me, colleague = world["caseworker"].user, world["lawyer"].user
    first, second = make_case(world), make_case(world, pseudonym="Second")
    add_tasks(first, me, [days(7), days(-1)])  # task number 0, 1
    case_actions.add_task(me, second.case, second.key, title="undated", due_date=None, assignee=me)
    case_actions.add_task(
        me, second.case, second.key, title="oldest", due_date=days(-9), assignee=me
    )
    case_actions.add_task(
        me, second.case, second.key, title="tomorrow", due_date=days(1), assignee=me
    )
    case_actions.add_task(
        me, second.case, second.key, title="not mine", due_date=days(-20), assignee=colleague
    )
    done = case_actions.add_task(
        me, second.case, second.key, title="finished", due_date=days(-30), assignee=me
    )
    case_actions.complete_task(me, done)

    page = signed_in("caseworker").get("/my-work/").content.decode()
    order = ["oldest", "task number 1", "tomorrow", "task number 0", "undated"]
    positions = [page.index(title) for title in order]
    assert positions == sorted(positions)
    assert "not mine" not in page and "finished" not in page
    assert 'class="task overdue' in page
    assert "Lilia" in page and "Second" in page


def test_it_shows_my_open_cases_and_closures_awaiting_approval(world: World, signed_in) -> None:
    mine = make_case(world, pseudonym="Mine")
    theirs = make_case(world, role="lawyer", pseudonym="Theirs")
    outcome = Term.objects.get(code="OUTC.RESOLVED_FULLY")
    lawyer = world["lawyer"].user
    case_actions.transition(lawyer, theirs.case, CaseStatus.TRIAGED)
    theirs.case.refresh_from_db()
    checklist = {key: True for key, _label in transitions.CLOSURE_CHECKLIST}
    case_actions.request_closure(lawyer, theirs.case, checklist, outcome)

    page = signed_in("caseworker").get("/my-work/").content.decode()
    assert "Mine" in page and "Theirs" not in page
    assert "awaiting your approval" not in page

    page = signed_in("coordinator").get("/my-work/").content.decode()
    assert "awaiting your approval" in page
    assert f"/cases/{theirs.case.pk}/" in page
    assert f"/cases/{mine.case.pk}/" not in page


def test_it_lists_my_work_in_constant_queries(world: World, signed_in) -> None:
    me = world["caseworker"].user
    client = signed_in("caseworker")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/my-work/").status_code == 200
        return len(queries)

    made = make_case(world)
    add_tasks(made, me, [days(i - 1) for i in range(3)])
    count()
    three = count()
    for n in range(4):
        other = make_case(world, pseudonym=f"P{n}")
        add_tasks(other, me, [days(i - 2) for i in range(3)])
    assert Task.objects.filter(assignee=me).count() == 15
    assert count() == three
