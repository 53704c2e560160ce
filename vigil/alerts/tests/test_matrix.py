"""Every alerts URL by role: the case team drafts and sends, a coordinator or lawyer
vets, coordinators and caseworkers enrol members, coordinators and lawyers make police
digests; the members' page is for members and staff who may read alerts (not analysts,
police liaisons or network analysts); sign-in pages are public."""

from __future__ import annotations

from vigil.alerts import actions
from vigil.alerts.tests.helpers import EXACT_DATE, draft, make_source, published
from vigil.conftest import World
from vigil.tests_matrix import Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
TEAM_GET = "302 200 200 200 403 403 403 403 403 404"
TEAM_POST = "302 302 302 302 403 403 403 403 403 404"
VET_POST = "302 302 403 302 403 403 403 403 403 404"
MEMBER_PAGE = "302 200 200 200 200 403 200 403 403 200"
PUBLIC = "200 200 200 200 200 200 200 200 200 200"

ROWS: list[Row] = [
    ("GET", "/alerts/", "302 200 200 200 403 403 403 403 403 200"),
    ("POST", "/alerts/new/", "302 404 404 404 403 403 403 403 403 404"),
    ("GET", "/alerts/{draft}/", TEAM_GET),
    ("GET", "/alerts/{draft}/edit/", TEAM_GET),
    ("POST", "/alerts/{published}/submit/", TEAM_POST),
    ("POST", "/alerts/{published}/approve/", VET_POST),
    ("POST", "/alerts/{published}/return/", VET_POST),
    ("POST", "/alerts/{published}/publish/", TEAM_POST),
    ("POST", "/alerts/{withdrawn}/withdraw/", VET_POST),
    ("GET", "/alerts/{draft}/source/", TEAM_POST),
    ("POST", "/alerts/{published}/send/", TEAM_POST),
    ("GET", "/alerts/dispatches/{dispatch}/", TEAM_GET),
    ("GET", "/alerts/members/", "302 200 200 403 403 403 403 403 403 200"),
    ("POST", "/alerts/members/", "302 200 200 403 403 403 403 403 403 200"),
    ("POST", "/alerts/members/{subscriber}/remove/", "302 302 302 403 403 403 403 403 403 404"),
    ("GET", "/alerts/police/digest/", "302 200 403 200 403 403 403 403 403 200"),
    ("POST", "/alerts/police/digest/", "302 200 403 200 403 403 403 403 403 200"),
    ("GET", "/alerts/police/requests/", "302 200 200 200 403 403 403 403 403 200"),
    ("POST", "/alerts/police/requests/", "302 200 200 200 403 403 403 403 403 200"),
    ("GET", "/alerts/police/requests/{link}/", TEAM_GET),
    ("POST", "/alerts/police/requests/{link}/decision/", TEAM_POST),
    ("POST", "/alerts/police/requests/{link}/answer/", TEAM_POST),
    ("GET", "/members/", MEMBER_PAGE),
    ("GET", "/members/check/", MEMBER_PAGE),
    ("POST", "/members/check/", MEMBER_PAGE),
    ("GET", "/members/sign-in/", PUBLIC),
    ("POST", "/members/sign-in/", PUBLIC),
    ("GET", "/members/enter/{token}/", PUBLIC),
    ("POST", "/members/enter/not-a-token/", "400 400 400 400 400 400 400 400 400 400"),
    ("POST", "/members/sign-out/", "302 302 302 302 302 302 302 302 302 302"),
]


def test_it_matches_the_role_matrix(world: World) -> None:
    source = make_source(world)
    drafted, _key = draft(world, source)
    live = published(world)
    withdrawn = published(world)
    coordinator = world["coordinator"]
    actions.withdraw(coordinator.user, coordinator.membership, withdrawn)
    subscriber = actions.enrol(
        world["caseworker"].user,
        world.org,
        group="peer",
        channel="page",
        region="",
        language="ru",
        name="M",
        email="m@example.org",
        phone="",
    )
    dispatch = actions.prepare_dispatch(world["caseworker"].user, live, [])
    link = actions.record_link_request(
        world["caseworker"].user,
        world.org,
        partner="P",
        reference="R-1",
        request_text="x",
        received_at=EXACT_DATE,
        event_id=source.event.pk,
    )
    ids = {
        "draft": drafted.pk,
        "published": live.pk,
        "withdrawn": withdrawn.pk,
        "subscriber": subscriber.pk,
        "dispatch": dispatch.pk,
        "link": link.pk,
        "token": "some-token",
    }
    failures = run_matrix(world, ROWS, lambda: ids)
    assert not failures, "\n".join(failures)
