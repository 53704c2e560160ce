"""A seized database and media folder reveal no officer identifier from incidents or
imported registers, before or after the import, nor the register file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vigil.accounts import actions as account_actions
from vigil.conftest import make_persona
from vigil.incidents import actions as incident_actions
from vigil.officers import actions, jobs
from vigil.vault import crypto
from vigil.vault.seizure import encodings, seized
from vigil.vocab.models import Term

NAME = "Зорянський Мирослав"
BADGE = "ЖТ-90817"
UNIT = "Батальйон Беркут-7"
PLANTED = (NAME, BADGE, UNIT, "ZHT90817", "90817")


@pytest.fixture
def planted(transactional_db: None, tmp_path: Path, settings: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    created = account_actions.create_organisation(
        None, name="Svitlo", slug="svitlo", country="UA", languages=["uk"]
    )
    org, private = created.organisation, created.private_key
    lawyer = make_persona(org, "lawyer", private, "lawyer").user
    index_key = crypto.blind_index_key(private)
    new = incident_actions.start_event(lawyer, org, country="UA", region="UA-30")
    victim = incident_actions.create_person(lawyer, org, index_key, pseudonym="L")
    act = incident_actions.add_act(
        lawyer, new.event, victim=victim, act_type=Term.objects.get(code="ACT.PHYS.BEATING")
    )
    incident_actions.add_perpetrator(
        lawyer,
        new.event,
        new.key,
        index_key,
        perpetrator_type=None,
        sealed={"name": NAME, "badge": BADGE, "unit": UNIT},
        acts=[act],
    )
    data = f"ПІБ;Жетон;Підрозділ;Рішення\r\n{NAME};{BADGE};{UNIT};підтверджено\r\n".encode("cp1251")
    register = actions.upload_register(lawyer, org, source_name="Ombudsman", data=data)
    return {"register": register, "private": private, "lawyer": lawyer, "index_key": index_key}


def assert_clean(dump: bytes) -> None:
    assert len(dump) > 10_000
    for text in PLANTED:
        for form in [*encodings(text), text.encode("cp1251")]:
            assert form not in dump, text


def test_it_keeps_officer_identifiers_out_of_a_seized_copy(planted: dict[str, Any]) -> None:
    assert_clean(seized())  # the uploaded register is sealed, not waiting in clear
    register = planted["register"]
    register_key = crypto.unseal(planted["private"], bytes(register.sealed_key))
    actions.queue_import(
        planted["lawyer"],
        register,
        mapping={"name": "ПІБ", "badge": "Жетон", "unit": "Підрозділ", "finding": "Рішення"},
        identity=["badge"],
        unknown_as_other=False,
        dry_run=False,
        register_key=register_key,
        index_key=planted["index_key"],
    )
    outcome = jobs.execute(register, register_key, planted["index_key"])
    assert outcome is not None and outcome.imported == 1
    dump = seized()
    assert_clean(dump)
    assert b"Ombudsman" in dump  # the source name is a clear field, as documented
