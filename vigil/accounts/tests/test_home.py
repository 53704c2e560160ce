"""The home page per role: counts of what waits for her, never sensitive text."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from vigil.accounts.models import Organisation, User
from vigil.cases import actions as case_actions
from vigil.cases import transitions
from vigil.cases.models import Case
from vigil.conftest import World
from vigil.incidents import actions as incident_actions
from vigil.intake.models import Channel, Submission, SubmissionStatus
from vigil.vault.models import KeyGrant
from vigil.vocab.models import Term

PSEUDONYM = "Zhanar Home"
TASK_TITLE = "Call her lawyer Petrenko"


def open_case(world: World, org: Organisation, user: User) -> tuple[Case, bytes]:
    event = incident_actions.start_event(user, org).event
    person = incident_actions.create_person(user, org, None, pseudonym=PSEUDONYM)
    act_type = Term.objects.filter(list="act_type").first()
    assert act_type is not None
    incident_actions.add_act(user, event, victim=person, act_type=act_type)
    new = case_actions.open_case(user, person, [event], [user])
    return new.case, new.key


def figure(page: str, label: str) -> str:
    """The number shown before a label on the home page."""
    match = re.search(r"<strong>([^<]+)</strong> " + re.escape(label) + "</a>", page)
    assert match, label
    return match.group(1)


def test_it_shows_a_caseworker_her_inbox_tasks_and_cases(world: World, signed_in) -> None:
    caseworker = world["caseworker"].user
    case, key = open_case(world, world.org, caseworker)
    today = timezone.localdate()
    for due in (today - datetime.timedelta(days=2), today - datetime.timedelta(days=1), today):
        case_actions.add_task(
            caseworker, case, key, title=TASK_TITLE, due_date=due, assignee=caseworker
        )
    done = case_actions.add_task(
        caseworker,
        case,
        key,
        title=TASK_TITLE,
        due_date=today - datetime.timedelta(days=9),
        assignee=caseworker,
    )
    case_actions.complete_task(caseworker, done)
    for org in (world.org, world.org, world.other_org):
        Submission.objects.create(
            organisation=org, channel=Channel.WEB, status=SubmissionStatus.NEW
        )
    # Another organisation's case and overdue task never count.
    other_case, other_key = open_case(world, world.other_org, world.others["coordinator"].user)
    case_actions.add_task(
        world.others["coordinator"].user,
        other_case,
        other_key,
        title=TASK_TITLE,
        due_date=today - datetime.timedelta(days=3),
        assignee=caseworker,
    )

    page = signed_in("caseworker").get("/").content.decode()
    assert figure(page, "New reports in the inbox") == "2"
    assert figure(page, "My overdue tasks") == "2"
    assert figure(page, "My tasks due today") == "1"
    assert figure(page, "New") == "1"
    assert PSEUDONYM not in page and TASK_TITLE not in page
    assert "Legal actions" not in page and "Coordination" not in page


def test_it_shows_a_coordinator_closures_and_key_health(world: World, signed_in) -> None:
    coordinator = world["coordinator"].user
    case, _key = open_case(world, world.org, coordinator)
    case_actions.transition(coordinator, case, "triaged")
    case_actions.transition(coordinator, case, "active")
    outcome = Term.objects.get(code="OUTC.RESOLVED_PARTIALLY")
    checklist = {key: True for key, _label in transitions.CLOSURE_CHECKLIST}
    case_actions.request_closure(coordinator, case, checklist, outcome)
    # A caseworker without a key grant is a key-health problem the coordinator must see.
    KeyGrant.objects.filter(membership=world["caseworker"].membership).delete()
    page = signed_in("coordinator").get("/").content.decode()
    assert figure(page, "Closures waiting for approval") == "1"
    assert figure(page, "Active members") == str(len(world.people))
    assert figure(page, "Members who need sealed data but have no key") == "1"


def test_it_shows_an_analyst_only_figures(world: World, signed_in) -> None:
    page = signed_in("analyst").get("/").content.decode()
    assert "Latest figures" in page
    assert "Incidents, last 12 months" in page
    assert "New reports in the inbox" not in page and "Cases" not in page


def test_it_shows_a_police_liaison_no_panel(world: World, signed_in) -> None:
    page = signed_in("police_liaison").get("/").content.decode()
    assert 'class="card home-panel"' not in page


def test_it_shows_a_lawyer_her_legal_deadlines(world: World, signed_in) -> None:
    page = signed_in("lawyer").get("/").content.decode()
    assert figure(page, "Answers overdue") == "0"
    assert figure(page, "Filed and awaiting a response") == "0"
    assert "New reports in the inbox" in page  # lawyers triage too
