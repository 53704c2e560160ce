"""The data-entry wizard, driven through plain form posts as a phone without JavaScript would."""

from __future__ import annotations

import datetime
import os
import shutil
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from playwright.sync_api import sync_playwright

from vigil.audit.models import AuditEvent
from vigil.cases.models import Consent, ConsentPurpose
from vigil.conftest import PASSWORD, World, current_code
from vigil.incidents.models import (
    Event,
    EventStatus,
    Involvement,
    Perpetrator,
    Person,
    SourceChannel,
)
from vigil.vault import crypto, keys, sealing
from vigil.vocab.models import Term

TITLE = "Побиття біля аптеки на Подолі"
BADGE = "АВ 4471"


def term(code: str) -> int:
    return Term.objects.get(code=code).pk


def org_private(world: World) -> bytes:
    return keys.organisation_private_from_phrase(world.org, world.phrase)


def opened(world: World, record: Any) -> dict[str, Any]:
    key = crypto.unseal(org_private(world), bytes(record.sealed_key or b""))
    return sealing.open_json(key, record.sealed, {})


def start(client: Client) -> Event:
    response = client.post("/incidents/new/", {"source_channel": SourceChannel.OUTREACH})
    assert response.status_code == 302
    event = Event.objects.latest("pk")
    assert response["Location"] == f"/incidents/{event.pk}/wizard/basics/"
    return event


def basics_data(**overrides: str) -> dict[str, str]:
    data = {
        "title": TITLE,
        "start_date": "2025-03-14",
        "start_precision": "exact",
        "end_date": "",
        "region": "UA-30",
        "city": "Київ",
        "place_type": str(term("PLACE.STREET")),
        "place_detail": "вул. Сагайдачного",
        "source_channel": SourceChannel.OUTREACH,
        "summary": "Зупинили, обшукали, вдарили.",
        "narrative": "Вона розповіла, що двоє патрульних …",
        "nav": "next",
    }
    data.update(overrides)
    return data


def url(event: Event, step: str) -> str:
    return f"/incidents/{event.pk}/wizard/{step}/"


