"""The referral worker: queue with waiting time, claim, arrival, contact,
assessment, link to a person found by blind index, a case from a referral and
a referral from a case."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from vigil.audit.models import AuditEvent
from vigil.cases import actions as case_actions
from vigil.cases.models import Case
from vigil.conftest import World
from vigil.incidents import actions as incident_actions
from vigil.incidents.models import Person
from vigil.referrals.models import Programme, Referral
from vigil.referrals.tests.conftest import make_referral
from vigil.vault import crypto, sealing


def test_it_lists_new_referrals_oldest_first_with_their_waiting_time(
    world: World, programme: Programme, signed_in: Any
) -> None:
    old = make_referral(world, programme)
    Referral.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=95)
    )
    new = make_referral(world, programme)
    page = signed_in("referral").get("/referrals/").content.decode()
    assert page.index(old.code) < page.index(new.code)
    assert "waiting 95 minutes" in page
    assert "waiting 0 minutes" in page


def test_it_claims_once_and_leaves_the_new_list(
    world: World, programme: Programme, signed_in: Any
) -> None:
    referral = make_referral(world, programme)
    client = signed_in("referral")
    assert client.post(f"/referrals/{referral.pk}/claim/").status_code == 302
    referral.refresh_from_db()
    assert referral.claimed_by == world["referral"].user
    coordinator = signed_in("coordinator")
    coordinator.post(f"/referrals/{referral.pk}/claim/")  # already claimed: refused
    referral.refresh_from_db()
    assert referral.claimed_by == world["referral"].user
    page = client.get("/referrals/").content.decode()
    new_list = page[page.index("New referrals") : page.index("My referrals")]
    assert referral.code not in new_list
    assert referral.code in page[page.index("My referrals") :]


def test_it_records_arrival_time_contact_and_assessment(
    world: World, programme: Programme, signed_in: Any
) -> None:
    referral = make_referral(world, programme)
    Referral.objects.filter(pk=referral.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=42)
    )
    client = signed_in("referral")
    client.post(f"/referrals/{referral.pk}/assessment/", {"needs": ["ost"]})
    referral.refresh_from_db()
    assert referral.assessed_at is None  # not before the first contact
    client.post(f"/referrals/{referral.pk}/arrival/")
    client.post(f"/referrals/{referral.pk}/contact/")
    response = client.post(
        f"/referrals/{referral.pk}/assessment/",
        {"needs": ["ost", "testing", "children"], "notes": "Needs methadone tonight"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.claimed_by == world["referral"].user  # arrival claims it too
    assert referral.needs == ["children", "ost", "testing"]
    assert referral.contacted_at and referral.assessed_at
    event = AuditEvent.objects.filter(action="referral.arrival").get()
    assert event.data["minutes"] == 42
    assert b"methadone" not in bytes(referral.sealed or b"")
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Needs methadone tonight" in page
    assert "42 minutes" in page


def _existing_client(world: World, name: str, phone: str) -> Person:
    index_key = crypto.blind_index_key(world.org_private)
    return incident_actions.create_person(
        world["caseworker"].user,
        world.org,
        index_key,
        pseudonym="Lilac",
        sealed={"legal_name": name, "phone": phone},
    )


def test_it_links_an_existing_client_found_by_blind_index(
    world: World, programme: Programme, signed_in: Any
) -> None:
    person = _existing_client(world, "Oksana Kovalchuk", "+380 67 123 45 67")
    _existing_client(world, "Someone Else", "+380 50 000 00 00")
    referral = make_referral(world, programme)
    client = signed_in("referral")
    page = client.post(
        f"/referrals/{referral.pk}/person/find/", {"q": "oksana  KOVALCHUK"}
    ).content.decode()
    assert "Lilac" in page and page.count('name="person"') == 1
    by_phone = client.post(f"/referrals/{referral.pk}/person/find/", {"q": "067 123 45 67"})
    assert by_phone.content.decode().count('name="person"') == 1
    nothing = client.post(f"/referrals/{referral.pk}/person/find/", {"q": "Oksana"})
    assert 'name="person"' not in nothing.content.decode()
    client.post(f"/referrals/{referral.pk}/person/link/", {"person": person.pk})
    referral.refresh_from_db()
    assert referral.linked
    key = crypto.unseal(world.org_private, bytes(referral.sealed_key or b""))
    assert sealing.open_json(key, referral.sealed)["person"] == person.pk
    assert b"person" not in bytes(referral.sealed or b"")  # the link itself is sealed
    assert "Oksana Kovalchuk" in client.get(f"/referrals/{referral.pk}/").content.decode()


def test_it_refuses_a_person_of_another_organisation(
    world: World, programme: Programme, signed_in: Any
) -> None:
    stranger = incident_actions.create_person(
        world.others["caseworker"].user, world.other_org, None, pseudonym="Far"
    )
    referral = make_referral(world, programme)
    response = signed_in("referral").post(
        f"/referrals/{referral.pk}/person/link/", {"person": stranger.pk}
    )
    assert response.status_code == 404
    referral.refresh_from_db()
    assert not referral.linked


def test_it_creates_a_sealed_client_and_opens_a_case_from_the_referral(
    world: World, programme: Programme, signed_in: Any
) -> None:
    referral = make_referral(world, programme)
    client = signed_in("referral")
    assert client.post(f"/referrals/{referral.pk}/case/").status_code == 302
    assert not Case.objects.exists()  # no person linked yet
    client.post(
        f"/referrals/{referral.pk}/person/new/",
        {"pseudonym": "Rowan", "legal_name": "Iryna Bondar", "phone": "+380991112233"},
    )
    person = Person.objects.get(pseudonym="Rowan")
    assert person.name_bidx == crypto.blind_index(
        crypto.blind_index_key(world.org_private), "name", "Iryna Bondar"
    )
    client.post(f"/referrals/{referral.pk}/case/")
    case = Case.objects.get()
    assert case.client == person and case.organisation == world.org
    client.post(f"/referrals/{referral.pk}/case/")
    assert Case.objects.count() == 1  # not twice
    assert case.code in client.get(f"/referrals/{referral.pk}/").content.decode()


def test_it_starts_a_referral_from_a_case_already_linked_to_its_client(
    world: World, programme: Programme, signed_in: Any
) -> None:
    person = _existing_client(world, "Maria", "")
    case = case_actions.open_case(world["caseworker"].user, person).case
    client = signed_in("caseworker")
    assert f"/cases/{case.pk}/referral/" in client.get(f"/cases/{case.pk}/").content.decode()
    response = client.post(
        f"/cases/{case.pk}/referral/",
        {
            "programme": programme.pk,
            "route": "community",
            "region": "UA-30",
            "district": "Troieshchyna",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.route == "community" and referral.linked
    key = crypto.unseal(world.org_private, bytes(referral.sealed_key or b""))
    assert sealing.open_json(key, referral.sealed) == {"person": person.pk, "case": case.pk}
    page = signed_in("referral").get(f"/referrals/{referral.pk}/").content.decode()
    assert "Lilac" in page and case.code in page


def test_it_finds_a_referral_by_the_code_on_the_card(
    world: World, programme: Programme, signed_in: Any
) -> None:
    referral = make_referral(world, programme)
    client = signed_in("referral")
    spaced = f"{referral.code[:4].lower()} {referral.code[4:]}"
    response = client.post("/referrals/code/", {"code": spaced})
    assert response["Location"] == f"/referrals/{referral.pk}/"
    assert client.post("/referrals/code/", {"code": "HJKM3467"})["Location"] == "/referrals/"
