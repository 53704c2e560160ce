"""Filing a legal action needs her consent to share the identified case with that body;
a coordinator may override with a reason. Everything through HTTP."""

from __future__ import annotations

import datetime

from vigil.audit.models import AuditEvent
from vigil.cases.models import ConsentOverride, ConsentPurpose
from vigil.complaints import actions, deadlines
from vigil.complaints.models import ActionStatus, ActionStatusChange, LegalAction
from vigil.complaints.tests.helpers import (
    KYIV_INTERNAL,
    days_ago,
    make_action,
    make_case,
    share_consent,
)
from vigil.conftest import World


def file_post(client, action: LegalAction, day: datetime.date | None = None):
    return client.post(
        f"/complaints/actions/{action.pk}/file/",
        {"submitted_on": (day or days_ago(3)).isoformat(), "channel": "post", "reference": "77/1"},
        follow=True,
    )


def test_it_refuses_to_file_without_her_consent(world: World, signed_in) -> None:
    made = make_case(world)
    action = make_action(world, made)
    lawyer = signed_in("lawyer")

    page = file_post(lawyer, action)

    action.refresh_from_db()
    assert action.status == ActionStatus.DRAFT
    assert action.submitted_on is None and action.due_date is None
    text = page.content.decode()
    assert "Not filed: she has not agreed to share her identified case with" in text
    assert "Her consent is needed before filing" in text
    assert not ActionStatusChange.objects.filter(action=action, to_status="submitted").exists()
    # The file page itself is not offered either.
    assert lawyer.get(f"/complaints/actions/{action.pk}/file/").status_code == 302


def test_it_files_once_she_consents_to_share_with_that_body(world: World, signed_in) -> None:
    made = make_case(world)
    action = make_action(world, made)
    caseworker = signed_in("caseworker")
    response = caseworker.post(f"/complaints/actions/{action.pk}/consent/", {"decision": "granted"})
    assert response.status_code == 302
    day = days_ago(3)

    page = file_post(signed_in("lawyer"), action, day)

    action.refresh_from_db()
    assert page.status_code == 200
    assert action.status == ActionStatus.SUBMITTED
    assert action.submitted_on == day and action.channel == "post"
    assert action.due_date == deadlines.due_date(day, 30, "calendar", "UA")
    assert action.remind_on == deadlines.working_days_before(action.due_date, 3, "UA")
    assert ActionStatusChange.objects.filter(
        action=action, from_status="draft", to_status="submitted"
    ).exists()
    assert AuditEvent.objects.filter(action="legal_action.status").exists()
    assert "77/1" not in str(LegalAction.objects.filter(pk=action.pk).values().get())


def test_consent_for_another_body_or_withdrawn_consent_does_not_count(
    world: World, signed_in
) -> None:
    made = make_case(world)
    action = make_action(world, made)
    share_consent(world, made, "ua-ombudsman")
    lawyer = signed_in("lawyer")
    file_post(lawyer, action)
    action.refresh_from_db()
    assert action.status == ActionStatus.DRAFT

    share_consent(world, made, KYIV_INTERNAL, granted=True)
    share_consent(world, made, KYIV_INTERNAL, granted=False)  # she withdrew
    file_post(lawyer, action)
    action.refresh_from_db()
    assert action.status == ActionStatus.DRAFT


def test_a_caseworker_cannot_file_and_a_lawyer_cannot_override(world: World, signed_in) -> None:
    made = make_case(world)
    action = make_action(world, made)
    assert file_post(signed_in("caseworker"), action).status_code == 403
    response = signed_in("lawyer").post(
        f"/complaints/actions/{action.pk}/override/", {"reason": "urgent OST in custody"}
    )
    assert response.status_code == 403
    assert not ConsentOverride.objects.exists()


def test_a_coordinator_override_with_a_reason_lets_it_be_filed(world: World, signed_in) -> None:
    made = make_case(world)
    action = make_action(world, made)
    coordinator = signed_in("coordinator")

    short = coordinator.post(f"/complaints/actions/{action.pk}/override/", {"reason": "urgent"})
    assert short.status_code == 400
    assert "at least 10 characters" in short.content.decode()
    assert not ConsentOverride.objects.exists()

    reason = "She is in custody without OST and cannot be reached"
    ok = coordinator.post(f"/complaints/actions/{action.pk}/override/", {"reason": reason})
    assert ok.status_code == 302
    row = ConsentOverride.objects.get()
    assert row.purpose == ConsentPurpose.SHARE_IDENTIFIED
    assert row.action == f"legal_action:{action.pk}"
    assert reason.encode() not in bytes(row.sealed_reason)  # sealed
    assert AuditEvent.objects.filter(action="consent.override").exists()

    file_post(signed_in("lawyer"), action)
    action.refresh_from_db()
    assert action.status == ActionStatus.SUBMITTED
    # The override lets it be filed; her name still needs her own consent.
    assert actions.identity_consented(action) is False


def test_a_decision_she_records_after_an_override_ends_it(world: World) -> None:
    made = make_case(world)
    action = make_action(world, made)
    coordinator = world["coordinator"]
    actions.override_consent(
        coordinator.user, coordinator.membership, action, made.key, "urgent custody matter"
    )
    assert actions.consent_basis(action) == "override"
    share_consent(world, made, KYIV_INTERNAL, granted=False)
    assert actions.consent_basis(action) is None


def test_an_override_covers_only_its_own_action(world: World) -> None:
    made = make_case(world)
    first, second = make_action(world, made), make_action(world, made)
    coordinator = world["coordinator"]
    actions.override_consent(
        coordinator.user, coordinator.membership, first, made.key, "urgent custody matter"
    )
    assert actions.consent_basis(first) == "override"
    assert actions.consent_basis(second) is None


def test_the_action_function_refuses_too(world: World) -> None:
    import pytest

    from vigil.cases.consent import ConsentMissing

    made = make_case(world)
    action = make_action(world, made)
    with pytest.raises(ConsentMissing):
        actions.file_action(
            world["lawyer"].user, action, made.key, submitted_on=days_ago(1), channel="email"
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.DRAFT


def test_consent_chosen_on_the_case_for_that_body_is_what_filing_checks(
    world: World, signed_in
) -> None:
    """One consent per body of the directory: the case page's chooser, the wizard's and
    the filing check all speak of the same body."""
    made = make_case(world)
    action = make_action(world, made)  # to the Kyiv internal security office
    caseworker = signed_in("caseworker")
    consent_url = f"/cases/{made.case.pk}/consent/"
    decision = {"purpose": "share_identified", "decision": "granted"}
    # Consent for another body of the directory does not let it be filed here.
    caseworker.post(consent_url, {**decision, "body": "ua-ombudsman"})
    file_post(signed_in("lawyer"), action)
    action.refresh_from_db()
    assert action.status == ActionStatus.DRAFT
    # Consent for this body, chosen from the same directory, does.
    assert caseworker.post(consent_url, {**decision, "body": action.body.slug}).status_code == 302
    page = caseworker.get(f"/complaints/actions/{action.pk}/").content.decode()
    assert "Not filed" not in page
    file_post(signed_in("lawyer"), action, days_ago(1))
    action.refresh_from_db()
    assert action.status == ActionStatus.SUBMITTED