def test_it_records_a_whole_incident_through_plain_posts(world: World, signed_in: Any) -> None:
    client = signed_in("caseworker")
    assert client.get("/incidents/new/").status_code == 200
    event = start(client)
    assert event.status == EventStatus.DRAFT
    assert event.country == "UA"

    response = client.post(url(event, "basics"), basics_data())
    assert response["Location"] == url(event, "acts")

    # First act: a new victim with a chosen pseudonym; "add" returns to the same step.
    response = client.post(
        url(event, "acts"),
        {
            "victim": "new",
            "new_pseudonym": "Оля",
            "act_type": term("ACT.PHYS.BEATING"),
            "methods": [term("MTH.BEATING.HANDS_FEET"), term("MTH.RESTRAINT")],
            "consequences": [term("CONS.INJURY")],
            "status_at_end": term("STAT.RELEASED"),
            "action": "add",
        },
    )
    assert response["Location"] == url(event, "acts")
    victim = Person.objects.get(acts__event=event)
    assert victim.pseudonym == "Оля"
    page = client.get(url(event, "acts")).content.decode()
    assert "Оля" in page and "Step 2 of 7" in page

    # Second act for the same victim, then continue.
    response = client.post(
        url(event, "acts"),
        {"victim": str(victim.pk), "act_type": term("ACT.EXT.BRIBE"), "nav": "next"},
    )
    assert response["Location"] == url(event, "perpetrators")
    acts = list(event.acts.order_by("pk"))
    assert [a.act_type.code for a in acts] == ["ACT.PHYS.BEATING", "ACT.EXT.BRIBE"]
    assert {t.code for t in acts[0].methods.all()} == {"MTH.BEATING.HANDS_FEET", "MTH.RESTRAINT"}

    response = client.post(
        url(event, "perpetrators"),
        {
            "perpetrator_type": term("PERP.POLICE.PATROL"),
            "name": "Сержант Коваль",
            "badge": BADGE,
            "plate": "AA 1234 KI",
            "acts": [str(a.pk) for a in acts],
            "degree": term("INV.DID_IT"),
            "nav": "next",
        },
    )
    assert response["Location"] == url(event, "victims")
    perpetrator = Perpetrator.objects.get(event=event)
    assert Involvement.objects.filter(perpetrator=perpetrator).count() == 2

    prefix = f"v{victim.pk}-"
    response = client.post(
        url(event, "victims"),
        {
            prefix + "pseudonym": "Оля",
            prefix + "legal_name": "Ольга Петренко",
            prefix + "phone": "+380 67 123 45 67",
            prefix + "address": "",
            prefix + "contact_notes": "Лише після 18:00",
            prefix + "sex": "f",
            prefix + "age_band": "25-34",
            prefix + "characteristics": [term("CHAR.USES_DRUGS")],
            prefix + "primary_group": term("CHAR.OST_CLIENT"),
            "nav": "next",
        },
    )
    assert response["Location"] == url(event, "evidence")
    victim.refresh_from_db()
    assert victim.age_band == "25-34"
    # The main group is added to her characteristics.
    assert {t.code for t in victim.characteristics.all()} == {"CHAR.USES_DRUGS", "CHAR.OST_CLIENT"}
    assert opened(world, victim)["legal_name"] == "Ольга Петренко"

    assert client.post(url(event, "evidence"), {"nav": "next"})["Location"] == url(event, "consent")
    cprefix = f"c{victim.pk}-"
    response = client.post(
        url(event, "consent"),
        {cprefix + "statistics": "given", cprefix + "follow_up": "given", "nav": "next"},
    )
    assert response["Location"] == url(event, "review")
    granted = {c.purpose for c in Consent.objects.filter(person=victim, granted=True)}
    assert granted == {ConsentPurpose.STATISTICS, ConsentPurpose.FOLLOW_UP}
    assert Consent.objects.filter(person=victim).count() == 2  # never asked stays not asked

    review = client.get(url(event, "review")).content.decode()
    assert TITLE in review and "Ольга Петренко" in review and "Сержант Коваль" in review
    assert "Missing so far" not in review

    response = client.post(url(event, "review"), {"action": "finish"})
    assert response["Location"] == f"/incidents/{event.pk}/"
    event.refresh_from_db()
    assert event.status == EventStatus.RECORDED
    assert event.stats_consent is True
    detail = client.get(f"/incidents/{event.pk}/").content.decode()
    for text in (TITLE, BADGE, "Ольга Петренко", "Лише після 18:00", "вул. Сагайдачного"):
        assert text in detail


def test_it_keeps_a_draft_after_an_interrupted_step(world: World, signed_in: Any) -> None:
    first = signed_in("caseworker")
    event = start(first)
    first.post(url(event, "basics"), basics_data())
    event.refresh_from_db()
    assert event.wizard_step == "acts"
    # The connection drops; later she signs in again on another phone.
    second = signed_in("caseworker")
    page = second.get("/incidents/new/").content.decode()
    assert TITLE in page
    assert f"/incidents/{event.pk}/wizard/" in page
    response = second.get(f"/incidents/{event.pk}/wizard/")
    assert response["Location"] == url(event, "acts")
    basics = second.get(url(event, "basics")).content.decode()
    assert 'value="2025-03-14"' in basics and TITLE in basics and "вул. Сагайдачного" in basics
    response = second.post(
        url(event, "acts"),
        {"victim": "new", "act_type": term("ACT.PSY.THREATS"), "nav": "next"},
    )
    assert response["Location"] == url(event, "perpetrators")
    assert event.acts.count() == 1
    assert Person.objects.get(acts__event=event).pseudonym.startswith("Client ")


