"""The police side: a referral with no identifying field, a card, and nothing after."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, reverse

from vigil.conftest import World
from vigil.mailtest import Inbox, body_of, smtp_server
from vigil.referrals import actions, urls
from vigil.referrals.actions import CODE_ALPHABET
from vigil.referrals.models import Programme, Referral
from vigil.referrals.tests.conftest import make_referral, police_post, submit

SITE = "https://vigil.example.org"
OWN_PAGES = {"police_new", "police_card", "police_figures"}


def field_names(html: str) -> set[str]:
    main = html[html.index("<main") :]
    found = set(re.findall(r'<(?:input|select|textarea)[^>]* name="([a-z_]+)"', main))
    return found - {"csrfmiddlewaretoken", "language", "next"}


def test_it_offers_no_field_for_a_name_or_identifier(
    world: World, programme: Programme, signed_in: Any
) -> None:
    client = signed_in("police_liaison")
    html = client.get("/referrals/police/new/").content.decode()
    assert field_names(html) == {
        "programme",
        "route",
        "referred_on",
        "referred_hour",
        "region",
        "district",
        "reasons",
        "contact_agreed",
    }


def test_it_ignores_a_name_smuggled_into_the_post(
    world: World, programme: Programme, signed_in: Any
) -> None:
    client = signed_in("police_liaison")
    referral = submit(client, programme, name="Olena Petrenko", phone="+380671234567")
    assert referral.sealed is not None
    assert "Olena" not in str(Referral.objects.filter(pk=referral.pk).values().get())


def test_it_gives_a_random_code_on_a_card_that_says_only_received(
    world: World, programme: Programme, signed_in: Any
) -> None:
    client = signed_in("police_liaison")
    referral = submit(client, programme)
    assert len(referral.code) == 8 and set(referral.code) <= set(CODE_ALPHABET)
    page = client.get("/referrals/police/received/").content.decode()
    assert f"{referral.code[:4]} {referral.code[4:]}" in page
    assert f"/referrals/{referral.pk}/" not in page
    second = submit(client, programme)
    assert second.code != referral.code
    assert referral.created_by == world["police_liaison"].user
    assert referral.district == "Podil" and referral.reasons == ["possession"]


def test_it_refuses_a_route_the_programme_does_not_accept(
    world: World, programme: Programme, signed_in: Any
) -> None:
    programme.routes = ["custody"]
    programme.save()
    client = signed_in("police_liaison")
    response = client.post(
        "/referrals/police/new/", {"programme": programme.pk, **police_post(route="arrest")}
    )
    assert response.status_code == 200
    assert not Referral.objects.exists()


def test_it_refuses_a_liaison_who_is_not_a_referrer_of_the_programme(
    world: World, programme: Programme, signed_in: Any
) -> None:
    programme.referrers.clear()
    client = signed_in("police_liaison")
    response = client.get("/referrals/police/new/")
    assert "not part of any diversion programme running today" in response.content.decode()
    client.post("/referrals/police/new/", {"programme": programme.pk, **police_post()})
    assert not Referral.objects.exists()


def _every_referral_url(referral: Referral, case_pk: int) -> Iterator[tuple[str, str]]:
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        name = str(pattern.name)
        if name in OWN_PAGES:
            continue
        arg = case_pk if name == "from_case" else referral.pk
        kwargs = {"pk": arg} if "<int:pk>" in str(pattern.pattern) else {}
        yield name, reverse(f"referrals:{name}", kwargs=kwargs)


def test_it_answers_403_to_the_police_on_every_url_but_her_own(
    world: World, programme: Programme, signed_in: Any
) -> None:
    client = signed_in("police_liaison")
    referral = submit(client, programme)
    worker = world["referral"].user
    actions.claim(acting_user=worker, referral=referral)
    actions.record_arrival(acting_user=worker, referral=referral)
    checked = 0
    for name, url in _every_referral_url(referral, case_pk=1):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (403, 405), (name, method, response.status_code)
            if response.status_code == 403:
                checked += 1
        assert referral.code not in client.get(url).content.decode()
    assert checked >= len(urls.urlpatterns) - len(OWN_PAGES)
    card = client.get("/referrals/police/received/").content.decode()
    for later in ("Claimed", "arrived", "Admitted", "Assessed", "Contacted"):
        assert later not in card


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    settings.SITE_URL = SITE
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with smtp_server(settings) as handler:
        yield handler


def test_it_emails_the_on_call_worker_a_link_only(
    world: World, programme: Programme, signed_in: Any, inbox: Inbox
) -> None:
    from vigil.accounts.models import User

    User.objects.filter(pk=world["referral"].user.pk).update(email="oncall@example.org")
    client = signed_in("police_liaison")
    referral = submit(client, programme, district="Obolon")
    (message,) = inbox.to("oncall@example.org")
    text = message.as_string() + body_of(message)
    assert f"{SITE}/referrals/" in body_of(message)
    for detail in (referral.code, "Obolon", "possession", "UA-30"):
        assert detail not in text, detail
    assert len(inbox.received) == 1  # nobody else was told


def test_it_falls_back_to_every_referral_worker_without_an_on_call(
    world: World, programme: Programme, inbox: Inbox
) -> None:
    from vigil.accounts.models import User
    from vigil.referrals.tasks import notify_on_call

    programme.on_call = None
    programme.save()
    User.objects.filter(pk=world["referral"].user.pk).update(email="rw@example.org")
    User.objects.filter(pk=world.others["referral"].user.pk).update(email="other@example.org")
    referral = make_referral(world, programme)
    assert notify_on_call.enqueue(referral.pk).return_value == 1
    assert inbox.to("rw@example.org") and not inbox.to("other@example.org")
