"""Every referral URL × every role, plus a coordinator of another organisation.

The police liaison gets 403 everywhere except her form, her card and her
aggregate page; another organisation's referral, case or programme is 404.
"""

from __future__ import annotations

from django.urls import URLPattern

from vigil.cases import actions as case_actions
from vigil.conftest import World
from vigil.incidents import actions as incident_actions
from vigil.referrals import urls
from vigil.referrals.models import Programme
from vigil.referrals.tests.conftest import make_referral
from vigil.tests_matrix import Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
WORK_GET = "302 200 403 403 403 403 200 403 403 404"
WORK_REDIRECT = "302 302 403 403 403 403 302 403 403 404"
WORK_FORM_ERROR = "302 200 403 403 403 403 200 403 403 404"
WORK_LIST = "302 200 403 403 403 403 200 403 403 200"
POLICE_ONLY = "302 403 403 403 403 403 403 200 403 403"
COORDINATOR_PAGE = "302 200 403 403 403 403 403 403 403 200"
COORDINATOR_OBJECT = "302 200 403 403 403 403 403 403 403 404"
COORDINATOR_REDIRECT = "302 302 403 403 403 403 403 403 403 302"
FUNNEL = "302 200 403 403 403 200 200 403 403 200"
CASE_TEAM = "302 200 200 200 403 403 403 403 403 404"

ROWS: list[Row] = [
    ("GET", "/referrals/police/new/", POLICE_ONLY),
    ("POST", "/referrals/police/new/", POLICE_ONLY),  # empty: the form with its errors
    # No referral submitted in this session: back to the form.
    ("GET", "/referrals/police/received/", "302 403 403 403 403 403 403 302 403 403"),
    ("GET", "/referrals/police/figures/", POLICE_ONLY),
    ("GET", "/referrals/", WORK_LIST),
    ("POST", "/referrals/code/", "302 302 403 403 403 403 302 403 403 302"),
    ("GET", "/referrals/code/", "405 405 405 405 405 405 405 405 405 405"),
    ("GET", "/referrals/{referral}/", WORK_GET),
    ("GET", "/referrals/999999/", "302 404 403 403 403 403 404 403 403 404"),
    ("POST", "/referrals/{referral}/claim/", WORK_REDIRECT),
    ("POST", "/referrals/{referral}/arrival/", WORK_REDIRECT),
    ("POST", "/referrals/{referral}/contact/", WORK_REDIRECT),
    ("POST", "/referrals/{referral}/assessment/", WORK_REDIRECT),
    ("POST", "/referrals/{referral}/person/find/", WORK_FORM_ERROR),
    # No person id in an empty POST: no such person.
    ("POST", "/referrals/{referral}/person/link/", "302 404 403 403 403 403 404 403 403 404"),
    ("POST", "/referrals/{referral}/person/new/", WORK_FORM_ERROR),
    ("POST", "/referrals/{referral}/case/", WORK_REDIRECT),
    ("POST", "/referrals/{referral}/service/", WORK_FORM_ERROR),
    ("POST", "/referrals/{referral}/admission/", WORK_FORM_ERROR),
    ("POST", "/referrals/{referral}/retention/", WORK_FORM_ERROR),
    ("POST", "/referrals/{referral}/close/", WORK_FORM_ERROR),
    ("GET", "/cases/{case}/referral/", CASE_TEAM),
    ("POST", "/cases/{case}/referral/", CASE_TEAM),
    ("GET", "/referrals/programmes/", COORDINATOR_PAGE),
    ("GET", "/referrals/programmes/new/", COORDINATOR_PAGE),
    ("POST", "/referrals/programmes/new/", COORDINATOR_PAGE),
    ("GET", "/referrals/programmes/{programme}/", COORDINATOR_OBJECT),
    ("POST", "/referrals/programmes/{programme}/", COORDINATOR_OBJECT),
    ("POST", "/referrals/programmes/units/", COORDINATOR_REDIRECT),
    ("POST", "/referrals/programmes/services/", COORDINATOR_REDIRECT),
    ("GET", "/referrals/funnel/", FUNNEL),
    ("GET", "/referrals/funnel.csv", FUNNEL),
    ("GET", "/referrals/funnel.xlsx", FUNNEL),
]


def test_it_has_a_row_for_every_url_pattern() -> None:
    routes = {str(p.pattern) for p in urls.urlpatterns if isinstance(p, URLPattern)}
    covered = {
        template.lstrip("/").replace("{referral}", "<int:pk>").replace("{case}", "<int:pk>")
        for _m, template, _c, *_data in ROWS
    }
    covered = {c.replace("{programme}", "<int:pk>").replace("999999", "<int:pk>") for c in covered}
    assert routes <= covered, routes - covered


def test_it_matches_the_referral_role_matrix(world: World, programme: Programme) -> None:
    referral = make_referral(world, programme)
    person = incident_actions.create_person(
        world["caseworker"].user, world.org, None, pseudonym="Matrix"
    )
    case = case_actions.open_case(world["caseworker"].user, person).case
    targets: dict[str, object] = {
        "referral": referral.pk,
        "case": case.pk,
        "programme": programme.pk,
    }
    assert run_matrix(world, ROWS, lambda: targets) == []
