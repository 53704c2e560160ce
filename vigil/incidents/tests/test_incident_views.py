"""The incident page, qualification, sources and the person page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.cases import actions as case_actions
from vigil.cases import consent
from vigil.cases.models import ConsentPurpose
from vigil.conftest import World
from vigil.incidents import actions
from vigil.incidents.models import Event, Person, Source
from vigil.vault import crypto, keys, sealing
from vigil.vocab.models import Term


@dataclass
class Made:
    event: Event
    key: bytes
    victims: list[Person]


def term(code: str) -> Term:
    return Term.objects.get(code=code)


def make_event(
    world: World, role: str = "caseworker", *, acts: int = 1, title: str = "Затримання"
) -> Made:
    """An event written straight through the action functions, as the wizard would."""
    user = world[role].user
    private = keys.organisation_private_from_phrase(world.org, world.phrase)
    index_key = crypto.blind_index_key(private)
    created = actions.start_event(user, world.org, country="UA")
    actions.save_event(user, created.event, created.key, {"title": title}, region="UA-30")
    people = []
    for number in range(acts):
        victim = actions.create_person(
            user,
            world.org,
            index_key,
            pseudonym=f"Client {number + 1}",
            sealed={"legal_name": f"Ім'я {number + 1}"},
            characteristics=[term("CHAR.USES_DRUGS")],
        )
        consent.record_consent(user, victim, ConsentPurpose.STATISTICS, True)
        act = actions.add_act(
            user,
            created.event,
            victim=victim,
            act_type=term("ACT.PHYS.BEATING"),
            methods=[term("MTH.BURNS"), term("MTH.RESTRAINT")],
            consequences=[term("CONS.INJURY")],
            status_at_end=term("STAT.DETAINED"),
        )
        actions.add_perpetrator(
            user,
            created.event,
            created.key,
            index_key,
            perpetrator_type=term("PERP.POLICE.PATROL"),
            sealed={"badge": f"77-{number}"},
            acts=[act],
            degree=term("INV.DID_IT"),
        )
        actions.add_source(
            user,
            created.event,
            created.key,
            source_type=term("SRC.VICTIM"),
            reliability=term("REL.HIGH"),
            sealed={"name": f"джерело {number}"},
        )
        people.append(victim)
    return Made(created.event, created.key, people)


def detail_queries(client: Any, event: Event) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/incidents/{event.pk}/")
    assert response.status_code == 200
    return len(captured)


def test_it_shows_the_incident_in_a_bounded_number_of_queries(
    world: World, signed_in: Any, django_assert_max_num_queries: Any
) -> None:
    client = signed_in("lawyer")
    small = make_event(world, acts=2)
    large = make_event(world, acts=10)
    case_actions.open_case(world["caseworker"].user, large.victims[0], incidents=[large.event])
    detail_queries(client, small.event)  # warm caches (content types, sessions)
    assert detail_queries(client, small.event) == detail_queries(client, large.event)
    with django_assert_max_num_queries(33):  # incl. duplicate hints (a constant number)
        response = client.get(f"/incidents/{large.event.pk}/")
    page = response.content.decode()
    assert "77-9" in page and "Ім&#x27;я 10" in page


def test_it_shows_everything_opened_with_links_to_edit(world: World, signed_in: Any) -> None:
    made = make_event(world, acts=1, title="Обшук без понятих")
    opened_case = case_actions.open_case(
        world["caseworker"].user, made.victims[0], incidents=[made.event]
    )
    page = signed_in("caseworker").get(f"/incidents/{made.event.pk}/").content.decode()
    assert "Обшук без понятих" in page
    for text in ("77-0", "джерело 0", "Client 1", term("MTH.BURNS").label, opened_case.case.code):
        assert text in page
    for step in ("basics", "acts", "perpetrators", "victims", "consent"):
        assert f"/incidents/{made.event.pk}/wizard/{step}/" in page
    assert f"/people/{made.victims[0].pk}/" in page
    assert f"/incidents/{made.event.pk}/qualify/" not in page  # caseworkers do not qualify
    assert f"/incidents/{made.event.pk}/qualify/" in (
        signed_in("lawyer").get(f"/incidents/{made.event.pk}/").content.decode()
    )


def test_it_lets_a_lawyer_qualify_and_refuses_a_caseworker(world: World, signed_in: Any) -> None:
    made = make_event(world)
    likely = term("VST.LIKELY")
    url = f"/incidents/{made.event.pk}/qualify/"
    assert signed_in("caseworker").post(url, {"status": likely.pk}).status_code == 403
    made.event.refresh_from_db()
    assert made.event.violation_status is None
    lawyer = signed_in("lawyer")
    response = lawyer.post(url, {"status": likely.pk})
    assert response["Location"] == f"/incidents/{made.event.pk}/"
    made.event.refresh_from_db()
    assert made.event.violation_status == likely
    # A term of another list is refused beside the field.
    response = lawyer.post(url, {"status": term("REL.HIGH").pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    made.event.refresh_from_db()
    assert made.event.violation_status == likely
    assert lawyer.get(url).status_code == 405


def test_it_adds_a_sealed_source_and_keeps_typed_values_on_error(
    world: World, signed_in: Any
) -> None:
    made = make_event(world, acts=0)
    client = signed_in("caseworker")
    url = f"/incidents/{made.event.pk}/sources/"
    response = client.post(url, {"name": "Сусідка Галя", "notes": "бачила з вікна"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page and "Сусідка Галя" in page
    assert not Source.objects.filter(event=made.event).exists()
    response = client.post(
        url,
        {
            "source_type": term("SRC.WITNESS").pk,
            "reliability": term("REL.MEDIUM").pk,
            "name": "Сусідка Галя",
            "notes": "бачила з вікна",
        },
    )
    assert response["Location"] == f"/incidents/{made.event.pk}/"
    source = Source.objects.get(event=made.event)
    assert "Галя".encode() not in bytes(source.sealed or b"")
    assert sealing.open_json(made.key, source.sealed)["name"] == "Сусідка Галя"
    assert "Сусідка Галя" in client.get(f"/incidents/{made.event.pk}/").content.decode()


def test_it_shows_a_person_with_her_acts_across_incidents(world: World, signed_in: Any) -> None:
    first = make_event(world, title="Перший випадок")
    victim = first.victims[0]
    second = actions.start_event(world["lawyer"].user, world.org, country="UA")
    actions.add_act(
        world["lawyer"].user, second.event, victim=victim, act_type=term("ACT.EXT.BRIBE")
    )
    opened_case = case_actions.open_case(world["caseworker"].user, victim)
    page = signed_in("caseworker").get(f"/people/{victim.pk}/").content.decode()
    assert "Client 1" in page and "Ім&#x27;я 1" in page
    assert first.event.code in page and second.event.code in page
    assert "Перший випадок" in page
    assert term("ACT.EXT.BRIBE").label in page
    assert opened_case.case.code in page
    assert "Use in anonymised statistics" in page


def test_it_shows_a_hotline_operator_only_what_she_entered(world: World, signed_in: Any) -> None:
    theirs = make_event(world, "caseworker")
    hers = make_event(world, "hotline", title="Дзвінок уночі")
    her_case = case_actions.open_case(world["caseworker"].user, hers.victims[0], [hers.event])
    # A victim she recorded also suffered an act in someone else's incident.
    actions.add_act(
        world["caseworker"].user,
        theirs.event,
        victim=hers.victims[0],
        act_type=term("ACT.PSY.THREATS"),
    )
    client = signed_in("hotline")
    assert client.get(f"/incidents/{theirs.event.pk}/").status_code == 404
    assert client.get(f"/people/{theirs.victims[0].pk}/").status_code == 404
    page = client.get(f"/incidents/{hers.event.pk}/").content.decode()
    assert "Дзвінок уночі" in page
    assert "/qualify/" not in page and her_case.case.code not in page  # no case access
    person_page = client.get(f"/people/{hers.victims[0].pk}/").content.decode()
    assert hers.event.code in person_page
    assert theirs.event.code not in person_page
    drafts = client.get("/incidents/new/").content.decode()
    assert "Дзвінок уночі" in drafts and "Затримання" not in drafts


def test_it_explains_a_locked_vault_instead_of_showing_sealed_data(
    world: World, signed_in: Any
) -> None:
    made = make_event(world)
    client = signed_in("caseworker")
    client.cookies.pop(settings.VAULT_COOKIE_NAME)
    response = client.get(f"/incidents/{made.event.pk}/")
    assert response.status_code == 403
    assert "Затримання" not in response.content.decode()


def test_it_lists_a_shredded_draft_without_failing(world: World, signed_in: Any) -> None:
    made = make_event(world, title="Знищено")
    actions.shred_event(world["caseworker"].user, made.event)
    client = signed_in("caseworker")
    page = client.get("/incidents/new/")
    assert page.status_code == 200
    assert made.event.code in page.content.decode()
    assert client.get(f"/incidents/{made.event.pk}/").status_code == 410
