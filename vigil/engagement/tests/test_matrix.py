"""The engagement pages by role: the case team manages; the analyst sees the dashboard;
the police liaison sees only the partnerships and meetings she takes part in and the
suggestions addressed to her; everyone else 403; another organisation 404."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import resolve

from vigil.conftest import World
from vigil.engagement import actions
from vigil.engagement.models import Allegation
from vigil.engagement.tests.helpers import (
    key_of,
    make_activity,
    make_board,
    make_partner,
    make_recommendation,
    make_suggestion,
    make_visit,
    upload,
)
from vigil.engagement.urls import urlpatterns
from vigil.tests_matrix import COLUMNS, Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
VIEW_LIST = "302 200 200 200 403 403 403 200 403 200"
VIEW_OBJ = "302 200 200 200 403 403 403 200 403 404"
NOT_HERS = "302 200 200 200 403 403 403 404 403 404"
MANAGE_LIST = "302 200 200 200 403 403 403 403 403 200"
MANAGE_OBJ = "302 200 200 200 403 403 403 403 403 404"
BAD_MOVE = "302 400 400 400 403 403 403 403 403 404"
# An empty form posted: refused by the form (400) for those allowed, before any write.
EMPTY_CREATE = "302 400 400 400 403 403 403 403 403 400"
EMPTY_EDIT = "302 400 400 400 403 403 403 403 403 404"

ROWS: list[Row] = [
    ("GET", "/engagement/", VIEW_LIST),
    ("GET", "/engagement/dashboard/", "302 200 200 200 403 200 403 403 403 200"),
    ("GET", "/engagement/dashboard/export.csv", "302 200 403 403 403 200 403 403 403 200"),
    ("GET", "/engagement/calendar/", VIEW_LIST),
    ("POST", "/engagement/calendar/revoke/", "302 302 302 302 403 403 403 302 403 302"),
    # The secret URL is the credential: whoever holds it reads the (harmless) feed.
    ("GET", "/engagement/calendar/{token}.ics", "200 200 200 200 200 200 200 200 200 200"),
    ("GET", "/engagement/partners/", VIEW_LIST),
    ("GET", "/engagement/partners/new/", MANAGE_LIST),
    ("GET", "/engagement/partners/{partner}/", VIEW_OBJ),
    ("GET", "/engagement/partners/{other_partner}/", NOT_HERS),
    ("GET", "/engagement/partners/{partner}/edit/", MANAGE_OBJ),
    ("GET", "/engagement/partners/{partner}/contacts/new/", MANAGE_OBJ),
    ("GET", "/engagement/contacts/{contact}/edit/", MANAGE_OBJ),
    ("GET", "/engagement/partners/{partner}/history/new/", MANAGE_OBJ),
    ("GET", "/engagement/history/{log}/edit/", MANAGE_OBJ),
    ("GET", "/engagement/partners/{partner}/agreements/new/", MANAGE_OBJ),
    ("GET", "/engagement/agreements/{agreement}/", MANAGE_OBJ),
    ("GET", "/engagement/agreements/{agreement}/edit/", MANAGE_OBJ),
    ("GET", "/engagement/activities/", VIEW_LIST),
    ("GET", "/engagement/activities/new/", MANAGE_LIST),
    ("GET", "/engagement/activities/{activity}/", VIEW_OBJ),
    ("GET", "/engagement/activities/{other_activity}/", NOT_HERS),
    ("GET", "/engagement/activities/{activity}/edit/", MANAGE_OBJ),
    ("GET", "/engagement/activities/{activity}/materials/new/", MANAGE_OBJ),
    ("GET", "/engagement/materials/{material}/", MANAGE_OBJ),
    ("GET", "/engagement/boards/", MANAGE_LIST),
    ("GET", "/engagement/boards/new/", MANAGE_LIST),
    ("GET", "/engagement/boards/{board}/", MANAGE_OBJ),
    ("GET", "/engagement/boards/{board}/edit/", MANAGE_OBJ),
    ("GET", "/engagement/boards/{board}/members/new/", MANAGE_OBJ),
    ("GET", "/engagement/members/{member}/edit/", MANAGE_OBJ),
    ("GET", "/engagement/boards/{board}/suggestions/new/", MANAGE_OBJ),
    ("GET", "/engagement/suggestions/", VIEW_LIST),
    ("GET", "/engagement/suggestions/{suggestion}/", VIEW_OBJ),
    ("GET", "/engagement/suggestions/{other_suggestion}/", NOT_HERS),
    ("GET", "/engagement/suggestions/{suggestion}/edit/", MANAGE_OBJ),
    ("GET", "/engagement/suggestions/{suggestion}/answer/", VIEW_OBJ),
    ("POST", "/engagement/suggestions/{suggestion}/move/", BAD_MOVE),
    ("GET", "/engagement/visits/", MANAGE_LIST),
    ("GET", "/engagement/visits/new/", MANAGE_LIST),
    ("GET", "/engagement/visits/{visit}/", MANAGE_OBJ),
    ("GET", "/engagement/visits/{visit}/edit/", MANAGE_OBJ),
    ("GET", "/engagement/visits/{visit}/checklist/", MANAGE_OBJ),
    ("GET", "/engagement/visits/{visit}/allegations/new/", MANAGE_OBJ),
    ("GET", "/engagement/allegations/{allegation}/edit/", MANAGE_OBJ),
    ("GET", "/engagement/visits/{visit}/recommendations/new/", MANAGE_OBJ),
    ("GET", "/engagement/recommendations/{recommendation}/edit/", MANAGE_OBJ),
    ("POST", "/engagement/recommendations/{recommendation}/move/", BAD_MOVE),
    ("POST", "/engagement/calendar/", VIEW_LIST),
    ("POST", "/engagement/partners/new/", EMPTY_CREATE),
    ("POST", "/engagement/partners/{partner}/contacts/new/", EMPTY_EDIT),
    ("POST", "/engagement/contacts/{contact}/edit/", EMPTY_EDIT),
    ("POST", "/engagement/partners/{partner}/agreements/new/", EMPTY_EDIT),
    ("POST", "/engagement/activities/new/", EMPTY_CREATE),
    ("POST", "/engagement/activities/{activity}/edit/", EMPTY_EDIT),
    ("POST", "/engagement/boards/new/", EMPTY_CREATE),
    ("POST", "/engagement/boards/{board}/members/new/", EMPTY_EDIT),
    ("POST", "/engagement/boards/{board}/suggestions/new/", EMPTY_EDIT),
    (
        "POST",
        "/engagement/suggestions/{suggestion}/answer/",
        "302 400 400 400 403 403 403 400 403 404",
    ),
    ("POST", "/engagement/visits/new/", EMPTY_CREATE),
    ("POST", "/engagement/visits/{visit}/allegations/new/", EMPTY_EDIT),
    ("POST", "/engagement/visits/{visit}/recommendations/new/", EMPTY_EDIT),
]


def _targets(world: World) -> dict[str, Any]:
    coordinator = world["coordinator"].user
    liaison = world["police_liaison"].membership
    partner = make_partner(world, liaison=True, name="Her unit")
    contact = actions.add_contact(
        acting_user=coordinator,
        partner=partner,
        rank_in_clear=True,
        rank="Major",
        unit="",
        sealed={"name": "Inspector"},
    )
    log = actions.log_contact(
        acting_user=coordinator, partner=partner, kind="call", date=datetime.date(2026, 1, 1)
    )
    agreement = actions.add_agreement(
        acting_user=coordinator,
        partner=partner,
        kind="mou",
        signed_on=datetime.date(2026, 1, 1),
        valid_until=None,
        title="MoU",
        upload=upload(),
    )
    activity = make_activity(world, participants=[liaison], partners=[partner])
    material = actions.add_material(acting_user=coordinator, activity=activity, upload=upload())
    board = make_board(world)
    member = actions.add_board_member(
        acting_user=coordinator, board=board, category="wud", sealed={"name": "N"}
    )
    visit = make_visit(world)
    key = key_of(world, visit)
    allegation = actions.add_allegation(
        acting_user=coordinator, visit=visit, key=key, consent=False, summary="s"
    )
    return {
        "partner": partner.pk,
        "other_partner": make_partner(world, name="Another unit").pk,
        "contact": contact.pk,
        "log": log.pk,
        "agreement": agreement.pk,
        "activity": activity.pk,
        "other_activity": make_activity(world).pk,
        "material": material.pk,
        "board": board.pk,
        "member": member.pk,
        "suggestion": make_suggestion(world, board).pk,
        "other_suggestion": make_suggestion(world, board, to_liaison=False).pk,
        "visit": visit.pk,
        "allegation": allegation.pk,
        "recommendation": make_recommendation(world, visit, key).pk,
    }


def test_it_matches_the_role_matrix(world: World, settings: Any, tmp_path: Any) -> None:
    assert COLUMNS[-1] == "other_org"
    settings.MEDIA_ROOT = str(tmp_path)
    fixed = _targets(world)
    assert Allegation.objects.filter(pk=fixed["allegation"]).exists()

    def targets() -> dict[str, Any]:
        # A fresh secret per row: the revoke row revokes the member's current address.
        token = actions.create_feed(
            acting_user=world["police_liaison"].user, membership=world["police_liaison"].membership
        )
        return {**fixed, "token": token}

    failures = run_matrix(world, ROWS, targets)
    assert not failures, "\n".join(failures)


def test_it_has_a_row_for_every_url_pattern() -> None:
    covered = set()
    for _method, template, _codes, *_data in ROWS:
        path = template.replace("{token}", "t").format_map(_Ones())
        covered.add(resolve(path).url_name)
    assert covered == {pattern.name for pattern in urlpatterns}


class _Ones(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "1"
