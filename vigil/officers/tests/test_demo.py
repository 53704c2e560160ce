"""The demo organisation shows repeat officers, typed differently, and an imported register."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vigil.conftest import World
from vigil.officers.demo import create_demo_officers
from vigil.officers.models import ComplaintRegister, ImportStatus


def test_it_creates_repeat_officers_and_an_imported_register(
    world: World, signed_in: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    made = create_demo_officers(world.org, world.phrase, world["lawyer"].user)
    assert made == 6
    register = ComplaintRegister.objects.get(organisation=world.org)
    assert register.status == ImportStatus.DONE and register.rows_imported == 4
    html = signed_in("lawyer").get("/officers/").content.decode()
    # badge АВ 0471 (3 incidents + 2 register rows), Гаврилюк/Havryliuk, Шевчук/Shevchuk,
    # the plate, the phone, and Мельник from the register alone.
    assert html.count("/officers/o/") == 6
    assert "external" in html
