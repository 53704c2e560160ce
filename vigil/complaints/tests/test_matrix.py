"""The complaints pages by role: lawyers and coordinators file and manage, caseworkers
see and draft, analysts see only the figures, everyone else 403, another organisation 404."""

from __future__ import annotations

from vigil.complaints import actions
from vigil.complaints.tests.helpers import body, filed, make_action, make_case, share_consent
from vigil.conftest import World
from vigil.tests_matrix import COLUMNS, Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/complaints/agenda/", "302 200 403 200 403 403 403 403 403 200"),
    ("GET", "/complaints/figures/", "302 200 403 200 403 200 403 403 403 200"),
    ("GET", "/complaints/bodies/", "302 200 200 200 403 403 403 403 403 200"),
    ("GET", "/complaints/bodies/{shared}/", "302 200 200 200 403 403 403 403 403 200"),
    ("GET", "/complaints/bodies/{local}/", "302 200 200 200 403 403 403 403 403 404"),
    ("GET", "/complaints/bodies/new/", "302 200 403 403 403 403 403 403 403 200"),
    ("GET", "/complaints/bodies/{local}/edit/", "302 200 403 403 403 403 403 403 403 404"),
    ("GET", "/complaints/bodies/{shared}/edit/", "302 403 403 403 403 403 403 403 403 403"),
    (
        "GET",
        "/complaints/bodies/{local}/liaisons/new/",
        "302 200 403 403 403 403 403 403 403 404",
    ),
    ("GET", "/complaints/liaisons/{liaison}/edit/", "302 200 403 403 403 403 403 403 403 404"),
    ("GET", "/complaints/templates/", "302 200 403 403 403 403 403 403 403 200"),
    (
        "GET",
        "/complaints/templates/police_internal/ru/",
        "302 200 403 403 403 403 403 403 403 200",
    ),
    (
        "GET",
        "/complaints/templates/police_internal/ru/download/",
        "302 200 403 403 403 403 403 403 403 200",
    ),
    ("GET", "/cases/{case}/legal-actions/", "302 200 200 200 403 403 403 403 403 404"),
    ("GET", "/cases/{case}/legal-actions/new/", "302 200 200 200 403 403 403 403 403 404"),
    ("GET", "/complaints/actions/{draft}/", "302 200 200 200 403 403 403 403 403 404"),
    ("GET", "/complaints/actions/{draft}/edit/", "302 200 200 200 403 403 403 403 403 404"),
    ("GET", "/complaints/actions/{draft}/file/", "302 200 403 200 403 403 403 403 403 404"),
    ("GET", "/complaints/actions/{filed}/", "302 200 200 200 403 403 403 403 403 404"),
    (
        "GET",
        "/complaints/actions/{filed}/acknowledge/",
        "302 200 403 200 403 403 403 403 403 404",
    ),
    ("GET", "/complaints/actions/{filed}/response/", "302 200 403 200 403 403 403 403 403 404"),
    ("GET", "/complaints/actions/{filed}/appeal/", "302 200 403 200 403 403 403 403 403 404"),
    ("GET", "/complaints/letters/{letter}/", "302 200 200 200 403 403 403 403 403 404"),
    ("GET", "/complaints/actions/999999/", "302 404 404 404 403 403 403 403 403 404"),
    ("POST", "/complaints/actions/{draft}/consent/", "302 302 302 302 403 403 403 403 403 404"),
    ("POST", "/complaints/actions/{draft}/override/", "302 302 403 403 403 403 403 403 403 404"),
    ("POST", "/complaints/actions/{draft}/letters/", "302 400 400 400 403 403 403 403 403 404"),
    ("POST", "/complaints/actions/{spare}/close/", "302 302 403 302 403 403 403 403 403 404"),
    (
        "POST",
        "/complaints/templates/police_internal/ru/reset/",
        "302 302 403 403 403 403 403 403 403 302",
    ),
]


def test_it_matches_the_role_matrix(world: World) -> None:
    assert COLUMNS[-1] == "other_org"
    made = make_case(world)
    draft = make_action(world, made)
    share_consent(world, made)
    action = filed(world, make_case(world, pseudonym="Second"))
    spare = make_action(world, made)
    coordinator = world["coordinator"].user
    local = actions.create_local_body(
        coordinator, world.org, names={"en": "Metro police of Kyiv"}, body_type="employer"
    )
    liaison = actions.add_liaison(
        coordinator, world.org, local, position="Inspector", sealed={"name": "Petrenko"}
    )
    letter = actions.store_letter(
        coordinator,
        draft,
        made.key,
        format="docx",
        language="ru",
        content=b"PK fake",
        identified=False,
    )
    ids: dict[str, object] = {
        "case": made.case.pk,
        "draft": draft.pk,
        "filed": action.pk,
        "spare": spare.pk,
        "letter": letter.pk,
        "local": local.pk,
        "shared": body().pk,
        "liaison": liaison.pk,
    }
    failures = run_matrix(world, ROWS, lambda: ids)
    assert failures == []
