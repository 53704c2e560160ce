"""Detention monitoring through HTTP: visits, checklist, allegations (incident only with
consent), recommendations with status history and reminders through a real SMTP server."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from vigil.accounts.models import User
from vigil.conftest import World
from vigil.engagement.models import Allegation, Recommendation, Visit
from vigil.engagement.tasks import send_follow_up_reminders
from vigil.engagement.tests.helpers import (
    key_of,
    local_body,
    make_recommendation,
    make_visit,
    raw,
    today,
)
from vigil.incidents import actions as incident_actions
from vigil.mailtest import Inbox, body_of, smtp_server
from vigil.vocab.models import Term

SITE = "https://vigil.example.org"
WIZARD_LINK = '<a class="button secondary" href="/incidents/new/">'
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    settings.SITE_URL = SITE
    settings.TASKS = IMMEDIATE
    with smtp_server(settings) as handler:
        yield handler


def test_it_creates_edits_and_lists_visits(world: World, signed_in: Any) -> None:
    client = signed_in("lawyer")
    assert client.get("/engagement/visits/new/").status_code == 200
    response = client.post(
        "/engagement/visits/new/",
        {
            "facility_type": "pretrial",
            "facility": "СИЗО-13",
            "region": "UA-30",
            "date": "2026-04-02",
            "team": [world["lawyer"].membership.pk, world["caseworker"].membership.pk],
        },
    )
    assert response.status_code == 302, response.content[:1500]
    first = Visit.objects.get()
    assert b"13" not in raw(first.sealed)
    assert set(first.team.all()) == {world["lawyer"].user, world["caseworker"].user}
    response = client.post(
        "/engagement/visits/new/",
        {"facility_type": "pretrial", "date": "2026-07-02", "follow_up_of": first.pk},
    )
    assert response.status_code == 302
    follow_up = Visit.objects.exclude(pk=first.pk).get()
    assert follow_up.is_follow_up
    response = client.post(
        f"/engagement/visits/{first.pk}/edit/",
        {"facility_type": "narcological", "facility": "СИЗО-13", "date": "2026-04-03"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.facility_type == "narcological" and not first.team.exists()
    listing = client.get("/engagement/visits/").content.decode()
    assert first.code in listing and follow_up.code in listing and "СИЗО-13" in listing


def test_it_records_findings_per_coded_theme(world: World, signed_in: Any) -> None:
    visit = make_visit(world)
    themes = {t.code: t for t in Term.objects.filter(list="detention_theme")}
    assert set(themes) == {"DET.OST", "DET.LAWYER", "DET.MEDICAL", "DET.WOMEN", "DET.CONDITIONS"}
    client = signed_in("caseworker")
    ost, lawyer = themes["DET.OST"], themes["DET.LAWYER"]
    response = client.post(
        f"/engagement/visits/{visit.pk}/checklist/",
        {
            f"concern_{ost.pk}": "serious",
            f"notes_{ost.pk}": "Methadone stopped on arrival",
            f"concern_{lawyer.pk}": "none",
        },
    )
    assert response.status_code == 302
    findings = {f.theme.code: f.concern for f in visit.findings.all()}
    assert findings == {"DET.OST": "serious", "DET.LAWYER": "none"}
    page = client.get(f"/engagement/visits/{visit.pk}/").content.decode()
    assert "Methadone stopped on arrival" in page


def test_it_turns_an_allegation_into_an_incident_only_with_consent(
    world: World, signed_in: Any
) -> None:
    visit = make_visit(world)
    client = signed_in("lawyer")
    response = client.post(
        f"/engagement/visits/{visit.pk}/allegations/new/",
        {"summary": "Beaten during the night shift"},
    )
    assert response.status_code == 302
    allegation = Allegation.objects.get()
    page = client.get(f"/engagement/visits/{visit.pk}/").content.decode()
    assert WIZARD_LINK not in page  # no link to the wizard without her consent
    event = incident_actions.start_event(
        world["lawyer"].user, world.org, country="UA", source_channel="outreach"
    ).event
    refused = client.post(
        f"/engagement/allegations/{allegation.pk}/edit/",
        {"summary": "Beaten during the night shift", "event": event.pk},
    )
    assert refused.status_code == 400
    allegation.refresh_from_db()
    assert allegation.event is None

    client.post(
        f"/engagement/allegations/{allegation.pk}/edit/",
        {"summary": "Beaten during the night shift", "consent": "on"},
    )
    page = client.get(f"/engagement/visits/{visit.pk}/").content.decode()
    assert WIZARD_LINK in page  # the existing wizard, not a copy of it
    linked = client.post(
        f"/engagement/allegations/{allegation.pk}/edit/",
        {"summary": "Beaten during the night shift", "consent": "on", "event": event.pk},
    )
    assert linked.status_code == 302
    allegation.refresh_from_db()
    assert allegation.event == event


def test_it_tracks_recommendations_with_their_history(world: World, signed_in: Any) -> None:
    visit = make_visit(world)
    authority = local_body(world, "Regional police department")
    client = signed_in("coordinator")
    response = client.post(
        f"/engagement/visits/{visit.pk}/recommendations/new/",
        {"text": "Keep OST in cells", "authority": authority.pk, "due_date": "2026-09-01"},
    )
    assert response.status_code == 302
    item = Recommendation.objects.get()
    response = client.post(
        f"/engagement/recommendations/{item.pk}/edit/",
        {"text": "Keep OST in all cells", "authority": authority.pk, "due_date": "2026-10-01"},
    )
    assert response.status_code == 302
    for status in ("in_progress", "repeated", "implemented"):
        move = client.post(f"/engagement/recommendations/{item.pk}/move/", {"to_status": status})
        assert move.status_code == 302
    assert (
        client.post(
            f"/engagement/recommendations/{item.pk}/move/", {"to_status": "open"}
        ).status_code
        == 400
    )
    item.refresh_from_db()
    assert item.status == "implemented" and str(item.due_date) == "2026-10-01"
    assert [h.to_status for h in item.history.all()] == [
        "open",
        "in_progress",
        "repeated",
        "implemented",
    ]


def test_it_reminds_the_visit_team_of_recommendations_due_and_again_when_repeated(
    world: World, inbox: Inbox
) -> None:
    User.objects.filter(pk=world["lawyer"].user.pk).update(email="lawyer@ngo.example")
    visit = make_visit(world)  # team: the lawyer
    item = make_recommendation(
        world, visit, key_of(world, visit), due=today() - datetime.timedelta(days=1)
    )
    assert send_follow_up_reminders.enqueue().return_value == 1
    message = inbox.to("lawyer@ngo.example")[0]
    text = body_of(message)
    assert f"{SITE}/engagement/" in text
    assert "OST" not in text and visit.code not in text

    from vigil.engagement import actions

    # Repeated at a follow-up visit with a new due date: a new reminder is owed.
    actions.move_recommendation(
        acting_user=world["lawyer"].user,
        item=item,
        to_status="repeated",
        due_date=today() + datetime.timedelta(days=1),
    )
    assert send_follow_up_reminders.enqueue().return_value == 1
    actions.move_recommendation(
        acting_user=world["lawyer"].user, item=item, to_status="implemented"
    )
    Recommendation.objects.filter(pk=item.pk).update(reminded_at=None)
    assert send_follow_up_reminders.enqueue().return_value == 0
    assert len(inbox.received) == 2
