"""Task reminders: a django-tasks job that emails a count and a link, through real SMTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from vigil.accounts.models import User
from vigil.cases import actions as case_actions
from vigil.cases.models import CaseStatus, Task
from vigil.cases.tasks import send_task_reminders
from vigil.cases.tests.test_case_views import add_tasks, days, make_case
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
    result = send_task_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.return_value is not None
    return int(result.return_value)


def test_it_emails_a_count_and_a_link_without_sensitive_content(world: World, inbox: Inbox) -> None:
    me = with_email(world["caseworker"].user, "cw@example.org")
    made = make_case(world, pseudonym="Zarina")
    overdue, tomorrow, later = add_tasks(made, me, [days(-3), days(1), days(2)])
    secret = "Meet Zarina at the OST site on Lesi Ukrainky"
    case_actions.add_task(me, made.case, made.key, title=secret, due_date=days(0), assignee=me)

    assert run() == 1

    (message,) = inbox.to("cw@example.org")
    text = message.as_string() + body_of(message)
    assert f"{SITE}/my-work/" in body_of(message)
    assert "3 tasks" in body_of(message)
    for sensitive in ("Zarina", secret, "task number", made.case.code, "Lesi"):
        assert sensitive not in text, sensitive
    reminded = set(Task.objects.filter(reminded_at__isnull=False).values_list("pk", flat=True))
    assert overdue.pk in reminded and tomorrow.pk in reminded
    assert later.pk not in reminded


def test_it_reminds_each_assignee_once(world: World, inbox: Inbox) -> None:
    me = with_email(world["caseworker"].user, "cw@example.org")
    lawyer = with_email(world["lawyer"].user, "lawyer@example.org")
    made = make_case(world)
    add_tasks(made, me, [days(-1), days(0)])
    add_tasks(made, lawyer, [days(1)])

    assert run() == 2
    assert len(inbox.to("cw@example.org")) == 1
    assert "2 tasks" in body_of(inbox.to("cw@example.org")[0])
    assert "1 task " in body_of(inbox.to("lawyer@example.org")[0])

    assert run() == 0  # already reminded
    assert len(inbox.received) == 2

    add_tasks(made, me, [days(-5)])  # a new task is reminded on the next run
    assert run() == 1
    assert "1 task " in body_of(inbox.to("cw@example.org")[-1])


def test_it_skips_done_closed_and_unreachable_tasks(world: World, inbox: Inbox) -> None:
    me = with_email(world["caseworker"].user, "cw@example.org")
    without_email = world["lawyer"].user
    made = make_case(world)
    (done,) = add_tasks(made, me, [days(-1)])
    case_actions.complete_task(me, done)
    add_tasks(made, without_email, [days(-1)])

    closed = make_case(world, pseudonym="Closed")
    add_tasks(closed, me, [days(-1)])
    closed.case.status = CaseStatus.CLOSED
    closed.case.save(update_fields=["status"])

    analyst = with_email(world["analyst"].user, "analyst@example.org")
    add_tasks(make_case(world, pseudonym="Third"), analyst, [days(-1)])

    assert run() == 0
    assert inbox.received == []


def test_it_leaves_tasks_unreminded_when_the_mail_server_fails(world: World, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    settings.TASKS = IMMEDIATE
    me = with_email(world["caseworker"].user, "cw@example.org")
    add_tasks(make_case(world), me, [days(-1)])
    result = send_task_reminders.enqueue()
    assert result.status == TaskResultStatus.FAILED
    assert not Task.objects.filter(reminded_at__isnull=False).exists()


def test_the_command_queues_the_job_for_the_worker(world: World, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    me = with_email(world["caseworker"].user, "cw@example.org")
    add_tasks(make_case(world), me, [days(-1)])
    call_command("send_task_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115 - discarded output
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "vigil.cases.tasks.send_task_reminders"
    assert not Task.objects.filter(reminded_at__isnull=False).exists()  # not run yet


def test_the_command_runs_the_job_with_the_immediate_backend(world: World, inbox: Inbox) -> None:
    me = with_email(world["caseworker"].user, "cw@example.org")
    add_tasks(make_case(world), me, [days(-1)])
    call_command("send_task_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115 - discarded output
    assert len(inbox.to("cw@example.org")) == 1
