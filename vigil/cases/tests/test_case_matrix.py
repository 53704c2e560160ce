"""Every case URL × every role, plus a coordinator of another organisation (404)."""

from __future__ import annotations

from vigil.cases import actions as case_actions
from vigil.cases.models import CaseStatus
from vigil.cases.tests.test_case_views import add_tasks, days, make_case
from vigil.conftest import World
from vigil.intake.models import Channel, Submission
from vigil.tests_matrix import COLUMNS, Row, run_matrix

TEAM_GET = "302 200 200 200 403 403 403 403 403 404"
TEAM_FORM_ERROR = "302 200 200 200 403 403 403 403 403 404"
TEAM_REDIRECT = "302 302 302 302 403 403 403 403 403 404"
COORDINATOR_REDIRECT = "302 302 403 403 403 403 403 403 403 404"

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/cases/", "302 200 200 200 403 403 403 403 403 200"),
    ("GET", "/cases/?opened_to=9999-12-31", "302 200 200 200 403 403 403 403 403 200"),
    ("GET", "/cases/new/?event={event}", TEAM_GET),
    ("POST", "/cases/new/?event={event}", TEAM_FORM_ERROR),
    ("GET", "/cases/{case}/", TEAM_GET),
    ("GET", "/cases/999999/", "302 404 404 404 403 403 403 403 403 404"),
    ("POST", "/cases/{case}/status/", TEAM_REDIRECT),
    ("GET", "/cases/{case}/status/", "405 405 405 405 405 405 405 405 405 405"),
    ("GET", "/cases/{case}/closure/", TEAM_GET),
    ("POST", "/cases/{case}/closure/", TEAM_FORM_ERROR),
    ("POST", "/cases/{case}/closure/approve/", COORDINATOR_REDIRECT),
    ("POST", "/cases/{case}/closure/reject/", COORDINATOR_REDIRECT),
    ("POST", "/cases/{case}/reopen/", COORDINATOR_REDIRECT),
    ("GET", "/cases/{case}/assign/", TEAM_GET),
    ("POST", "/cases/{case}/assign/", TEAM_FORM_ERROR),
    ("GET", "/cases/{case}/assessment/", TEAM_GET),
    ("POST", "/cases/{case}/assessment/", TEAM_REDIRECT),
    ("GET", "/cases/{case}/tasks/", TEAM_GET),
    ("POST", "/cases/{case}/tasks/", TEAM_FORM_ERROR),
    ("POST", "/tasks/{task}/done/", TEAM_REDIRECT),
    ("GET", "/cases/{case}/notes/", TEAM_GET),
    ("POST", "/cases/{case}/notes/", TEAM_FORM_ERROR),
    ("GET", "/cases/{case}/interventions/", TEAM_GET),
    ("POST", "/cases/{case}/interventions/", TEAM_FORM_ERROR),
    ("GET", "/cases/{case}/consent/", TEAM_GET),
    ("POST", "/cases/{case}/consent/", TEAM_FORM_ERROR),
    ("GET", "/cases/{case}/contact/", TEAM_GET),
    # Only a coordinator may override; an empty reason is refused beside the field.
    ("POST", "/cases/{case}/contact/", "302 200 403 403 403 403 403 403 403 404"),
    ("GET", "/my-work/", "302 200 200 200 403 403 403 403 403 200"),
    # An empty reply is refused with a message; the case page shows it (302).
    ("POST", "/cases/{case}/conversation/{submission}/reply/", TEAM_REDIRECT),
]


def test_it_matches_the_case_role_matrix(world: World) -> None:
    assert COLUMNS[-1] == "other_org"
    made = make_case(world)
    user = world["caseworker"].user
    case_actions.transition(user, made.case, CaseStatus.TRIAGED)
    case_actions.transition(user, made.case, CaseStatus.ACTIVE)
    (task,) = add_tasks(made, user, [days(1)])
    submission = Submission.objects.create(
        organisation=world.org, channel=Channel.WEB, case=made.case, event=made.event
    )
    targets = {
        "case": made.case.pk,
        "event": made.event.pk,
        "task": task.pk,
        "submission": submission.pk,
    }
    failures = run_matrix(world, ROWS, lambda: targets)
    assert failures == []
