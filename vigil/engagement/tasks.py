"""Follow-up reminders (django-tasks; the database worker runs them).

A community-board suggestion not yet answered, and a detention-visit
recommendation still open, earn one reminder when their due date comes within
a few days (or has passed). The email says only how many follow-ups need
attention and links to the engagement page: no code, board, text or name.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from vigil import policy
from vigil.accounts.models import User
from vigil.engagement.models import (
    OPEN_RECOMMENDATION,
    Recommendation,
    Suggestion,
    SuggestionStatus,
)
from vigil.policy import Perm


def remind_days() -> int:
    return int(getattr(settings, "ENGAGEMENT_REMIND_DAYS_BEFORE", 3))


def _active(user: User | None, organisation_id: int, perm: Perm) -> bool:
    if user is None or not user.is_active or not user.email:
        return False
    membership = user.memberships.filter(organisation_id=organisation_id).first()
    return policy.can(membership, perm)


def _recipients_of_suggestion(s: Suggestion) -> set[User]:
    people: set[User] = set()
    if s.addressed_to is not None and _active(
        s.addressed_to.user, s.organisation_id, Perm.ENGAGEMENT_ANSWER
    ):
        people.add(s.addressed_to.user)
    if _active(s.created_by, s.organisation_id, Perm.ENGAGEMENT_MANAGE):
        people.add(s.created_by)  # type: ignore[arg-type]
    return people


def _recipients_of_recommendation(r: Recommendation) -> set[User]:
    visit = r.visit
    people = {
        u for u in visit.team.all() if _active(u, visit.organisation_id, Perm.DETENTION_MONITORING)
    }
    if _active(visit.created_by, visit.organisation_id, Perm.DETENTION_MONITORING):
        people.add(visit.created_by)  # type: ignore[arg-type]
    return people


def _message(user: User, count: int) -> tuple[str, str]:
    link = settings.SITE_URL.rstrip("/") + reverse("engagement:index")
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Vigil: follow-ups due")
        line = ngettext(
            "%(count)d follow-up with the police or an oversight body is due.",
            "%(count)d follow-ups with the police or oversight bodies are due.",
            count,
        ) % {"count": count}
        body = f"{line}\n\n" + _("Sign in to see them: %(link)s") % {"link": link}
    return subject, body + "\n"


def _claim(model: type[Suggestion] | type[Recommendation], pk: int, now: datetime.datetime) -> bool:
    """Mark reminded unless another worker already did."""
    return bool(model.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now))


@task()
def send_follow_up_reminders() -> int:
    """Email each person once per run about her due follow-ups; return emails sent."""
    today = timezone.localdate()
    now = timezone.now()
    horizon = today + datetime.timedelta(days=remind_days())
    pending: dict[User, list[tuple[type[Suggestion] | type[Recommendation], int]]] = defaultdict(
        list
    )
    suggestions = Suggestion.objects.filter(
        status=SuggestionStatus.SUBMITTED, due_date__lte=horizon, reminded_at__isnull=True
    ).select_related("addressed_to__user", "created_by")
    for s in suggestions:
        for user in _recipients_of_suggestion(s):
            pending[user].append((Suggestion, s.pk))
    recommendations = Recommendation.objects.filter(
        status__in=OPEN_RECOMMENDATION, due_date__lte=horizon, reminded_at__isnull=True
    ).select_related("visit", "visit__created_by")
    for r in recommendations:
        for user in _recipients_of_recommendation(r):
            pending[user].append((Recommendation, r.pk))
    claimed: set[tuple[type, int]] = set()
    for items in pending.values():
        for model, pk in items:
            if (model, pk) not in claimed and _claim(model, pk, now):
                claimed.add((model, pk))
    sent = 0
    failure: Exception | None = None
    for user, items in sorted(pending.items(), key=lambda pair: pair[0].pk):
        mine = [item for item in items if item in claimed]
        if not mine:
            continue
        subject, body = _message(user, len(mine))
        try:
            send_mail(subject, body, None, [user.email])
        except Exception as exc:  # one bad address must not stop the others
            for model, pk in mine:  # the next run tries again (others may hear twice)
                model.objects.filter(pk=pk, reminded_at=now).update(reminded_at=None)
            failure = exc
        else:
            sent += 1
    if failure is not None:
        raise failure  # the worker records the run as failed
    return sent
