"""Rebuilding blind indexes after the normalisation changed: command and settings page."""

from __future__ import annotations

import io
import sys
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from vigil.audit.models import AuditEvent
from vigil.conftest import PASSWORD, World
from vigil.incidents.models import Perpetrator, Person
from vigil.officers.tests.helpers import incident
from vigil.vault import crypto

OFFICER = {"badge": "АВ 4471", "phone": "067 123 4567", "name": "Гаврилюк Петро"}


def make_stale(world: World) -> Perpetrator:
    """Rows indexed before: as if by the old digits-only, no-transliteration rules."""
    incident(world, [OFFICER])
    Perpetrator.objects.update(badge_bidx="0" * 32, phone_bidx="1" * 32, name_bidx="2" * 32)
    Person.objects.update(name_bidx="3" * 32)
    return Perpetrator.objects.get()


def expected(world: World) -> dict[str, str]:
    key = crypto.blind_index_key(world.org_private)
    return {
        "badge_bidx": crypto.blind_index(key, "badge", "AB4471"),
        "phone_bidx": crypto.blind_index(key, "phone", "+380671234567"),
        "name_bidx": crypto.blind_index(key, "name", "Havryliuk Petro"),
    }


def test_it_rebuilds_indexes_with_the_recovery_phrase(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_stale(world)
    monkeypatch.setattr(sys, "stdin", io.StringIO(world.phrase + "\n"))
    out = io.StringIO()
    call_command("reindex_blind", "--organisation=svitlo", stdout=out)
    row = Perpetrator.objects.values("badge_bidx", "phone_bidx", "name_bidx").get()
    assert row == expected(world)
    assert Person.objects.get().name_bidx == ""  # no legal name: no index, never a stale one
    assert "perpetrators: 1/1 (100 %)" in out.getvalue()
    event = AuditEvent.objects.filter(action="officer.reindex").get()
    assert event.data["perpetrators"] == 1 and event.data["via"] == "command"


def test_it_rebuilds_indexes_with_a_coordinators_password(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_stale(world)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    call_command(
        "reindex_blind", "--organisation=svitlo", "--user=a-coordinator", stdout=io.StringIO()
    )
    assert Perpetrator.objects.values("badge_bidx", "phone_bidx", "name_bidx").get() == expected(
        world
    )


def test_it_refuses_a_lawyer_and_a_wrong_phrase(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_stale(world)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    with pytest.raises(CommandError, match="not an active coordinator"):
        call_command("reindex_blind", "--organisation=svitlo", "--user=a-lawyer")
    monkeypatch.setattr(sys, "stdin", io.StringIO(world.other_phrase + "\n"))
    with pytest.raises(CommandError):
        call_command("reindex_blind", "--organisation=svitlo")
    assert Perpetrator.objects.get().badge_bidx == "0" * 32


def test_it_rebuilds_indexes_from_the_settings_page(world: World, signed_in: Any) -> None:
    make_stale(world)
    coordinator = signed_in("coordinator")
    assert "Rebuild now" in coordinator.get("/officers/settings/").content.decode()
    response = coordinator.post("/officers/settings/reindex/")
    assert response.status_code == 302
    assert Perpetrator.objects.values("badge_bidx", "phone_bidx", "name_bidx").get() == expected(
        world
    )


def test_it_rebuilds_register_indexes_too(
    world: World, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any
) -> None:
    from vigil.officers import actions, jobs
    from vigil.officers.models import ExternalComplaint

    settings.MEDIA_ROOT = str(tmp_path)
    data = "ПІБ;Рік;Рішення\nIwanow Iwan;1980;sustained\nИванов Иван;1980;unfounded\n"
    register = actions.upload_register(
        world["lawyer"].user, world.org, source_name="x", data=data.encode()
    )
    key = crypto.unseal(world.org_private, bytes(register.sealed_key or b""))
    index_key = crypto.blind_index_key(world.org_private)
    actions.queue_import(
        None,
        register,
        mapping={"name": "ПІБ", "birth_year": "Рік", "finding": "Рішення"},
        identity=["name", "birth_year"],
        unknown_as_other=False,
        dry_run=False,
        register_key=key,
        index_key=index_key,
    )
    jobs.execute(register, key, index_key)
    before = list(ExternalComplaint.objects.values_list("identity_bidx", "name_bidx"))
    assert len({b for b, _n in before}) == 1  # Iwanow 1980 and Иванов 1980 are one officer
    ExternalComplaint.objects.update(identity_bidx="stale", name_bidx="stale")
    monkeypatch.setattr(sys, "stdin", io.StringIO(world.phrase + "\n"))
    call_command("reindex_blind", "--organisation=svitlo", stdout=io.StringIO())
    assert list(ExternalComplaint.objects.values_list("identity_bidx", "name_bidx")) == before
