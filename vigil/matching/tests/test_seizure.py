"""Seizures: the service's disk holds no identifier or incident text; the main
server's holds no OPRF key."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from matchsvc import keys
from vigil.conftest import World
from vigil.matching.tests.helpers import incident, qualify, running
from vigil.vault.seizure import encodings, seized

pytestmark = pytest.mark.django_db(transaction=True)

PLANTED: dict[str, Any] = {"badge": "ЖТ 4471-КВ", "name": "Гаврилюк Петро", "plate": "АА 9876 ВК"}


def test_it_leaves_no_identifier_or_incident_text_on_the_service(
    world: World, tmp_path: Path, settings: Any
) -> None:
    with running(world, tmp_path, settings) as matching:
        events = [
            incident(world, world["lawyer"], **PLANTED),
            incident(world, world.others["lawyer"], **PLANTED),
        ]
        for persona, event in zip((world["lawyer"], world.others["lawyer"]), events, strict=True):
            qualify(persona, event)
        database = matching.service.config.database
        dump = b"".join(path.read_bytes() for path in database.parent.glob(database.name + "*"))
        key_file = matching.service.config.key_file
        oprf_keys = keys.load(key_file)
        seeds = json.loads(key_file.read_text())["networks"]
        main_dump = seized()
    # Member labels (here the slugs) are known to the service by design: who
    # takes part, never which incident or officer.
    assert len(dump) > 8_000 and dump.count(b"2026-03") >= 6  # real, with the clear months
    texts = [
        *PLANTED.values(),
        "ЖТ4471КВ",
        "4471",
        "Гаврилюк",
        "AA9876BK",
        *(event.code for event in events),
        "Svitlo",
        "Dostyk",
        "a-lawyer",
    ]
    for text in texts:
        for form in encodings(text):
            assert form not in dump, text
    # The main server: neither the OPRF key nor its seed, in any encoding.
    secrets = [*oprf_keys.values(), *(bytes.fromhex(seed) for seed in seeds.values())]
    for secret in secrets:
        for form in (secret, secret.hex().encode(), base64.b64encode(secret)):
            assert form not in main_dump
    assert b"oprf-keys" not in main_dump


def test_it_finds_planted_text_when_the_scan_should(
    world: World, tmp_path: Path, settings: Any
) -> None:
    """The scan can fail: a month in clear is found the same way."""
    with running(world, tmp_path, settings) as matching:
        qualify(world["lawyer"], incident(world, world["lawyer"], badge="AB1"))
        database = matching.service.config.database
        dump = b"".join(path.read_bytes() for path in database.parent.glob(database.name + "*"))
    assert any(form in dump for form in encodings("2026-03"))
