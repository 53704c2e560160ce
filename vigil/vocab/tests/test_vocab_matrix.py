from __future__ import annotations

from vigil.conftest import World
from vigil.tests_matrix import COLUMNS, Row, run_matrix
from vigil.vocab import actions
from vigil.vocab.models import LANGS, Term

# Every member reads the vocabulary; only a coordinator manages her organisation's
# local terms. Another organisation's local term is missing (404); a shared term is
# visible to all, so editing it is forbidden (403) rather than missing.
# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/vocab/", "302 200 200 200 200 200 200 200 200 200"),
    ("GET", "/vocab/act_type/", "302 200 200 200 200 200 200 200 200 200"),
    ("GET", "/vocab/place_type/", "302 200 200 200 200 200 200 200 200 200"),
    ("GET", "/vocab/no_such_list/", "302 404 404 404 404 404 404 404 404 404"),
    ("GET", "/vocab/act_type/new/", "302 200 403 403 403 403 403 403 403 200"),
    ("POST", "/vocab/act_type/new/", "302 200 403 403 403 403 403 403 403 200"),
    ("GET", "/vocab/no_such_list/new/", "302 404 403 403 403 403 403 403 403 404"),
    ("GET", "/vocab/terms/{local}/", "302 200 403 403 403 403 403 403 403 404"),
    ("POST", "/vocab/terms/{local}/", "302 200 403 403 403 403 403 403 403 404"),
    ("GET", "/vocab/terms/{shared}/", "302 403 403 403 403 403 403 403 403 403"),
    ("POST", "/vocab/terms/{shared}/", "302 403 403 403 403 403 403 403 403 403"),
    ("GET", "/vocab/terms/{missing}/", "302 404 403 403 403 403 403 403 403 404"),
]


def test_it_matches_the_role_matrix(world: World) -> None:
    assert COLUMNS[-1] == "other_org"
    local = actions.add_local_term(
        world["coordinator"].user,
        world.org,
        "act_type",
        labels={lang: f"Local term ({lang})" for lang in LANGS},
    )
    shared = Term.objects.get(code="ACT.SEX.RAPE")
    targets: dict[str, object] = {
        "local": local.pk,
        "shared": shared.pk,
        "missing": local.pk + 10_000,
    }
    failures = run_matrix(world, ROWS, lambda: targets)
    assert failures == []
