"""Background work for referrals (django-tasks).

Emails carry a link and a count only: no code, district, reason or name, since
a mailbox may be read by someone else (or seized).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from vigil import policy
from vigil.accounts.models import User
from vigil.audit.log import record
from vigil.referrals.models import FOLLOW_UP_DAYS, Referral


def _link() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("referrals:queue")


def on_call_recipients(referral: Referral) -> list[User]:
    """The programme's on-call worker, else every active referral worker of the organisation."""
    on_duty = policy.referral_workers(referral.organisation_id).values("user_id")
    workers = User.objects.filter(is_active=True, pk__in=on_duty).exclude(email="")
    on_call = referral.programme.on_call_id
    if on_call is not None and workers.filter(pk=on_call).exists():
        return list(workers.filter(pk=on_call))
    return list(workers.order_by("pk"))


@task()
def notify_on_call(referral_id: int) -> int:
    referral = Referral.objects.select_related("programme").get(pk=referral_id)
    sent = 0
    for user in on_call_recipients(referral):
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _("Vigil: a new referral is waiting")
            body = _("A police referral is waiting for a referral worker.")
            body += "\n\n" + _("Sign in to see it: %(link)s") % {"link": _link()} + "\n"
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent


def due_follow_ups(today: datetime.date) -> list[tuple[Referral, int]]:
    """(referral, day) pairs whose follow-up date has come, not recorded, not yet reminded."""
    due: list[tuple[Referral, int]] = []
    open_ = Referral.objects.filter(
        admitted_on__isnull=False, closed_on__isnull=True, claimed_by__isnull=False
    ).select_related("claimed_by")
    for day in FOLLOW_UP_DAYS:
        rows = open_.filter(
            **{f"retained_{day}__isnull": True, f"reminded_{day}__isnull": True},
            admitted_on__lte=today - datetime.timedelta(days=day),
        )
        due.extend((row, day) for row in rows)
    return due


def _message(user: User, count: int) -> tuple[str, str]:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Vigil: referral follow-ups due")
        body = ngettext(
            "%(count)d referral follow-up is due.",
            "%(count)d referral follow-ups are due.",
            count,
        ) % {"count": count}
        body += "\n\n" + _("Sign in to see them: %(link)s") % {"link": _link()} + "\n"
    return subject, body


@task()
def send_follow_up_reminders() -> int:
    """Email each worker once about the follow-ups that fell due; return emails sent."""
    now = timezone.now()
    by_user: dict[int, list[tuple[Referral, int]]] = defaultdict(list)
    for referral, day in due_follow_ups(timezone.localdate()):
        by_user[referral.claimed_by_id].append((referral, day))  # type: ignore[index]
    sent = 0
    for items in by_user.values():
        user = items[0][0].claimed_by
        if user is None or not user.email or not user.is_active:
            continue
        with transaction.atomic():
            claimed = 0
            for referral, day in items:
                claimed += Referral.objects.filter(
                    pk=referral.pk, **{f"reminded_{day}__isnull": True}
                ).update(**{f"reminded_{day}": now})
            if not claimed:
                continue
            subject, body = _message(user, claimed)
            # An SMTP failure rolls the marks back, so the next run retries.
            send_mail(subject, body, None, [user.email])
            record(None, "referral.reminders", emails=1)
        sent += 1
    return sent
