"""Background work for cases (django-tasks; run by the database worker in production).

Reminder emails carry no case content at all: a mailbox may be read by
someone else (or seized), so they say how many tasks are due and link to
"my work", where the member signs in to see the rest.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from vigil import policy
from vigil.accounts.models import User
from vigil.cases.models import CaseStatus, Task
from vigil.policy import Perm


def due_for_reminder(today: datetime.date) -> list[Task]:
    """Open tasks due tomorrow or earlier, not yet reminded, of active case-team members."""
    return list(
        Task.objects.filter(
            done_at__isnull=True,
            reminded_at__isnull=True,
            due_date__lte=today + datetime.timedelta(days=1),
            assignee__is_active=True,
            assignee__memberships__organisation_id=F("case__organisation_id"),
            assignee__memberships__is_active=True,
            assignee__memberships__role__in=policy.roles_with(Perm.MY_WORK),
        )
        .exclude(case__status=CaseStatus.CLOSED)
        .exclude(assignee__email="")
        .select_related("assignee")
        .order_by("assignee_id", "pk")
    )


def _message(user: User, count: int) -> tuple[str, str]:
    link = settings.SITE_URL.rstrip("/") + reverse("cases:my_work")
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Vigil: tasks waiting for you")
        body = ngettext(
            "You have %(count)d task due tomorrow or overdue.",
            "You have %(count)d tasks due tomorrow or overdue.",
            count,
        ) % {"count": count}
        body += "\n\n" + _("Sign in to see them: %(link)s") % {"link": link} + "\n"
    return subject, body


def _claim(task_ids: list[int], now: datetime.datetime) -> int:
    """Mark tasks reminded unless another worker already did; return how many we claimed."""
    return Task.objects.filter(pk__in=task_ids, reminded_at__isnull=True).update(reminded_at=now)


@task()
def send_task_reminders() -> int:
    """Email each assignee once about their due tasks; return the number of emails sent."""
    now = timezone.now()
    by_user: dict[int, list[Task]] = defaultdict(list)
    for row in due_for_reminder(timezone.localdate()):
        by_user[row.assignee_id].append(row)  # type: ignore[index]
    sent = 0
    failure: Exception | None = None
    for rows in by_user.values():
        ids = [row.pk for row in rows]
        claimed = _claim(ids, now)
        if not claimed:
            continue
        user = rows[0].assignee
        subject, body = _message(user, claimed)  # type: ignore[arg-type]
        try:
            send_mail(subject, body, None, [user.email])  # type: ignore[union-attr]
        except Exception as exc:  # one bad address must not stop the others
            # Unclaim so the next run retries this member.
            Task.objects.filter(pk__in=ids, reminded_at=now).update(reminded_at=None)
            failure = exc
        else:
            sent += 1
    if failure is not None:
        raise failure  # the worker records the run as failed
    return sent
