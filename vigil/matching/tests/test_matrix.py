"""The counsel's pages by role: only the lawyer who is the network's counsel
reads them; other lawyers and coordinators 403 (no capacity) or 404 (another
network), every other role 403."""

from __future__ import annotations

from vigil.conftest import World
from vigil.matching import actions
from vigil.stats.models import Network
from vigil.tests_matrix import COLUMNS, Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/matching/counsel/", "302 403 403 200 403 403 403 403 403 403"),
    ("GET", "/matching/counsel/{network}/", "302 404 403 200 403 403 403 403 403 404"),
    # A POST without the password shows the form again with its error.
    ("POST", "/matching/counsel/{network}/", "302 404 403 200 403 403 403 403 403 404"),
    ("GET", "/matching/counsel/{other_network}/", "302 404 403 404 403 403 403 403 403 404"),
]


def test_it_matches_the_role_matrix(world: World) -> None:
    assert COLUMNS[-1] == "other_org"
    network = Network.objects.create(name="EECA", slug="eeca", host=world.org)
    other = Network.objects.create(name="Central Asia", slug="ca", host=world.other_org)
    actions.appoint_counsel(None, world["lawyer"].user, network, "mc_unused")
    actions.appoint_counsel(None, world.others["lawyer"].user, other, "mc_unused")
    targets: dict[str, object] = {"network": network.pk, "other_network": other.pk}
    assert run_matrix(world, ROWS, lambda: targets) == []
