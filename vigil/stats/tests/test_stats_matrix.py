"""The statistics pages by role; another organisation's stored report is missing (404)."""

from __future__ import annotations

from vigil.conftest import World
from vigil.tests_matrix import COLUMNS, Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/stats/", "0 0 0 0 0 0 0 0 0 0"),
    ("GET", "/stats/export.csv", "0 0 0 0 0 0 0 0 0 0"),
    ("GET", "/stats/export.xlsx", "0 0 0 0 0 0 0 0 0 0"),
    ("GET", "/stats/network/", "0 0 0 0 0 0 0 0 0 0"),
    ("GET", "/stats/report/", "0 0 0 0 0 0 0 0 0 0"),
    ("GET", "/stats/report/999999/", "0 0 0 0 0 0 0 0 0 0"),
    ("GET", "/stats/report/999999/report.docx", "0 0 0 0 0 0 0 0 0 0"),
    ("GET", "/stats/report/999999/report.pdf", "0 0 0 0 0 0 0 0 0 0"),
]


def test_it_matches_the_stats_role_matrix(world: World) -> None:
    assert COLUMNS[-1] == "other_org"
    failures = run_matrix(world, ROWS, dict)
    assert failures == []
