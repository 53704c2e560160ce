"""Background work for intake (django-tasks).

A report whose author said she is in danger right now must not wait for the
next inbox visit: every member who triages reports is emailed at once. The
email says only that an urgent report arrived and links to it; the report
itself is read after signing in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from vigil import policy
from vigil.accounts.models import User
from vigil.intake.models import Submission, SubmissionStatus
from vigil.policy import Perm


def on_duty(organisation_id: int) -> list[User]:
    """Active members who triage reports, with an address to write to."""
    triaging = policy.members_with(Perm.TRIAGE, organisation_id).values("user_id")
    return list(
        User.objects.filter(is_active=True, pk__in=triaging)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _message(user: User, link: str) -> tuple[str, str]:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Vigil: urgent report, she says she is in danger now")
        body = _(
            "A report has just arrived from someone who says she is in danger right now. "
            "Please look at it first: %(link)s"
        ) % {"link": link}
    return subject, body + "\n"


@task()
def notify_danger(submission_id: int) -> int:
    """Email the members on duty; returns how many were written to."""
    submission = Submission.objects.filter(
        pk=submission_id, urgent=True, status=SubmissionStatus.NEW
    ).first()
    if submission is None:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("intake:submission", args=[submission.pk])
    sent = 0
    for user in on_duty(submission.organisation_id):
        subject, body = _message(user, link)
        sent += send_mail(subject, body, None, [user.email], fail_silently=False)
    return sent


def _case_team_of(submission: Submission) -> tuple[list[User], str]:
    """The assigned members of the case her report became, and where to look."""
    from vigil.cases.models import Case

    cases = (
        Case.objects.filter(pk=submission.case_id) if submission.case_id else Case.objects.none()
    )
    if not submission.case_id and submission.event_id:
        cases = Case.objects.filter(incidents=submission.event_id)
    case = cases.order_by("pk").first()
    if case is None:
        return [], reverse("intake:submission", args=[submission.pk])
    users = list(
        case.assignees.filter(is_active=True)
        .exclude(email="")
        .filter(memberships__organisation_id=case.organisation_id, memberships__is_active=True)
        .distinct()
    )
    return users, reverse("cases:detail", args=[case.pk])


@task()
def notify_new_message(submission_id: int) -> int:
    """She wrote again after triage: tell the case's assignees (a link only)."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None:
        return 0
    users, path = _case_team_of(submission)
    link = settings.SITE_URL.rstrip("/") + path
    sent = 0
    for user in users:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _("Vigil: a new message on one of your cases")
            body = _(
                "The woman whose report became one of your cases has written again. "
                "Read it here: %(link)s"
            ) % {"link": link}
        sent += send_mail(subject, body + "\n", None, [user.email], fail_silently=False)
    return sent
