"""Deadline reminders for lawyers (django-tasks; the database worker runs them).

Two reminders per legal action awaiting an answer: a few working days before
the body's response is due, and once after the due date has passed. The email
says only how many actions need attention and links to the agenda: no case
code, no body, no name, no fact. A mailbox may be read by someone else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from vigil import policy
from vigil.accounts.models import User
from vigil.complaints.models import AWAITING_RESPONSE, LegalAction
from vigil.policy import Perm


def _reachable(actions: QuerySet[LegalAction]) -> QuerySet[LegalAction]:
    """Actions whose lawyer is an active lawyer/coordinator of the organisation with an email."""
    return (
        actions.filter(
            status__in=AWAITING_RESPONSE,
            lawyer__is_active=True,
            lawyer__memberships__organisation_id=F("organisation_id"),
            lawyer__memberships__is_active=True,
            lawyer__memberships__role__in=policy.roles_with(Perm.LEGAL_FILE),
        )
        .exclude(lawyer__email="")
        .select_related("lawyer")
        .order_by("lawyer_id", "pk")
    )


def due_soon(today: datetime.date) -> list[LegalAction]:
    """Not yet due, reminder day reached, not reminded before."""
    return list(
        _reachable(
            LegalAction.objects.filter(
                remind_on__lte=today, due_date__gte=today, reminded_before_at__isnull=True
            )
        )
    )


def overdue(today: datetime.date) -> list[LegalAction]:
    """Past the due date with no answer recorded, not reminded after."""
    return list(
        _reachable(LegalAction.objects.filter(due_date__lt=today, reminded_after_at__isnull=True))
    )


@dataclass
class Pending:
    user: User
    soon: list[int]
    late: list[int]


def _message(user: User, soon: int, late: int) -> tuple[str, str]:
    link = settings.SITE_URL.rstrip("/") + reverse("complaints:agenda")
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Vigil: response deadlines")
        lines = []
        if soon:
            lines.append(
                ngettext(
                    "The response to %(count)d of your legal actions is due soon.",
                    "The responses to %(count)d of your legal actions are due soon.",
                    soon,
                )
                % {"count": soon}
            )
        if late:
            lines.append(
                ngettext(
                    "%(count)d of your legal actions is past its response deadline.",
                    "%(count)d of your legal actions are past their response deadline.",
                    late,
                )
                % {"count": late}
            )
        lines.append("")
        lines.append(_("Sign in to see them: %(link)s") % {"link": link})
    return subject, "\n".join(lines) + "\n"


def _claim(ids: list[int], column: str, now: datetime.datetime) -> list[int]:
    """Mark reminded unless another worker already did; return the ids we claimed."""
    claimed = []
    for pk in ids:
        if LegalAction.objects.filter(pk=pk, **{f"{column}__isnull": True}).update(**{column: now}):
            claimed.append(pk)
    return claimed


def _unclaim(ids: list[int], column: str, now: datetime.datetime) -> None:
    LegalAction.objects.filter(pk__in=ids, **{column: now}).update(**{column: None})


@task()
def send_deadline_reminders() -> int:
    """Email each lawyer once per run about her due-soon and overdue actions; return emails sent."""
    today = timezone.localdate()
    now = timezone.now()
    pending: dict[int, Pending] = {}
    for row in due_soon(today):
        pending.setdefault(row.lawyer_id, Pending(row.lawyer, [], [])).soon.append(row.pk)  # type: ignore[arg-type]
    for row in overdue(today):
        pending.setdefault(row.lawyer_id, Pending(row.lawyer, [], [])).late.append(row.pk)  # type: ignore[arg-type]
    sent = 0
    failure: Exception | None = None
    for item in pending.values():
        soon = _claim(item.soon, "reminded_before_at", now)
        late = _claim(item.late, "reminded_after_at", now)
        if not soon and not late:
            continue
        subject, body = _message(item.user, len(soon), len(late))
        try:
            send_mail(subject, body, None, [item.user.email])
        except Exception as exc:  # one bad address must not stop the others
            _unclaim(soon, "reminded_before_at", now)
            _unclaim(late, "reminded_after_at", now)
            failure = exc
        else:
            sent += 1
    if failure is not None:
        raise failure  # the worker records the run as failed; the next run retries
    return sent