def test_it_keeps_typed_values_and_shows_errors_on_invalid_input(
    world: World, signed_in: Any
) -> None:
    client = signed_in("caseworker")
    event = start(client)
    response = client.post(
        url(event, "basics"),
        basics_data(start_date="2025-03-14", end_date="2025-03-01", narrative="Свідки є"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The end date cannot be before the start date." in page
    assert 'class="field has-error"' in page
    assert TITLE in page and "Свідки є" in page and 'value="2025-03-01"' in page
    event.refresh_from_db()
    assert opened(world, event) == {}  # nothing half-saved
    assert event.wizard_step == "basics"

    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    page = client.post(url(event, "basics"), basics_data(start_date=future)).content.decode()
    assert "The date cannot be in the future." in page

    # An act with methods ticked but no act type: error, and the ticks stay.
    method = term("MTH.ELECTRIC")
    response = client.post(
        url(event, "acts"), {"victim": "new", "methods": [method], "action": "add"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    assert f'value="{method}" id="id_methods_' in page
    checked = page.split(f'value="{method}"')[1].split(">")[0]
    assert "checked" in checked
    assert event.acts.count() == 0
    assert Person.objects.filter(organisation=world.org).count() == 0


def test_it_never_stores_sealed_values_in_clear(world: World, signed_in: Any) -> None:
    client = signed_in("caseworker")
    event = start(client)
    client.post(url(event, "basics"), basics_data())
    event.refresh_from_db()
    stored = bytes(event.sealed or b"")
    for text in (TITLE, "Київ", "вул. Сагайдачного", "Подолі"):
        assert text.encode() not in stored
    assert opened(world, event)["title"] == TITLE  # it is there, sealed
    audit = "".join(str(a.__dict__) for a in AuditEvent.objects.all())
    assert TITLE not in audit
    assert TITLE in client.get(f"/incidents/{event.pk}/").content.decode()


def test_it_stores_the_badge_blind_index_and_seals_the_badge(world: World, signed_in: Any) -> None:
    client = signed_in("caseworker")
    event = start(client)
    client.post(url(event, "acts"), {"victim": "new", "act_type": term("ACT.DET.SEARCH")})
    response = client.post(
        url(event, "perpetrators"),
        {"badge": BADGE, "perpetrator_type": term("PERP.POLICE.DRUG"), "action": "add"},
    )
    assert response["Location"] == url(event, "perpetrators")
    perpetrator = Perpetrator.objects.get(event=event)
    index_key = crypto.blind_index_key(org_private(world))
    assert perpetrator.badge_bidx == crypto.blind_index(index_key, "badge", BADGE)
    # Normalised: typed on a Latin keyboard without the space, it still matches.
    assert perpetrator.badge_bidx == crypto.blind_index(index_key, "badge", "AB4471")
    assert BADGE.encode() not in bytes(perpetrator.sealed or b"")
    assert opened_event_value(world, event, perpetrator)["badge"] == BADGE


def opened_event_value(world: World, event: Event, perpetrator: Perpetrator) -> dict[str, Any]:
    key = crypto.unseal(org_private(world), bytes(event.sealed_key or b""))
    return sealing.open_json(key, perpetrator.sealed, {})


def test_it_refuses_an_empty_perpetrator(world: World, signed_in: Any) -> None:
    client = signed_in("caseworker")
    event = start(client)
    response = client.post(url(event, "perpetrators"), {"action": "add"})
    assert response.status_code == 200
    assert "give at least one detail" in response.content.decode()
    assert not Perpetrator.objects.filter(event=event).exists()
    # An untouched add form does not stop "Save and continue".
    response = client.post(url(event, "perpetrators"), {"nav": "next"})
    assert response["Location"] == url(event, "victims")


def test_it_removes_rows_of_its_own_event_only(world: World, signed_in: Any) -> None:
    client = signed_in("caseworker")
    event = start(client)
    other = start(client)
    client.post(url(event, "acts"), {"victim": "new", "act_type": term("ACT.DET.SEARCH")})
    client.post(url(event, "perpetrators"), {"name": "Невідомий", "action": "add"})
    act = event.acts.get()
    perpetrator = event.perpetrators.get()
    # Posting another event's rows to this event's step is a 404, nothing removed.
    assert client.post(url(other, "acts"), {"action": "remove", "act": act.pk}).status_code == 404
    assert client.post(url(other, "acts"), {"action": "remove", "act": "x"}).status_code == 404
    assert (
        client.post(
            url(other, "perpetrators"), {"action": "remove", "perpetrator": perpetrator.pk}
        ).status_code
        == 404
    )
    response = client.post(
        url(event, "perpetrators"), {"action": "remove", "perpetrator": perpetrator.pk}
    )
    assert response["Location"] == url(event, "perpetrators")
    response = client.post(url(event, "acts"), {"action": "remove", "act": act.pk})
    assert response["Location"] == url(event, "acts")
    assert not event.acts.exists() and not event.perpetrators.exists()


def test_it_records_consent_only_when_the_answer_changes(world: World, signed_in: Any) -> None:
    client = signed_in("caseworker")
    event = start(client)
    client.post(url(event, "acts"), {"victim": "new", "act_type": term("ACT.DET.SEARCH")})
    victim = Person.objects.get(acts__event=event)
    prefix = f"c{victim.pk}-"
    client.post(url(event, "consent"), {prefix + "alert": "given", "nav": "next"})
    client.post(url(event, "consent"), {prefix + "alert": "given", "nav": "next"})
    assert Consent.objects.filter(person=victim).count() == 1
    page = client.get(url(event, "consent")).content.decode()
    assert "Her answer: yes" in page and "Not asked yet" in page
    # Leaving a question untouched (not asked) records nothing; "refused" is a decision.
    client.post(url(event, "consent"), {"nav": "next"})
    assert Consent.objects.filter(person=victim).count() == 1
    client.post(
        url(event, "consent"),
        {prefix + "alert": "refused", prefix + "matching": "refused", "nav": "next"},
    )
    rows = list(Consent.objects.filter(person=victim).order_by("pk"))
    assert [(r.purpose, r.granted) for r in rows] == [
        ("alert", True),
        ("alert", False),
        ("matching", False),
    ]
    page = client.get(url(event, "consent")).content.decode()
    assert page.count("Her answer: no") == 2


def test_the_wizard_asks_about_sharing_per_body_of_the_directory(
    world: World, signed_in: Any
) -> None:
    from vigil.complaints.models import OversightBody

    body = OversightBody.objects.create(
        slug="test-ombudsman", country="UA", body_type="ombudsman", names={"en": "Test Ombudsman"}
    )
    client = signed_in("caseworker")
    event = start(client)
    client.post(url(event, "acts"), {"victim": "new", "act_type": term("ACT.DET.SEARCH")})
    victim = Person.objects.get(acts__event=event)
    prefix = f"c{victim.pk}-"
    page = client.get(url(event, "consent")).content.decode()
    assert "Test Ombudsman (UA)" in page and "Body not in the list" in page
    # A body without her answer is refused with a message; nothing is recorded.
    response = client.post(url(event, "consent"), {prefix + "share_body": body.slug})
    assert response.status_code == 200
    assert "Record whether she agrees to share with it." in response.content.decode()
    assert not Consent.objects.filter(person=victim).exists()
    client.post(
        url(event, "consent"),
        {prefix + "share_body": body.slug, prefix + "share_decision": "given", "nav": "next"},
    )
    client.post(
        url(event, "consent"),
        {
            prefix + "share_new_body": "Crisis Centre Dnipro",
            prefix + "share_decision": "refused",
            "nav": "next",
        },
    )
    added = OversightBody.objects.get(needs_completion=True)
    assert added.name == "Crisis Centre Dnipro" and added.organisation_id == event.organisation_id
    decisions = {
        (c.body, c.granted)
        for c in Consent.objects.filter(person=victim, purpose="share_identified")
    }
    assert decisions == {(body.slug, True), (added.slug, False)}
    review = client.get(url(event, "review")).content.decode()
    assert "Test Ombudsman" in review and "Crisis Centre Dnipro" in review


def test_it_moves_back_and_remembers_the_step(world: World, signed_in: Any) -> None:
    client = signed_in("hotline")
    event = start(client)
    event.refresh_from_db()
    assert event.created_by == world["hotline"].user
    response = client.post(url(event, "evidence"), {"nav": "back"})
    assert response["Location"] == url(event, "victims")
    event.refresh_from_db()
    assert event.wizard_step == "victims"
    assert client.get(url(event, "nonsense")).status_code == 404


def test_it_defaults_the_channel_to_hotline_for_operators(world: World, signed_in: Any) -> None:
    client = signed_in("hotline")
    response = client.post("/incidents/new/", {})
    assert response.status_code == 302
    assert Event.objects.latest("pk").source_channel == SourceChannel.HOTLINE


@pytest.mark.browser
def test_it_fits_a_360_px_phone_without_javascript(
    world: World, settings: Any, live_server: Any
) -> None:
    settings.SECURE_COOKIES = False  # plain http on localhost in the test
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # ORM reads between page actions
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
            )
            try:
                _walk_the_wizard_on_a_phone(browser, live_server.url, world)
            finally:
                browser.close()
                # Playwright's loop gives ORM calls made inside it their own
                # connection; close it, or PostgreSQL cannot drop the test database.
                connections.close_all()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _walk_the_wizard_on_a_phone(browser: Any, base: str, world: World) -> None:
    phone = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = phone.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", world["caseworker"].user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.fill("input[name=token]", current_code(world["caseworker"].device))
    page.click("main form button[type=submit]")
    page.goto(f"{base}/incidents/new/")
    page.click("main form button[type=submit]")
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=start_date]", "2025-03-01")
    page.select_option("select[name=region]", "UA-30")
    page.click("button[name=nav][value=next]")
    page.select_option("select[name=act_type]", str(term("ACT.PHYS.BEATING")))
    page.check(f"input[name=methods][value='{term('MTH.BURNS')}']")
    page.click("button[name=action][value=add]")
    assert "Step 2 of 7" in page.content()
    page.click("button[name=nav][value=next]")
    page.fill("input[name=badge]", BADGE)
    page.click("button[name=nav][value=next]")  # adds the typed perpetrator and moves on
    page.fill("input[name$=legal_name]", "Ольга Петренко")
    page.click("button[name=nav][value=next]")
    page.click("button[name=nav][value=next]")  # evidence
    page.check("input[name$=statistics]")
    page.click("button[name=nav][value=next]")
    assert "Ольга Петренко" in page.content() and BADGE in page.content()
    page.click("button[name=action][value=finish]")
    event = Event.objects.get(organisation=world.org)
    assert event.status == EventStatus.RECORDED and page.url == f"{base}/incidents/{event.pk}/"
    # The same pages, measured with scripts on: nothing wider than the phone.
    measure = browser.new_context(viewport={"width": 360, "height": 740})
    measure.add_cookies(phone.cookies())
    probe = measure.new_page()
    victim = Person.objects.get(acts__event=event)
    paths = [f"/incidents/{event.pk}/", "/incidents/new/", f"/people/{victim.pk}/"]
    paths += [url(event, step) for step in ("basics", "acts", "perpetrators", "victims")]
    paths += [url(event, step) for step in ("evidence", "consent", "review")]
    for path in paths:
        probe.goto(base + path)
        assert probe.evaluate("document.documentElement.scrollWidth") <= 360, path
    phone.close()
    measure.close()


def test_switching_language_mid_step_keeps_what_was_typed(world: World, signed_in: Any) -> None:
    client = signed_in("caseworker")
    event = start(client)
    typed = basics_data(title="Задержание у вокзала")
    response = client.post(
        url(event, "basics"), {**typed, "switch_language": "ru", "switch_language_go": "1"}
    )
    assert response["Location"] == url(event, "basics")
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    page = client.get(url(event, "basics")).content.decode()
    assert '<html lang="ru">' in page and "Задержание у вокзала" in page
    # Shown once: a later visit shows what was saved (nothing yet), not the kept copy.
    assert "Задержание у вокзала" not in client.get(url(event, "basics")).content.decode()
