"""The officer pages by role: lawyers and coordinators see officer profiles and import
registers, coordinators set the threshold and rebuild indexes, everyone else 403,
another organisation's objects 404."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from vigil.conftest import World
from vigil.officers import actions, identity
from vigil.officers.tests.helpers import incident
from vigil.tests_matrix import COLUMNS, Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/officers/", "302 200 403 200 403 403 403 403 403 200"),
    ("GET", "/officers/o/{token}/", "302 200 403 200 403 403 403 403 403 404"),
    ("GET", "/officers/o/not-a-token/", "302 404 403 404 403 403 403 403 403 404"),
    ("GET", "/officers/settings/", "302 200 403 403 403 403 403 403 403 200"),
    ("POST", "/officers/settings/", "302 200 403 403 403 403 403 403 403 200"),
    ("POST", "/officers/settings/reindex/", "302 302 403 403 403 403 403 403 403 302"),
    ("GET", "/officers/registers/", "302 200 403 200 403 403 403 403 403 200"),
    ("POST", "/officers/registers/", "302 200 403 200 403 403 403 403 403 200"),
    ("GET", "/officers/registers/{register}/", "302 200 403 200 403 403 403 403 403 404"),
    ("POST", "/officers/registers/{register}/", "302 200 403 200 403 403 403 403 403 404"),
    ("POST", "/officers/registers/{spare}/delete/", "302 302 403 302 403 403 403 403 403 404"),
]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def register(world: World) -> int:
    created = actions.upload_register(
        world["lawyer"].user,
        world.org,
        source_name="Ombudsman",
        data="Жетон;Рішення\r\n4471;підтверджено\r\n".encode("cp1251"),
    )
    return created.pk


def test_it_matches_the_role_matrix(world: World) -> None:
    assert COLUMNS[-1] == "other_org"
    made = incident(world, [{"badge": "4471"}], start=datetime.date(2025, 1, 1))
    incident(world, [{"badge": "4471"}])
    bidx = made.event.perpetrators.get().badge_bidx
    ids: dict[str, Any] = {
        "token": identity.token(world.org.pk, identity.Identity("badge", bidx, "UA-30")),
        "register": register(world),
    }
    failures = run_matrix(world, ROWS, lambda: {**ids, "spare": register(world)})
    assert failures == []
