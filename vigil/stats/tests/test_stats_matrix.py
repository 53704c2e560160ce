"""The statistics pages by role; another organisation's stored report is missing (404)."""

from __future__ import annotations

from vigil.conftest import World
from vigil.tests_matrix import COLUMNS, Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/stats/", "302 200 403 403 403 200 403 403 200 200"),
    ("GET", "/stats/export.csv", "302 200 403 403 403 200 403 403 404 200"),
    ("GET", "/stats/export.xlsx", "302 200 403 403 403 200 403 403 404 200"),
    ("GET", "/stats/network/", "302 200 403 403 403 403 403 403 403 200"),
    ("GET", "/stats/report/", "302 200 403 403 403 200 403 403 200 200"),
    ("GET", "/stats/report/999999/", "302 404 403 403 403 404 403 403 404 404"),
    ("GET", "/stats/report/999999/report.docx", "302 404 403 403 403 404 403 403 404 404"),
    ("GET", "/stats/report/999999/report.pdf", "302 404 403 403 403 404 403 403 404 404"),
]


def test_it_matches_the_stats_role_matrix(world: World) -> None:
    assert COLUMNS[-1] == "other_org"
    failures = run_matrix(world, ROWS, dict)
    assert failures == []
