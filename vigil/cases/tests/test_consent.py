"""Consent recorded through the consent page and enforced on the contact details."""

from __future__ import annotations

import datetime

from django.utils import timezone

from vigil.audit.models import AuditEvent
from vigil.cases import consent, services
from vigil.cases.models import Consent, ConsentOverride, ConsentPurpose
from vigil.cases.tests.test_case_views import Made, make_case
from vigil.complaints.models import OversightBody
from vigil.conftest import World
from vigil.vault import sealing

PHONE = "+380 67 123 45 67"
ADDRESS = "Kyiv, Sadova 12"
REFUSAL = "She has not agreed to be contacted"
REASON = "She is in danger and we must warn her today"


def contact_url(made: Made) -> str:
    return f"/cases/{made.case.pk}/contact/"


def decide(
    client, made: Made, purpose: str, granted: bool, body: str = "", new_body: str = ""
) -> None:
    response = client.post(
        f"/cases/{made.case.pk}/consent/",
        {
            "purpose": purpose,
            "body": body,
            "new_body": new_body,
            "decision": "granted" if granted else "withdrawn",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def reveals(made: Made) -> int:
    return AuditEvent.objects.filter(
        action="case.contact_reveal", target_id=str(made.case.pk)
    ).count()


def test_it_refuses_contact_details_without_consent(world: World, signed_in) -> None:
    made = make_case(world, phone=PHONE, address=ADDRESS)
    response = signed_in("caseworker").get(contact_url(made))
    page = response.content.decode()
    assert REFUSAL in page
    assert PHONE not in page and ADDRESS not in page
    assert 'name="reason"' not in page  # a caseworker is not offered the override
    assert reveals(made) == 0


def test_it_shows_contact_details_with_consent_and_audits_each_reveal(
    world: World, signed_in
) -> None:
    made = make_case(world, phone=PHONE, address=ADDRESS)
    client = signed_in("caseworker")
    decide(client, made, ConsentPurpose.FOLLOW_UP, True)
    for expected in (1, 2):
        page = client.get(contact_url(made)).content.decode()
        assert PHONE in page and ADDRESS in page
        assert REFUSAL not in page
        assert reveals(made) == expected
    event = AuditEvent.objects.filter(action="case.contact_reveal").last()
    assert event is not None
    assert event.actor == world["caseworker"].user
    assert event.data["basis"] == "consent"
    assert PHONE not in str(event.data)


def test_it_refuses_again_after_withdrawal_and_keeps_every_decision(
    world: World, signed_in
) -> None:
    made = make_case(world, phone=PHONE)
    client = signed_in("caseworker")
    decide(client, made, ConsentPurpose.FOLLOW_UP, True)
    first = Consent.objects.get(person=made.client)
    assert PHONE in client.get(contact_url(made)).content.decode()

    decide(client, made, ConsentPurpose.FOLLOW_UP, False)
    page = client.get(contact_url(made)).content.decode()
    assert REFUSAL in page and PHONE not in page
    assert "withdrew or refused" in page
    assert Consent.objects.filter(person=made.client).count() == 2
    first.refresh_from_db()
    assert first.granted is True  # the earlier decision is untouched

    page = client.get(f"/cases/{made.case.pk}/consent/").content.decode()
    summary = page[page.index('id="current-h"') : page.index('id="level-h"')]
    # Once in the panel, with the latest decision and the earlier one behind it.
    assert summary.count("Follow-up contact") == 1
    row = summary[summary.index("Follow-up contact") :].split("</tr>")[0]
    assert row.index("Does not agree") < row.index("<details")
    assert "<summary>1 earlier decision</summary>" in row and "Agrees" in row


def test_it_lets_a_coordinator_override_with_a_reason(world: World, signed_in) -> None:
    made = make_case(world, phone=PHONE, address=ADDRESS)
    coordinator = signed_in("coordinator")
    page = coordinator.get(contact_url(made)).content.decode()
    assert REFUSAL in page and 'name="reason"' in page and PHONE not in page

    response = coordinator.post(contact_url(made), {"reason": REASON}, follow=True)
    page = response.content.decode()
    assert PHONE in page and ADDRESS in page
    assert "consent override" in page

    row = ConsentOverride.objects.get(case=made.case)
    assert row.coordinator == world["coordinator"].user
    assert row.purpose == ConsentPurpose.FOLLOW_UP
    assert REASON.encode() not in bytes(row.sealed_reason)
    assert sealing.open_text(made.key, row.sealed_reason) == REASON
    audit = AuditEvent.objects.get(action="consent.override")
    assert audit.actor == world["coordinator"].user and audit.data["case"] == made.case.pk
    assert REASON not in str(audit.data)
    reveal = AuditEvent.objects.filter(action="case.contact_reveal").last()
    assert reveal is not None
    assert reveal.data["basis"] == "override"

    # Listed on the case page, for the whole team.
    case_page = signed_in("caseworker").get(f"/cases/{made.case.pk}/").content.decode()
    assert "Consent overrides" in case_page and REASON in case_page
    # The override does not open the details to anyone else.
    assert PHONE not in signed_in("lawyer").get(contact_url(made)).content.decode()


def test_it_ends_an_override_when_she_decides_again_or_time_passes(world: World, signed_in) -> None:
    made = make_case(world, phone=PHONE)
    coordinator = signed_in("coordinator")
    coordinator.post(contact_url(made), {"reason": REASON})
    assert PHONE in coordinator.get(contact_url(made)).content.decode()

    decide(coordinator, made, ConsentPurpose.FOLLOW_UP, False)
    assert PHONE not in coordinator.get(contact_url(made)).content.decode()

    other = make_case(world, phone=PHONE, pseudonym="Later")
    coordinator.post(contact_url(other), {"reason": REASON})
    ConsentOverride.objects.filter(case=other.case).update(
        at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert PHONE not in coordinator.get(contact_url(other)).content.decode()


def test_it_refuses_an_override_by_a_caseworker(world: World, signed_in) -> None:
    made = make_case(world, phone=PHONE)
    for role in ("caseworker", "lawyer"):
        response = signed_in(role).post(contact_url(made), {"reason": REASON})
        assert response.status_code == 403
    assert not ConsentOverride.objects.exists()
    assert not AuditEvent.objects.filter(action="consent.override").exists()


def test_it_refuses_an_override_without_a_reason(world: World, signed_in) -> None:
    made = make_case(world, phone=PHONE)
    coordinator = signed_in("coordinator")
    for reason in ("", "   ", "too short"):
        response = coordinator.post(contact_url(made), {"reason": reason})
        page = response.content.decode()
        assert response.status_code == 200
        assert 'id="id_reason-error"' in page
        assert "Give a reason of at least 10 characters" in page
        assert PHONE not in page
    assert not ConsentOverride.objects.exists()
    assert reveals(made) == 0


def test_it_hides_another_organisations_contact_details(world: World, signed_in) -> None:
    made = make_case(world, other=True, phone=PHONE)
    client = signed_in("coordinator")
    assert client.get(contact_url(made)).status_code == 404
    assert client.post(contact_url(made), {"reason": REASON}).status_code == 404
    assert not ConsentOverride.objects.exists()


def test_it_records_sharing_consent_per_body_of_the_directory(world: World, signed_in) -> None:
    made = make_case(world)
    client = signed_in("lawyer")
    url = f"/cases/{made.case.pk}/consent/"
    page = client.get(url).content.decode()
    assert 'value="ua-ombudsman"' in page and "Body not in the list" in page
    response = client.post(
        url, {"purpose": ConsentPurpose.SHARE_IDENTIFIED, "body": "", "decision": "granted"}
    )
    assert response.status_code == 200
    assert 'id="id_body-error"' in response.content.decode()
    response = client.post(
        url, {"purpose": ConsentPurpose.STATISTICS, "body": "ua-ombudsman", "decision": "granted"}
    )
    assert 'id="id_body-error"' in response.content.decode()
    response = client.post(
        url, {"purpose": "share_identified", "body": "no-such-body", "decision": "granted"}
    )
    assert 'id="id_body-error"' in response.content.decode()
    assert not Consent.objects.exists()

    decide(client, made, ConsentPurpose.SHARE_IDENTIFIED, True, body="ua-ombudsman")
    decide(client, made, ConsentPurpose.SHARE_IDENTIFIED, False, body="ua-kyiv-prosecutor")
    # A body not in the list: one directory entry, flagged for a coordinator, reused by name.
    decide(client, made, ConsentPurpose.SHARE_IDENTIFIED, True, new_body="Legal Aid Centre Podil")
    decide(
        client, made, ConsentPurpose.SHARE_IDENTIFIED, False, new_body=" legal aid centre  podil"
    )
    added = OversightBody.objects.get(needs_completion=True)
    assert added.organisation_id == made.case.organisation_id and added.body_type == "other"
    assert consent.has(made.client, ConsentPurpose.SHARE_IDENTIFIED, "ua-ombudsman")
    assert not consent.has(made.client, ConsentPurpose.SHARE_IDENTIFIED, "ua-kyiv-prosecutor")
    assert not consent.has(made.client, ConsentPurpose.SHARE_IDENTIFIED, added.slug)
    page = client.get(f"/cases/{made.case.pk}/").content.decode()
    assert "Ombudsman of Ukraine" in page and "Prosecutor&#x27;s office of Kyiv" in page
    assert page.count("Legal Aid Centre Podil") == 1
    assert AuditEvent.objects.filter(action="consent.record").count() == 4
    directory = signed_in("coordinator").get("/complaints/bodies/").content.decode()
    assert "Legal Aid Centre Podil" in directory and "to be completed" in directory


def test_free_text_consent_bodies_are_moved_onto_the_directory(world: World) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("vigil.cases.migrations.0005_consent_bodies_from_directory")
    made = make_case(world)
    user = world["caseworker"].user
    for body in (
        "Державне бюро розслідувань",  # a name in any language (free text was <= 64)
        "ombudsman",
        "ua-sbi",
        "police liaison",
        "police liaison",
    ):
        Consent.objects.create(
            organisation=made.case.organisation,
            person=made.client,
            purpose=ConsentPurpose.SHARE_IDENTIFIED,
            body=body,
            granted=True,
            recorded_by=user,
        )
    migration.forwards(apps, None)
    bodies = list(Consent.objects.order_by("pk").values_list("body", flat=True))
    liaison = OversightBody.objects.get(needs_completion=True)
    assert liaison.names == {"en": "police liaison"}
    assert bodies == ["ua-sbi", "ua-ombudsman", "ua-sbi", liaison.slug, liaison.slug]


def test_it_never_overwrites_a_consent_row(world: World, signed_in) -> None:
    made = make_case(world)
    client = signed_in("caseworker")
    decide(client, made, ConsentPurpose.STATISTICS, True)
    decide(client, made, ConsentPurpose.STATISTICS, False)
    decide(client, made, ConsentPurpose.STATISTICS, True)
    rows = list(Consent.objects.filter(person=made.client).order_by("pk"))
    assert [row.granted for row in rows] == [True, False, True]
    assert all(row.recorded_by == world["caseworker"].user for row in rows)
    assert consent.has(made.client, ConsentPurpose.STATISTICS)


def test_it_summarises_the_same_decision_as_consent_current(world: World) -> None:
    made = make_case(world)
    user = world["caseworker"].user
    decisions = [
        (ConsentPurpose.FOLLOW_UP, True, ""),
        (ConsentPurpose.ALERT, False, ""),
        (ConsentPurpose.FOLLOW_UP, False, ""),
        (ConsentPurpose.SHARE_IDENTIFIED, True, "ua-ombudsman"),
        (ConsentPurpose.SHARE_IDENTIFIED, False, "ua-kyiv-prosecutor"),
        (ConsentPurpose.ALERT, True, ""),
    ]
    for purpose, granted, body in decisions:
        consent.record_consent(user, made.client, purpose, granted, body=body)
    summary = services.consent_summary(made.client)
    assert len(summary) == len(ConsentPurpose) + 1  # two bodies for sharing
    for state in summary:
        assert state.latest == consent.current(made.client, state.purpose, state.body)
