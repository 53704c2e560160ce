"""Enumerated audit events: undeclared events and detail keys are refused, and
no write path puts a planted name, narrative, number or query into the table."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from vigil.audit import events
from vigil.audit.log import record
from vigil.audit.models import AuditEvent
from vigil.cases.models import Case
from vigil.complaints.models import OversightBody
from vigil.conftest import World
from vigil.incidents.models import Event, Person
from vigil.intake.models import Submission
from vigil.vocab.models import Term

NAME = "Зоряна Перелесник"
PSEUDONYM = "Ластівка-Сім"
PHONE = "+380 67 765 43 21"
BADGE = "ЖТ-90817"
PLATE = "КА 9081 ВХ"
OFFICER = "Капітан Вороненко"
NARRATIVE = "Її тримали у відділку на Троєщині до ранку без адвоката"
TITLE = "Затримання на Троєщині о третій ночі"
STORY = "Меня задержали у аптеки на Оболони и требовали деньги"
HOTLINE_STORY = "Звонила соседка, ее избили в опорном пункте на Виноградаре"
CALLER = "+380 50 909 1818"
NOTE = "Клієнтка просить дзвонити лише з 19:00 до 20:00"
LEGAL_NOTE = "Скаргу подати до Жовтневого прокурора особисто"
QUERY = "Тарас Підгорецький"
USERNAME = "oksana-shevchuk-planted"
PLANTED = (
    NAME,
    PSEUDONYM,
    PHONE,
    BADGE,
    PLATE,
    OFFICER,
    NARRATIVE,
    TITLE,
    STORY,
    HOTLINE_STORY,
    CALLER,
    NOTE,
    LEGAL_NOTE,
    QUERY,
)


def test_it_refuses_an_undeclared_event(world: World) -> None:
    with pytest.raises(events.UndeclaredAuditEvent, match="not declared"):
        record(world["coordinator"].user, "case.renamed", organisation=world.org)
    assert not AuditEvent.objects.filter(action="case.renamed").exists()


def test_it_refuses_a_detail_key_outside_the_allow_list(world: World) -> None:
    # The mistake this catches: a victim's name slipped in under a new key.
    with pytest.raises(events.UndeclaredAuditEvent, match="may not carry"):
        record(world["caseworker"].user, "case.open", organisation=world.org, client_name=NAME)
    assert not AuditEvent.objects.filter(action="case.open").exists()
    record(world["caseworker"].user, "case.open", organisation=world.org, incidents=1)


def test_every_app_declares_its_events() -> None:
    declared = events.registry()
    for action in ("member.add", "case.open", "submission.create", "legal_action.status"):
        assert action in declared
    assert declared["search"] == frozenset({"people", "incidents"})


def test_the_audit_page_shows_translated_labels(world: World, signed_in: Any) -> None:
    record(world["coordinator"].user, "key.grant", organisation=world.org)
    client = signed_in("coordinator")
    page = client.get("/accounts/org/audit/").content.decode()
    assert "key.grant" in page and "Organisation key granted" in page
    page = client.get("/accounts/org/audit/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Ключ організації надано" in page


# --- the write paths, with planted strings -----------------------------------------------


def term(code: str) -> int:
    return Term.objects.get(code=code).pk


def _public_report(slug: str) -> None:
    reporter = Client()
    reporter.post(f"/report/{slug}/")
    steps = [
        ("what", {"what": ["search", "children"], "story": STORY}),
        ("when", {"when": "this_week", "region": "UA-30", "place": "transport"}),
        ("who", {"who": "police", "uniform": "yes", "badge": BADGE}),
        ("help", {"needs": ["legal"]}),
        ("consent", {"consents": ["follow_up", "statistics"]}),
        ("contact", {"method": "phone", "contact": PHONE}),
    ]
    for step, data in steps:
        assert reporter.post(f"/report/{slug}/{step}/", data).status_code == 302, step
    assert reporter.post(f"/report/{slug}/review/", {"website": ""}).status_code == 302


def _wizard(client: Client) -> Event:
    client.post("/incidents/new/", {"source_channel": "outreach"})
    event = Event.objects.latest("pk")
    base = f"/incidents/{event.pk}/wizard"
    posts: list[tuple[str, dict[str, Any]]] = [
        (
            "basics",
            {
                "title": TITLE,
                "start_date": "2025-03-14",
                "start_precision": "exact",
                "region": "UA-30",
                "city": "Київ",
                "place_type": term("PLACE.STREET"),
                "place_detail": NARRATIVE,
                "source_channel": "outreach",
                "summary": NARRATIVE,
                "narrative": NARRATIVE,
                "nav": "next",
            },
        ),
        (
            "acts",
            {
                "victim": "new",
                "new_pseudonym": PSEUDONYM,
                "act_type": term("ACT.PHYS.BEATING"),
                "nav": "next",
            },
        ),
        (
            "perpetrators",
            {
                "perpetrator_type": term("PERP.POLICE.PATROL"),
                "name": OFFICER,
                "badge": BADGE,
                "plate": PLATE,
                "nav": "next",
            },
        ),
    ]
    for step, data in posts:
        assert client.post(f"{base}/{step}/", data).status_code == 302, step
    victim = Person.objects.get(acts__event=event)
    prefix = f"v{victim.pk}-"
    victims = {
        prefix + "pseudonym": PSEUDONYM,
        prefix + "legal_name": NAME,
        prefix + "phone": PHONE,
        prefix + "contact_notes": NOTE,
        prefix + "sex": "f",
        prefix + "age_band": "25-34",
        "nav": "next",
    }
    assert client.post(f"{base}/victims/", victims).status_code == 302
    assert client.post(f"{base}/evidence/", {"nav": "next"}).status_code == 302
    consent = {
        f"c{victim.pk}-statistics": "given",
        f"c{victim.pk}-follow_up": "given",
        "nav": "next",
    }
    assert client.post(f"{base}/consent/", consent).status_code == 302
    assert client.post(f"{base}/review/", {"action": "finish"}).status_code == 302
    return event


def _audit_text() -> str:
    rows = AuditEvent.objects.values_list("action", "target_type", "target_id", "data")
    return json.dumps(list(rows), ensure_ascii=False, default=str)


def _found(text: str) -> list[str]:
    squeezed = re.sub(r"\s+", "", text).lower()
    return [p for p in PLANTED if re.sub(r"\s+", "", p).lower() in squeezed]


def test_no_write_path_writes_a_planted_string_into_the_audit_log(
    world: World, signed_in: Any, settings: Any
) -> None:
    settings.REPORT_MIN_FILL_SECONDS = 0
    before = AuditEvent.objects.count()
    _public_report("svitlo")
    caseworker = signed_in("caseworker")
    operator = signed_in("hotline")
    hotline = {
        "what-what": ["beaten"],
        "what-story": HOTLINE_STORY,
        "when-when": "today",
        "when-region": "UA-30",
        "caller-caller_number": CALLER,
        "caller-keep_number": "on",
    }
    assert operator.post("/hotline/", hotline).status_code == 200
    web, call = Submission.objects.order_by("pk")
    assert caseworker.post(f"/inbox/{web.pk}/accept/").status_code == 302
    assert caseworker.post(f"/inbox/{call.pk}/reject/", {"reason": "other"}).status_code == 302
    case = Case.objects.get()
    assert caseworker.post(f"/cases/{case.pk}/notes/", {"body": NOTE}).status_code == 302
    _wizard(caseworker)
    assert caseworker.post("/search/", {"q": QUERY}).status_code == 200
    assert caseworker.post("/search/", {"q": NAME}).status_code == 200
    body = OversightBody.objects.filter(organisation__isnull=True, country="UA").first()
    assert body is not None
    draft = {"action_type": "complaint", "body": body.pk, "notes": LEGAL_NOTE}
    response = caseworker.post(f"/cases/{case.pk}/legal-actions/new/", draft)
    assert response.status_code == 302, response.content[:2000]

    written = set(AuditEvent.objects.filter(seq__gt=before).values_list("action", flat=True))
    expected = {
        "submission.create",
        "submission.accepted",
        "submission.rejected",
        "note.add",
        "event.update",
        "perpetrator.add",
        "person.update",
        "consent.record",
        "search",
        "legal_action.create",
    }
    assert expected <= written, expected - written
    assert _found(_audit_text()) == []


def test_the_scan_finds_a_planted_string_when_one_is_written(world: World) -> None:
    # Proves the scan above can fail: the same check finds a name in the details.
    record(world["coordinator"].user, "task.add", organisation=world.org, due=NAME)
    assert _found(_audit_text()) == [NAME]
