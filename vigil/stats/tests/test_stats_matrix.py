"""The statistics pages by role; another organisation's stored report is missing (404)."""

from __future__ import annotations

from vigil.conftest import World
from vigil.stats import actions
from vigil.tests_matrix import COLUMNS, Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
BASE_ROWS: list[Row] = [
    ("GET", "/stats/", "302 200 403 403 403 200 403 403 200 200"),
    ("GET", "/stats/export.csv", "302 200 403 403 403 200 403 403 404 200"),
    ("GET", "/stats/export.xlsx", "302 200 403 403 403 200 403 403 404 200"),
    ("GET", "/stats/network/", "302 200 403 403 403 403 403 403 403 200"),
    ("GET", "/stats/report/", "302 200 403 403 403 200 403 403 200 200"),
    ("GET", "/stats/report/999999/", "302 404 403 403 403 404 403 403 404 404"),
    ("GET", "/stats/report/999999/report.docx", "302 404 403 403 403 404 403 403 404 404"),
    ("GET", "/stats/report/999999/report.pdf", "302 404 403 403 403 404 403 403 404 404"),
]
NETWORK_ROWS: list[Row] = [
    # Networks: create (own organisation hosts), invite (host only), answer (invited only).
    ("POST", "/stats/network/create/", "302 302 403 403 403 403 403 403 403 302"),
    ("POST", "/stats/network/{network}/invite/", "302 302 403 403 403 403 403 403 403 404"),
    (
        "POST",
        "/stats/network/invitations/{invitation}/",
        "302 400 403 403 403 403 403 403 403 404",
    ),
]
ROWS: list[Row] = BASE_ROWS + NETWORK_ROWS


def test_it_matches_the_stats_role_matrix(world: World) -> None:
    assert COLUMNS[-1] == "other_org"
    assert run_matrix(world, BASE_ROWS, dict) == []
    network = actions.create_network(None, world.org, name="EECA network", slug="eeca")
    theirs = actions.create_network(None, world.other_org, name="Their network", slug="theirs")
    others = world.others["coordinator"]
    invitation = actions.invite_organisation(others.user, others.membership, theirs, world.org)
    targets = {"network": network.pk, "invitation": invitation.pk}
    failures = run_matrix(world, NETWORK_ROWS, lambda: targets)
    assert failures == []
