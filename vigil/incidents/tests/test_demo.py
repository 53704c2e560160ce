"""The demo incident generator and its management command."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from vigil.accounts.demo import create_demo
from vigil.accounts.models import Organisation
from vigil.audit.models import AuditEvent
from vigil.cases.models import Case, Consent, StatusChange, Task
from vigil.conftest import World
from vigil.incidents import actions
from vigil.incidents.demo import create_incidents
from vigil.incidents.models import Act, Event, Perpetrator, Person
from vigil.vault import crypto, keys


@pytest.fixture
def private(world: World) -> bytes:
    return keys.organisation_private_from_phrase(world.org, world.phrase)


def opened(private: bytes, record: Event | Person | Case) -> dict:
    key = crypto.unseal(private, bytes(record.sealed_key or b""))
    return crypto.decrypt_json(key, bytes(record.sealed or b""))


def test_it_creates_n_incidents_with_victims_acts_and_sealed_titles(
    world: World, private: bytes
) -> None:
    calls: list[tuple[int, int]] = []
    result = create_incidents(
        world.org, private, 30, lambda done, total: calls.append((done, total)), batch_size=12
    )
    events = Event.objects.filter(organisation=world.org)
    assert result.events == 30 and events.count() == 30
    assert calls == [(12, 30), (24, 30), (30, 30)]
    assert sorted(events.values_list("number", flat=True)) == list(range(1, 31))
    for event in events:
        assert event.acts.exists()
        data = opened(private, event)
        assert data["title"] and data["narrative"]
        assert event.region.startswith("UA-") and event.place_type.list == "place_type"
    assert all(act.act_type.list == "act_type" for act in Act.objects.select_related("act_type"))
    latin = {opened(private, event)["title"][:1].isascii() for event in events}
    assert False in latin  # Svitlo works in Ukrainian and Russian: Cyrillic titles
    victims = Person.objects.filter(organisation=world.org)
    assert victims.exists() and Consent.objects.filter(person__in=victims).exists()
    [audit] = AuditEvent.objects.filter(action="demo.generate")
    assert audit.data == {"count": 30} and audit.organisation_id == world.org.pk


def test_it_indexes_identifiers_with_the_organisation_key(world: World, private: bytes) -> None:
    create_incidents(world.org, private, 40, seed=3)
    index_key = crypto.blind_index_key(private)
    checked = 0
    for person in Person.objects.filter(organisation=world.org).exclude(name_bidx=""):
        name = opened(private, person)["legal_name"]
        assert person.name_bidx == crypto.blind_index(index_key, "name", name)
        checked += 1
    for perpetrator in Perpetrator.objects.filter(event__organisation=world.org):
        values = crypto.decrypt_json(
            crypto.unseal(private, bytes(perpetrator.event.sealed_key or b"")),
            bytes(perpetrator.sealed or b""),
        )
        assert perpetrator.badge_bidx == crypto.blind_index(index_key, "badge", values["badge"])
        assert perpetrator.plate_bidx == crypto.blind_index(index_key, "plate", values["plate"])
        checked += 1
    assert checked > 40


def test_it_creates_cases_with_status_history_and_historic_dates(
    world: World, private: bytes
) -> None:
    create_incidents(world.org, private, 60, seed=7)
    cases = Case.objects.filter(organisation=world.org)
    assert cases.count() > 5
    assert sorted(cases.values_list("number", flat=True)) == list(range(1, cases.count() + 1))
    for case in cases:
        history = list(StatusChange.objects.filter(case=case).order_by("at", "pk"))
        assert history[0].from_status == "" and history[-1].to_status == case.status
        assert case.assignees.exists() and case.incidents.count() == 1
        assert "plan" in opened(private, case)
    assert Task.objects.filter(case__in=cases).exists()
    assert len({e.created_at.date() for e in Event.objects.all()}) > 20  # not all "now"


def test_it_continues_the_numbering_after_existing_incidents(world: World, private: bytes) -> None:
    actions.start_event(world["caseworker"].user, world.org)
    create_incidents(world.org, private, 3)
    numbers = sorted(Event.objects.filter(organisation=world.org).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]


def test_it_shares_one_data_key_per_batch_unless_asked_for_fresh_keys(
    world: World, private: bytes
) -> None:
    create_incidents(world.org, private, 6, batch_size=3)
    shared = Event.objects.filter(number__lte=6)
    assert shared.values("sealed_key").distinct().count() == 2
    create_incidents(world.org, private, 6, batch_size=3, fresh_keys=True)
    fresh = Event.objects.filter(number__gt=6)
    assert fresh.values("sealed_key").distinct().count() == 6


def test_it_refuses_a_key_of_another_organisation(world: World) -> None:
    other = keys.organisation_private_from_phrase(world.other_org, world.other_phrase)
    with pytest.raises(ValueError, match="does not belong"):
        create_incidents(world.org, other, 1)
    assert not Event.objects.exists()


def test_it_produces_data_the_lists_show(
    world: World, private: bytes, signed_in: Callable[..., Client]
) -> None:
    create_incidents(world.org, private, 30, seed=11)
    client = signed_in("caseworker")
    body = client.get("/incidents/").content.decode()
    assert body.count("<tr>") == 26 and "E-00030" in body and "sealed" not in body
    assert client.get("/cases/?status=active").status_code == 200


def test_the_command_unlocks_with_the_recovery_phrase(world: World) -> None:
    out = io.StringIO()
    call_command(
        "demo_incidents",
        org="svitlo",
        incidents=5,
        phrase=world.phrase,
        force=True,
        stdout=out,
    )
    assert Event.objects.filter(organisation=world.org).count() == 5
    assert "5 / 5 incidents" in out.getvalue() and "incidents/s" in out.getvalue()
    with pytest.raises(CommandError, match="recovery phrase"):
        call_command(
            "demo_incidents", org="svitlo", incidents=1, phrase=world.other_phrase, force=True
        )
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_incidents", org="svitlo", incidents=1, phrase=world.phrase)


@pytest.mark.django_db
def test_the_command_unlocks_a_demo_organisation_with_the_demo_password() -> None:
    create_demo()
    out = io.StringIO()
    call_command("demo_incidents", org="dostyk", incidents=4, demo=True, force=True, stdout=out)
    dostyk = Organisation.objects.get(slug="dostyk")
    assert Event.objects.filter(organisation=dostyk).count() == 4
    assert all(code.startswith("KZ-") for code in Event.objects.values_list("region", flat=True))
    with pytest.raises(CommandError, match="no organisation"):
        call_command("demo_incidents", org="nowhere", incidents=1, demo=True, force=True)
