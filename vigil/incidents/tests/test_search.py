"""Blind-index search (POST only, exact match, own organisation) and duplicate hints."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.template.loader import render_to_string
from django.test import Client

from vigil.cases import consent
from vigil.cases.models import ConsentPurpose
from vigil.conftest import World
from vigil.incidents.duplicates import possible_duplicates
from vigil.incidents.models import Event
from vigil.incidents.tests.test_lists import Maker, Perp
from vigil.vault import keys

OLENA = "Olena Petrenko"


@pytest.fixture
def make(world: World) -> Maker:
    return Maker(world)


def search(client: Client, query: str) -> str:
    response = client.post("/search/", {"q": query})
    assert response.status_code == 200
    body: str = response.content.decode()
    return body.split('id="victims-heading"', 1)[-1] if "victims-heading" in body else ""


# --- search ---------------------------------------------------------------------------------


def test_it_finds_a_victim_by_exact_name_whatever_the_case_and_spacing(
    make: Maker, signed_in: Callable[..., Client]
) -> None:
    victim = make.person(name=OLENA)
    event = make("Found by name", victim=victim)
    results = search(signed_in("caseworker"), "  olena   PETRENKO ")
    assert "Lark" in results and event.code in results and "Found by name" in results
    assert "victim&#x27;s name" in results or "victim's name" in results


def test_it_does_not_match_a_prefix_or_a_part(
    make: Maker, signed_in: Callable[..., Client]
) -> None:
    make("Hidden", victim=make.person(name=OLENA, phone="+380 67 123 45 67"))
    client = signed_in("caseworker")
    for query in ("Olena", "Olena Petr", "Petrenko", "+380 67 123", "123 45 67"):
        results = search(client, query)
        assert "Hidden" not in results, query
        assert "No victim matches." in results and "No incident matches." in results


def test_it_does_not_find_a_same_named_victim_of_another_organisation(
    make: Maker, signed_in: Callable[..., Client]
) -> None:
    make("Ours", victim=make.person(name=OLENA))
    make("Theirs", other=True, region="KZ-75", victim=make.person(other=True, name=OLENA))
    ours = search(signed_in("caseworker"), OLENA)
    assert "Ours" in ours and "Theirs" not in ours
    theirs = search(signed_in("coordinator", other=True), OLENA)
    assert "Theirs" in theirs and "Ours" not in theirs


def test_it_finds_a_phone_typed_in_national_or_international_form(
    make: Maker, signed_in: Callable[..., Client]
) -> None:
    make("By phone", victim=make.person(phone="+380 67 123 45 67"))
    client = signed_in("caseworker")
    for query in ("+380671234567", "067 123-45-67", "(067) 123 45 67"):
        assert "By phone" in search(client, query), query


def test_it_finds_incidents_by_badge_plate_and_perpetrator_name(
    make: Maker, signed_in: Callable[..., Client]
) -> None:
    perp = Perp(name="Ihor Sydorov", badge="0045123", plate="АА 1234 ВС", phone="+380501112233")
    make("By officer", perpetrators=[perp])
    make("Unrelated", perpetrators=[Perp(badge="0045124")])
    client = signed_in("caseworker")
    for query, label in (
        ("0045123", "badge or service number"),
        ("aa1234bc", "vehicle plate"),  # Latin letters find a plate typed in Cyrillic
        ("IHOR SYDOROV", "perpetrator&#x27;s name"),
        ("0501112233", "perpetrator&#x27;s phone number"),
    ):
        results = search(client, query)
        assert "By officer" in results and label in results, query
        assert "Unrelated" not in results, query


def test_it_limits_a_hotline_operator_to_her_own_incidents(
    make: Maker, signed_in: Callable[..., Client]
) -> None:
    make("Hers", by="hotline", victim=make.person(by="hotline", name=OLENA))
    make("Not hers", victim=make.person(name=OLENA))
    results = search(signed_in("hotline"), OLENA)
    assert "Hers" in results and "Not hers" not in results


def test_it_takes_the_query_by_post_only(make: Maker, signed_in: Callable[..., Client]) -> None:
    make("Secret", victim=make.person(name=OLENA))
    client = signed_in("caseworker")
    page = client.get("/search/?q=Olena+Petrenko").content.decode()
    assert '<form method="post" action="/search/"' in page
    main = page.split('<main id="main">', 1)[1]
    assert "Secret" not in main and "Olena" not in main  # a GET query is ignored, not echoed
    response = client.post("/search/", {"q": OLENA})
    assert response.request["PATH_INFO"] == "/search/" and not response.request["QUERY_STRING"]
    assert "no-store" in response["Cache-Control"]


def test_it_refuses_a_search_without_the_csrf_token(signed_in: Callable[..., Client]) -> None:
    client = signed_in("caseworker")
    client.handler.enforce_csrf_checks = True
    assert client.post("/search/", {"q": OLENA}).status_code == 403
    client.get("/search/")  # the form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/search/", {"q": OLENA, "csrfmiddlewaretoken": token})
    assert response.status_code == 200


def test_it_rejects_a_query_with_nothing_to_match(signed_in: Callable[..., Client]) -> None:
    body = signed_in("caseworker").post("/search/", {"q": " -- . "}).content.decode()
    assert "Enter letters or digits to search for." in body


# --- duplicate hints -----------------------------------------------------------------------


def test_it_hints_at_incidents_sharing_a_victim_name_or_phone_within_the_organisation(
    make: Maker,
) -> None:
    first = make("First", victim=make.person(name=OLENA, phone="+380671234567"))
    same_name = make("Same name", victim=make.person(name="olena  petrenko"))
    same_phone = make("Same phone", victim=make.person(phone="+380 67 123 45 67"))
    make("Other org", other=True, region="KZ-75", victim=make.person(other=True, name=OLENA))
    make("Unrelated", victim=make.person(name="Iryna Koval"))
    hints = {h.event.pk: h for h in possible_duplicates(first)}
    assert set(hints) == {same_name.pk, same_phone.pk}
    assert hints[same_name.pk].reasons == {"victim_name"}
    assert hints[same_phone.pk].reasons == {"victim_phone"}
    back = possible_duplicates(same_name)
    assert [h.event.pk for h in back] == [first.pk]


def test_it_hints_at_incidents_of_the_same_victim(make: Maker) -> None:
    victim = make.person()
    first = make("First", victim=victim)
    again = make("Again", victim=victim)
    [hint] = possible_duplicates(first)
    assert hint.event == again and hint.reasons == {"same_victim"}


def test_it_hints_at_a_shared_badge_only_with_matching_consent_on_both_sides(
    world: World, make: Maker
) -> None:
    user = world["caseworker"].user
    badge = [Perp(badge="0045123", plate="AA1234BC")]
    mine = make("Mine", perpetrators=badge)
    theirs = make("Theirs", perpetrators=badge)
    my_victim, their_victim = (e.acts.all()[0].victim for e in (mine, theirs))
    assert possible_duplicates(mine) == []
    consent.record_consent(user, my_victim, ConsentPurpose.MATCHING, True)
    assert possible_duplicates(mine) == []  # the other victim has not agreed
    consent.record_consent(user, their_victim, ConsentPurpose.MATCHING, True)
    [hint] = possible_duplicates(mine)
    assert hint.event == theirs
    assert hint.reasons == {"perpetrator_badge", "perpetrator_plate"}
    consent.record_consent(user, my_victim, ConsentPurpose.MATCHING, False)  # withdrawn
    assert possible_duplicates(mine) == []


def test_it_never_hints_across_organisations(world: World, make: Maker) -> None:
    badge = [Perp(badge="0045123")]
    mine = make("Mine", perpetrators=badge, victim=make.person(name=OLENA))
    theirs = make(
        "Theirs",
        other=True,
        region="KZ-75",
        perpetrators=badge,
        victim=make.person(other=True, name=OLENA),
    )
    consent.record_consent(
        world["caseworker"].user, mine.acts.all()[0].victim, ConsentPurpose.MATCHING, True
    )
    consent.record_consent(
        world.others["caseworker"].user, theirs.acts.all()[0].victim, ConsentPurpose.MATCHING, True
    )
    assert possible_duplicates(mine) == [] and possible_duplicates(theirs) == []


def test_it_limits_hints_to_what_the_member_may_see(world: World, make: Maker) -> None:
    hers = make("Hers", by="hotline", victim=make.person(by="hotline", name=OLENA))
    make("Not hers", victim=make.person(name=OLENA))
    visible = Event.objects.filter(organisation=world.org, created_by=world["hotline"].user)
    assert possible_duplicates(hers, within=visible) == []
    assert len(possible_duplicates(hers)) == 1


def test_it_renders_the_duplicates_include(make: Maker) -> None:
    first = make("First", victim=make.person(name=OLENA))
    second = make("Second", victim=make.person(name=OLENA))
    html = render_to_string("incidents/_duplicates.html", {"hints": possible_duplicates(first)})
    assert second.code in html and "same victim name" in html
    assert OLENA not in html  # only the kind of match, never the value
    assert render_to_string("incidents/_duplicates.html", {"hints": []}).strip() == ""


def test_it_explains_a_locked_vault_instead_of_searching(
    world: World, signed_in: Callable[..., Client]
) -> None:
    keys.revoke(world["caseworker"].membership)
    response = signed_in("caseworker").post("/search/", {"q": OLENA})
    assert response.status_code == 403
    assert "Sealed data is locked" in response.content.decode()


def test_it_drops_a_perpetrator_hint_when_the_other_victim_withdraws(
    world: World, make: Maker
) -> None:
    user = world["caseworker"].user
    badge = [Perp(badge="0045123")]
    mine, theirs = make("Mine", perpetrators=badge), make("Theirs", perpetrators=badge)
    for event in (mine, theirs):
        consent.record_consent(user, event.acts.all()[0].victim, ConsentPurpose.MATCHING, True)
    assert [h.event for h in possible_duplicates(mine)] == [theirs]
    consent.record_consent(user, theirs.acts.all()[0].victim, ConsentPurpose.MATCHING, False)
    assert possible_duplicates(mine) == []
    consent.record_consent(user, theirs.acts.all()[0].victim, ConsentPurpose.MATCHING, True)
    assert [h.event for h in possible_duplicates(mine)] == [theirs]
