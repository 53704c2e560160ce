"""Outcomes per referral and follow-up reminders through a real SMTP server."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django_tasks import TaskResultStatus

from vigil.accounts.models import User
from vigil.conftest import World
from vigil.mailtest import Inbox, body_of, smtp_server
from vigil.referrals import actions
from vigil.referrals.models import Programme, Referral
from vigil.referrals.tasks import send_follow_up_reminders
from vigil.referrals.tests.conftest import make_referral, service_of

SITE = "https://vigil.example.org"


def days(n: int) -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=n)


def test_it_records_service_admission_retention_and_closure(
    world: World, programme: Programme, signed_in: Any
) -> None:
    referral = make_referral(world, programme)
    client = signed_in("referral")
    ost = service_of(programme, "ost")
    client.post(f"/referrals/{referral.pk}/admission/", {"on": days(0).isoformat()})
    referral.refresh_from_db()
    assert referral.admitted_on is None  # a service must come first
    client.post(
        f"/referrals/{referral.pk}/service/", {"service": ost.pk, "on": days(-3).isoformat()}
    )
    client.post(f"/referrals/{referral.pk}/admission/", {"on": days(-1).isoformat()})
    client.post(
        f"/referrals/{referral.pk}/retention/",
        {"day": "30", "retained": "yes", "source": "service"},
    )
    client.post(
        f"/referrals/{referral.pk}/retention/", {"day": "90", "retained": "no", "source": "client"}
    )
    referral.refresh_from_db()
    assert referral.service_kind == "ost" and referral.service_referred_on == days(-3)
    assert referral.admitted_on == days(-1)
    assert (referral.retained_30, referral.source_30) == (True, "service")
    assert (referral.retained_90, referral.source_90) == (False, "client")
    assert referral.retained_180 is None
    client.post(f"/referrals/{referral.pk}/close/", {"reason": "moved"})
    referral.refresh_from_db()
    assert referral.close_reason == "moved" and referral.closed_on == days(0)


def test_it_refuses_a_service_of_another_organisation(
    world: World, programme: Programme, signed_in: Any
) -> None:
    other = actions.add_health_service(
        acting_user=world.others["coordinator"].user,
        organisation=world.other_org,
        name="Far OST",
        kind="ost",
        region="",
    )
    referral = make_referral(world, programme)
    response = signed_in("referral").post(
        f"/referrals/{referral.pk}/service/", {"service": other.pk, "on": days(0).isoformat()}
    )
    assert response.status_code == 200  # form error, not saved
    referral.refresh_from_db()
    assert referral.service_id is None


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    settings.SITE_URL = SITE
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with smtp_server(settings) as handler:
        yield handler


def _admitted(world: World, programme: Programme, admitted: datetime.date) -> Referral:
    referral = make_referral(world, programme, referred_on=admitted - datetime.timedelta(days=2))
    worker = world["referral"].user
    actions.claim(acting_user=worker, referral=referral)
    actions.refer_to_service(
        acting_user=worker,
        referral=referral,
        service=service_of(programme, "ost"),
        on=admitted - datetime.timedelta(days=1),
    )
    actions.record_admission(acting_user=worker, referral=referral, on=admitted)
    return referral


def run() -> int:
    result = send_follow_up_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    return int(result.return_value or 0)


def test_it_reminds_the_worker_once_when_a_follow_up_falls_due(
    world: World, programme: Programme, inbox: Inbox
) -> None:
    User.objects.filter(pk=world["referral"].user.pk).update(email="rw@example.org")
    due_30 = _admitted(world, programme, days(-31))
    due_30_and_90 = _admitted(world, programme, days(-95))
    not_yet = _admitted(world, programme, days(-10))
    recorded = _admitted(world, programme, days(-40))
    actions.record_retention(
        acting_user=world["referral"].user,
        referral=recorded,
        day=30,
        retained=True,
        source="client",
    )

    assert run() == 1
    (message,) = inbox.to("rw@example.org")
    text = message.as_string() + body_of(message)
    assert "3 referral follow-ups are due" in body_of(message)
    assert f"{SITE}/referrals/" in body_of(message)
    for referral in (due_30, due_30_and_90, not_yet, recorded):
        assert referral.code not in text
    assert "Podil" not in text
    assert Referral.objects.get(pk=due_30_and_90.pk).reminded_90 is not None
    assert Referral.objects.get(pk=not_yet.pk).reminded_30 is None

    assert run() == 0  # each follow-up is reminded once
    assert len(inbox.received) == 1


def test_it_lists_due_follow_ups_in_the_queue(
    world: World, programme: Programme, signed_in: Any
) -> None:
    due = _admitted(world, programme, days(-31))
    later = _admitted(world, programme, days(-3))
    page = signed_in("referral").get("/referrals/").content.decode()
    section = page[page.index("Follow-ups due") :]
    assert due.code in section and later.code not in section
