"""The alert pipeline: a second approver, the checklist, police identifiers, expiry,
withdrawal, the leak check and consent, with every move in history and audit."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from vigil.alerts import actions
from vigil.alerts.models import AlertStatus
from vigil.alerts.tests.helpers import (
    ALL_TICKED,
    HER_NAME,
    NARRATIVE,
    OFFENDER_BADGE,
    draft,
    make_source,
    published,
    secrets_of,
)
from vigil.audit.models import AuditEvent
from vigil.conftest import World


def _vetting(world: World, **kwargs: object):
    source = make_source(world)
    alert, key = draft(world, source, **kwargs)  # type: ignore[arg-type]
    actions.submit(world["caseworker"].user, alert, key, secrets_of(source, world))
    return alert, key


def test_it_refuses_approval_by_the_author(world: World) -> None:
    source = make_source(world)
    alert, key = draft(world, source, author="lawyer")
    actions.submit(world["lawyer"].user, alert, key, secrets_of(source, world))
    lawyer = world["lawyer"]
    with pytest.raises(PermissionError):
        actions.approve(lawyer.user, lawyer.membership, alert, key, checklist=ALL_TICKED)
    assert alert.status == AlertStatus.VETTING


def test_it_refuses_approval_by_a_caseworker(world: World) -> None:
    alert, key = _vetting(world)
    other = world["caseworker"]
    with pytest.raises(PermissionError):
        actions.approve(other.user, other.membership, alert, key, checklist=ALL_TICKED)


def test_it_blocks_publication_until_every_checklist_item_is_ticked(world: World) -> None:
    alert, key = _vetting(world)
    coordinator = world["coordinator"]
    for missing in ALL_TICKED:
        partial = {**ALL_TICKED, missing: False}
        with pytest.raises(actions.AlertError):
            actions.approve(coordinator.user, coordinator.membership, alert, key, checklist=partial)
    with pytest.raises(actions.AlertError):
        actions.publish(world["caseworker"].user, alert, key)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.VETTING and alert.released is None
    actions.approve(coordinator.user, coordinator.membership, alert, key, checklist=ALL_TICKED)
    actions.publish(world["caseworker"].user, alert, key)
    assert alert.status == AlertStatus.PUBLISHED and alert.released


def test_it_needs_a_lawyer_and_a_reason_for_a_badge_number(world: World) -> None:
    alert, key = _vetting(world, identifiers=[{"kind": "badge", "value": OFFENDER_BADGE}])
    assert alert.has_police_identifier
    coordinator, lawyer = world["coordinator"], world["lawyer"]
    with pytest.raises(actions.AlertError):
        actions.approve(
            coordinator.user,
            coordinator.membership,
            alert,
            key,
            checklist=ALL_TICKED,
            police_reason="He threatens women with his badge every night.",
        )
    with pytest.raises(actions.AlertError):
        actions.approve(lawyer.user, lawyer.membership, alert, key, checklist=ALL_TICKED)
    actions.approve(
        lawyer.user,
        lawyer.membership,
        alert,
        key,
        checklist=ALL_TICKED,
        police_reason="He threatens women with his badge every night.",
    )
    assert alert.police_identifier_approved_by == lawyer.user


def test_it_expires_and_withdraws_and_destroys_the_released_copy(world: World) -> None:
    alert = published(world)
    assert alert.indexes.count() == 2  # the phone and the plate; "other" is not indexed
    alert.valid_until = datetime.date.today() - datetime.timedelta(days=1)
    alert.save()
    assert actions.expire_due() == 1
    alert.refresh_from_db()
    assert alert.status == AlertStatus.EXPIRED and alert.released is None
    assert alert.indexes.count() == 0
    second = published(world)
    coordinator = world["coordinator"]
    actions.withdraw(coordinator.user, coordinator.membership, second)
    assert second.status == AlertStatus.WITHDRAWN and second.indexes.count() == 0
    with pytest.raises(actions.AlertError):
        actions.withdraw(coordinator.user, coordinator.membership, second)


def test_it_keeps_ninety_days_by_default_and_only_the_month(world: World) -> None:
    alert, _key = draft(world, make_source(world))
    assert (alert.valid_until - datetime.date.today()).days == 90
    assert alert.period_start == datetime.date(2026, 10, 1)


def test_it_records_every_move_in_history_and_audit(world: World) -> None:
    alert = published(world)
    coordinator = world["coordinator"]
    actions.withdraw(coordinator.user, coordinator.membership, alert)
    moves = [(h.from_status, h.to_status) for h in alert.history.all()]
    assert moves == [
        ("", "draft"),
        ("draft", "vetting"),
        ("vetting", "approved"),
        ("approved", "published"),
        ("published", "withdrawn"),
    ]
    audited = list(
        AuditEvent.objects.filter(target_id=str(alert.pk), action__startswith="alert.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert audited == [
        "alert.create",
        "alert.update",
        "alert.submit",
        "alert.approve",
        "alert.publish",
        "alert.withdraw",
    ]


def test_it_refuses_a_text_that_repeats_her_name_or_account(world: World) -> None:
    source = make_source(world)
    alert, key = draft(world, source)
    user = world["caseworker"].user
    for leak in (f"Її звали {HER_NAME}.", NARRATIVE.split(",")[0], "Це було 13.10.2026."):
        actions.update_alert(
            user,
            alert,
            key,
            texts={"en": "x", "ru": "y", "uk": leak},
            identifiers=[],
            act_types=[],
            methods=[],
        )
        with pytest.raises(actions.AlertError):
            actions.submit(user, alert, key, secrets_of(source, world))
    assert alert.status == AlertStatus.DRAFT


def test_it_refuses_an_alert_without_her_consent(world: World) -> None:
    source = make_source(world, alert_consent=False)
    with pytest.raises(actions.AlertError):
        draft(world, source)


def test_it_runs_the_pipeline_through_the_pages(world: World, signed_in) -> None:
    source = make_source(world)
    caseworker: Client = signed_in("caseworker")
    response = caseworker.post("/alerts/new/", {"event_number": str(source.event.number)})
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").split("/")[-2])
    form = {
        "region": "UA-30",
        "period_kind": "week",
        "day": "2026-10-13",
        "risk": "red",
        "valid_until": "2027-01-01",
        "text_en": "A man threatens women.",
        "text_ru": "Мужчина угрожает женщинам.",
        "text_uk": "Чоловік погрожує жінкам.",
        "id_kind_0": "plate",
        "id_value_0": "AK1234KA",
    }
    assert caseworker.post(f"/alerts/{pk}/edit/", form).status_code == 302
    caseworker.post(f"/alerts/{pk}/submit/")
    lawyer: Client = signed_in("lawyer")
    lawyer.post(f"/alerts/{pk}/approve/", {"not_identifying": "on", "not_private": "on"})
    from vigil.alerts.models import Alert

    assert Alert.objects.get(pk=pk).status == AlertStatus.VETTING  # one box unticked
    lawyer.post(f"/alerts/{pk}/approve/", {k: "on" for k in ALL_TICKED})
    caseworker.post(f"/alerts/{pk}/publish/")
    alert = Alert.objects.get(pk=pk)
    assert alert.status == AlertStatus.PUBLISHED
    assert alert.period_start == datetime.date(2026, 10, 12)  # the Monday, not the day
    page = caseworker.get(f"/alerts/{pk}/").content.decode()
    assert "AK1234KA" in page and HER_NAME not in page
    assert caseworker.get(f"/alerts/{pk}/source/")["Location"] == f"/incidents/{source.event.pk}/"


def test_the_daily_command_expires_alerts_past_their_date(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    alert = published(world)
    alert.valid_until = datetime.date.today() - datetime.timedelta(days=1)
    alert.save()
    out = StringIO()
    call_command("expire_alerts", stdout=out)
    assert out.getvalue().strip() == "1 alert(s) expired"
    alert.refresh_from_db()
    assert alert.status == AlertStatus.EXPIRED


def _police_source(world: World):
    from vigil.alerts.tests.helpers import term
    from vigil.incidents import actions as incident_actions
    from vigil.vault import crypto

    source = make_source(world)
    incident_actions.add_perpetrator(
        world["caseworker"].user,
        source.event,
        source.key,
        crypto.new_key(),
        perpetrator_type=term("PERP.POLICE.PATROL"),
        sealed={"name": "Петренко Сергій", "badge": "0412-КВ"},
    )
    return source


def test_it_refuses_an_officers_name_or_a_badge_in_the_text_through_the_page(
    world: World, signed_in
) -> None:
    from vigil.alerts.models import Alert

    source = _police_source(world)
    client = signed_in("caseworker")
    client.post("/alerts/new/", {"event": str(source.event.pk)})
    alert = Alert.objects.get()
    base = {
        "region": "UA-30",
        "period_kind": "month",
        "day": "2026-10-13",
        "risk": "red",
        "valid_until": "2027-01-01",
        "text_en": "A patrol officer threatens women.",
        "text_ru": "Патрульный угрожает женщинам.",
    }
    for text in ("Патрульний Петренко Сергій погрожує жінкам.", "Патрульний з жетоном 0412."):
        client.post(f"/alerts/{alert.pk}/edit/", {**base, "text_uk": text})
        client.post(f"/alerts/{alert.pk}/submit/")
        alert.refresh_from_db()
        assert alert.status == AlertStatus.DRAFT, text
    # In the identifiers section the badge goes to vetting, where a lawyer decides.
    client.post(
        f"/alerts/{alert.pk}/edit/",
        {
            **base,
            "text_uk": "Патрульний погрожує жінкам.",
            "id_kind_0": "badge",
            "id_value_0": "0412-КВ",
        },
    )
    client.post(f"/alerts/{alert.pk}/submit/")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.VETTING and alert.has_police_identifier


def test_it_starts_an_alert_from_an_accepted_report(world: World, signed_in) -> None:
    from vigil.alerts.models import Alert
    from vigil.alerts.tests.helpers import alert_key
    from vigil.intake import actions as intake_actions
    from vigil.intake.models import Submission
    from vigil.vault import sealing

    new = intake_actions.submit(
        world.org,
        {
            "what": ["search"],
            "story": "Обшукали",
            "when": "this_week",
            "region": "UA-30",
            "consents": ["statistics"],
            "consent_level": "alert",
        },
    )
    client = signed_in("caseworker")
    assert client.post("/alerts/new/", {"submission": str(new.submission.pk)}).status_code == 404
    client.post(f"/inbox/{new.submission.pk}/accept/")
    submission = Submission.objects.get()
    response = client.post("/alerts/new/", {"submission": str(submission.pk)})
    alert = Alert.objects.get()
    assert response["Location"] == f"/alerts/{alert.pk}/edit/"
    assert alert.region == "UA-30"
    assert sealing.open_json(alert_key(world, alert), alert.sealed_source) == {
        "kind": "submission",
        "id": submission.pk,
    }
    assert client.get(f"/alerts/{alert.pk}/source/")["Location"] == (
        f"/incidents/{submission.event_id}/"
    )
