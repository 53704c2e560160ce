"""Hotline intake, the triage inbox, and what the reporter sees afterwards."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from vigil.audit.models import AuditEvent
from vigil.cases.models import Case, Consent
from vigil.conftest import World
from vigil.incidents.models import Event, Perpetrator, Person
from vigil.intake import actions
from vigil.intake.models import Submission
from vigil.intake.tests.test_public_report import BADGE, STORY, file_report
from vigil.vault import crypto, sealing


@pytest.fixture(autouse=True)
def _fast_fill(settings):
    settings.REPORT_MIN_FILL_SECONDS = 0


def _mailbox(receipt: str) -> Client:
    reporter = Client()
    reporter.post("/report/status/", {"receipt": receipt})
    return reporter


def test_it_lists_new_reports_with_their_age(world: World, signed_in) -> None:
    file_report(Client())
    page = signed_in("caseworker").get("/inbox/").content.decode()
    assert Submission.objects.get().code in page


def test_it_accepts_a_report_into_an_incident_and_a_case(world: World, signed_in) -> None:
    receipt = file_report(Client())
    submission = Submission.objects.get()
    caseworker = signed_in("caseworker")
    detail = caseworker.get(f"/inbox/{submission.pk}/").content.decode()
    assert STORY in detail and BADGE in detail
    response = caseworker.post(f"/inbox/{submission.pk}/accept/")
    assert response.status_code == 302
    case = Case.objects.get()
    event = Event.objects.get()
    assert response["Location"] == f"/cases/{case.pk}/"
    assert event.region == "UA-30" and event.status == "recorded"
    assert event.place_type.code == "PLACE.TRANSPORT"
    assert sorted(event.acts.values_list("act_type__code", flat=True)) == [
        "ACT.DET.SEARCH",
        "ACT.PSY.THREAT_CHILDREN",
    ]
    key = crypto.unseal(world.org_private, bytes(event.sealed_key or b""))
    assert sealing.open_json(key, event.sealed)["narrative"] == STORY
    # Blind indexes were computed at acceptance: the badge and phone are searchable.
    index_key = crypto.blind_index_key(world.org_private)
    assert Perpetrator.objects.get().badge_bidx == crypto.blind_index(index_key, "badge", BADGE)
    assert Person.objects.get().phone_bidx == crypto.blind_index(index_key, "phone", "380501112233")
    granted = dict(Consent.objects.values_list("purpose", "granted"))
    assert granted["statistics"] is True and granted["alert"] is False
    assert sorted(case.needs.values_list("code", flat=True)) == [
        "NEED.LEGAL",
        "NEED.OST_CONTINUITY",
    ]
    submission.refresh_from_db()
    assert submission.status == "accepted" and submission.case == case
    # The reporter sees the change in plain words.
    assert "opened a case" in _mailbox(receipt).get("/report/status/thread/").content.decode()


def test_it_merges_a_duplicate_report_into_an_incident(world: World, signed_in) -> None:
    file_report(Client())
    file_report(Client(), badge="")
    first, second = Submission.objects.order_by("pk")
    caseworker = signed_in("caseworker")
    caseworker.post(f"/inbox/{first.pk}/accept/")
    event = Event.objects.get()
    response = caseworker.post(f"/inbox/{second.pk}/merge/", {"event_number": event.number})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == "merged" and second.event == event
    assert event.sources.count() == 1


def test_it_refuses_to_merge_into_another_organisations_incident(world: World, signed_in) -> None:
    from vigil.incidents import actions as incident_actions

    foreign = incident_actions.start_event(world.others["caseworker"].user, world.other_org).event
    file_report(Client())
    submission = Submission.objects.get()
    response = signed_in("caseworker").post(
        f"/inbox/{submission.pk}/merge/", {"event_number": foreign.number + 1000}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "new"


def test_it_rejects_with_a_reason_and_tells_the_reporter(world: World, signed_in) -> None:
    receipt = file_report(Client())
    submission = Submission.objects.get()
    signed_in("lawyer").post(
        f"/inbox/{submission.pk}/reject/",
        {"reason": "out_of_scope", "message": "Это не наш регион"},
    )
    submission.refresh_from_db()
    assert submission.status == "rejected" and submission.reject_reason == "out_of_scope"
    page = _mailbox(receipt).get("/report/status/thread/").content.decode()
    assert "cannot take it further" in page and "Это не наш регион" in page


def test_it_records_a_hotline_call_and_keeps_no_number_without_consent(
    world: World, signed_in
) -> None:
    operator = signed_in("hotline")
    data = {
        "what-what": ["beaten"],
        "what-story": "Позвонила подруга, её избили в отделении",
        "when-when": "today",
        "when-region": "UA-30",
        "caller-caller_number": "+380 67 000 1122",
    }
    response = operator.post("/hotline/", data)
    assert response.status_code == 200
    assert "Keep a number only if the caller agrees" in response.content.decode()
    assert Submission.objects.count() == 0
    data["caller-keep_number"] = "on"
    response = operator.post("/hotline/", data)
    assert "Read this code to the caller" in response.content.decode()
    submission = Submission.objects.get()
    assert submission.channel == "hotline" and submission.entered_by == world["hotline"].user
    key = actions.staff_thread_key(world.org_private, submission)
    assert sealing.open_json(key, submission.sealed)["contact"] == "+380 67 000 1122"


def test_it_expires_untriaged_reports_by_destroying_their_keys(world: World) -> None:
    receipt = file_report(Client())
    submission = Submission.objects.get()
    assert actions.expire(90, now=timezone.now() + datetime.timedelta(days=89)) == 0
    assert actions.expire(90, now=timezone.now() + datetime.timedelta(days=91)) == 1
    submission.refresh_from_db()
    assert submission.status == "expired"
    assert submission.sealed is None and submission.sealed_key is None
    assert AuditEvent.objects.filter(action="submission.expire").exists()
    # Her code no longer opens anything.
    assert actions.open_mailbox(receipt) is None


def test_it_keeps_submission_content_out_of_a_seized_database(
    transactional_db, tmp_path, settings
) -> None:
    from vigil.accounts import actions as account_actions
    from vigil.vault.seizure import encodings, seized

    settings.MEDIA_ROOT = str(tmp_path)
    account_actions.create_organisation(
        None, name="Svitlo", slug="svitlo", country="UA", languages=["uk"]
    )
    file_report(Client())
    dump = seized()
    assert b"Svitlo" in dump and Submission.objects.count() == 1
    for planted in (STORY, "380 50 111 2233", BADGE, "Меня остановили"):
        for form in encodings(planted):
            assert form not in dump, planted


@pytest.mark.parametrize(
    "role", ["analyst", "police_liaison", "referral", "network_analyst", "hotline"]
)
def test_it_keeps_the_inbox_from_roles_that_do_not_triage(
    world: World, signed_in, role: str
) -> None:
    file_report(Client())
    client = signed_in(role)
    assert client.get("/inbox/").status_code == 403
    assert client.get(f"/inbox/{Submission.objects.get().pk}/").status_code == 403


def test_it_hides_reports_of_another_organisation(world: World, signed_in) -> None:
    file_report(Client(), slug="dostyk", region="KZ-75")
    submission = Submission.objects.get()
    client = signed_in("coordinator")
    assert client.get(f"/inbox/{submission.pk}/").status_code == 404
    assert client.post(f"/inbox/{submission.pk}/accept/").status_code == 404
    assert submission.code not in client.get("/inbox/").content.decode()


@pytest.mark.parametrize(
    ("channel", "source"),
    [
        ("web", "web"),
        ("hotline", "hotline"),
        ("api", "partner"),
        ("kobo", "outreach"),
        ("odk", "outreach"),
    ],
)
def test_an_accepted_report_keeps_where_it_came_from(
    world: World, signed_in, channel: str, source: str
) -> None:
    file_report(Client())
    Submission.objects.update(channel=channel)
    submission = Submission.objects.get()
    caseworker = signed_in("caseworker")
    assert submission.get_channel_display() in caseworker.get("/inbox/").content.decode()
    caseworker.post(f"/inbox/{submission.pk}/accept/")
    assert Event.objects.get().source_channel == source
