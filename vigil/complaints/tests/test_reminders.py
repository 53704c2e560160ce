"""Deadline reminders: a django-tasks job emails lawyers through a real SMTP server
(aiosmtpd, started here) with a count and a link only."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from vigil.accounts.models import Membership, User
from vigil.complaints import actions
from vigil.complaints.models import LegalAction
from vigil.complaints.tasks import send_deadline_reminders
from vigil.complaints.tests.helpers import (
    LEGAL_NAME,
    PLACE,
    SUMMARY,
    days_ago,
    filed,
    make_action,
    make_case,
)
from vigil.conftest import World
from vigil.mailtest import Inbox, body_of, free_port, smtp_server

SITE = "https://vigil.example.org"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    settings.SITE_URL = SITE
    settings.TASKS = IMMEDIATE
    with smtp_server(settings) as handler:
        yield handler


def with_email(user: User, address: str) -> User:
    User.objects.filter(pk=user.pk).update(email=address)
    user.refresh_from_db()
    return user


def run() -> int:
    result = send_deadline_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.return_value is not None
    return int(result.return_value)


def due_in(action: LegalAction, days: int, remind_from: int = 0) -> None:
    today = timezone.localdate()
    LegalAction.objects.filter(pk=action.pk).update(
        due_date=today + datetime.timedelta(days=days),
        remind_on=today + datetime.timedelta(days=remind_from),
    )


def test_it_reminds_before_and_after_the_due_date_with_a_link_only(
    world: World, inbox: Inbox
) -> None:
    lawyer = with_email(world["lawyer"].user, "lawyer@example.org")
    made = make_case(world, pseudonym="Zarina")
    soon = filed(world, made, submitted_on=days_ago(25))
    late = filed(world, make_case(world, pseudonym="Aigul"), submitted_on=days_ago(40))
    later = filed(world, make_case(world, pseudonym="Dana"))
    due_in(soon, 2)
    due_in(late, -1, remind_from=-4)
    due_in(later, 20, remind_from=17)

    assert run() == 1

    (message,) = inbox.to("lawyer@example.org")
    text = body_of(message)
    assert f"{SITE}/complaints/agenda/" in text
    assert "The response to 1 of your legal actions is due soon." in text
    assert "1 of your legal actions is past its response deadline." in text
    everything = message.as_string() + text
    for sensitive in (
        "Zarina",
        "Aigul",
        "Dana",
        LEGAL_NAME,
        SUMMARY,
        PLACE,
        soon.code,
        made.case.code,
        soon.body.name,
        "77/1",
        "Киев",
        "internal security",
    ):
        assert sensitive not in everything, sensitive
    refreshed = {a.pk: a for a in LegalAction.objects.all()}
    assert refreshed[soon.pk].reminded_before_at is not None
    assert refreshed[late.pk].reminded_after_at is not None
    assert refreshed[later.pk].reminded_before_at is None
    assert lawyer.email == "lawyer@example.org"


def test_each_reminder_goes_once(world: World, inbox: Inbox) -> None:
    with_email(world["lawyer"].user, "lawyer@example.org")
    action = filed(world, make_case(world), submitted_on=days_ago(25))
    due_in(action, 1)
    assert run() == 1
    assert run() == 0
    due_in(action, -2, remind_from=-5)  # the deadline passes: the "after" reminder goes once
    assert run() == 1
    assert "past its response deadline" in body_of(inbox.to("lawyer@example.org")[-1])
    assert run() == 0
    assert len(inbox.received) == 2


def test_answered_drafts_and_unreachable_lawyers_get_no_reminder(
    world: World, inbox: Inbox
) -> None:
    lawyer = with_email(world["lawyer"].user, "lawyer@example.org")
    made = make_case(world)
    answered = filed(world, made, submitted_on=days_ago(25))
    due_in(answered, -1, remind_from=-3)
    actions.record_response(
        lawyer, answered, made.key, response="token", response_on=days_ago(2), outcomes=[]
    )
    coordinator = world["coordinator"].user  # no email address
    no_email = filed(world, make_case(world), submitted_on=days_ago(25), lawyer=coordinator)
    due_in(no_email, -1, remind_from=-3)
    make_action(world, make_case(world))  # a draft: nothing is due
    assert run() == 0

    gone = filed(world, make_case(world), submitted_on=days_ago(25))
    due_in(gone, -1, remind_from=-3)
    Membership.objects.filter(user=lawyer).update(is_active=False)

    assert run() == 0
    assert inbox.received == []


def test_the_email_is_in_the_lawyers_language(world: World, inbox: Inbox) -> None:
    lawyer = with_email(world["lawyer"].user, "lawyer@example.org")
    User.objects.filter(pk=lawyer.pk).update(preferred_language="ru")
    action = filed(world, make_case(world), submitted_on=days_ago(25))
    due_in(action, 1)
    assert run() == 1
    assert f"{SITE}/complaints/agenda/" in body_of(inbox.to("lawyer@example.org")[0])


def test_a_failed_delivery_is_retried_on_the_next_run(world: World, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    settings.TASKS = IMMEDIATE
    with_email(world["lawyer"].user, "lawyer@example.org")
    action = filed(world, make_case(world), submitted_on=days_ago(25))
    due_in(action, 1)
    result = send_deadline_reminders.enqueue()
    assert result.status == TaskResultStatus.FAILED
    action.refresh_from_db()
    assert action.reminded_before_at is None


def test_the_command_queues_the_job(world: World, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("send_deadline_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115 - discarded output
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "vigil.complaints.tasks.send_deadline_reminders"


def test_the_command_runs_the_job_with_the_immediate_backend(world: World, inbox: Inbox) -> None:
    with_email(world["lawyer"].user, "lawyer@example.org")
    action = filed(world, make_case(world), submitted_on=days_ago(25))
    due_in(action, 1)
    call_command("send_deadline_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115 - discarded output
    assert len(inbox.to("lawyer@example.org")) == 1


def test_filing_sets_the_reminder_day_a_few_working_days_before(world: World) -> None:
    action = filed(world, make_case(world), submitted_on=datetime.date(2026, 3, 2))
    # 2 Mar + 30 calendar days = Wed 1 Apr; 3 working days before = Fri 27 Mar.
    assert action.due_date == datetime.date(2026, 4, 1)
    assert action.remind_on == datetime.date(2026, 3, 27)
