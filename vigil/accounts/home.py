"""The home page's panels: what waits for this member, as counts only.

Each panel appears when the member holds the permission behind it (through
``vigil.policy``), not by role name, so a role that gains a permission gains
the panel. Nothing here opens sealed data: a home page on a shared screen
shows numbers and links, never a name or a narrative.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil import policy
from vigil.accounts.models import Membership
from vigil.cases.models import CaseStatus, Task
from vigil.cases.transitions import CLOSABLE
from vigil.complaints import access as complaints_access
from vigil.complaints.models import ActionStatus
from vigil.intake import conversation
from vigil.intake.models import Submission, SubmissionStatus
from vigil.lib.requests import as_staff
from vigil.policy import Perm

# Legal actions whose answer is due within this many days are listed as due soon.
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Figure:
    label: str | Promise
    count: int | None  # None: hidden by disclosure control
    url: str = ""
    alarm: bool = False  # worth attention now (overdue, waiting)


@dataclass
class Panel:
    title: str | Promise
    figures: list[Figure] = field(default_factory=list)


def _membership(request: HttpRequest) -> Membership:
    membership: Membership = as_staff(request).membership
    return membership


def _reports_panel(request: HttpRequest) -> Panel:
    waiting = policy.submissions_for(request).filter(status=SubmissionStatus.NEW).count()
    inbox = reverse("intake:inbox")
    return Panel(_("Reports"), [Figure(_("New reports in the inbox"), waiting, inbox, waiting > 0)])


def _work_panel(request: HttpRequest, today: datetime.date) -> Panel:
    cases = policy.cases_for(request)
    mine = Task.objects.filter(case__in=cases, assignee=request.user, done_at__isnull=True)
    counts = mine.aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        today=Count("pk", filter=Q(due_date=today)),
    )
    by_status = dict(
        cases.exclude(status=CaseStatus.CLOSED)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    my_work = reverse("cases:my_work")
    case_list = reverse("caselists:cases")
    unread = conversation.unread_messages(
        Submission.objects.filter(case__in=cases.filter(assignees=_membership(request).user_id))
    ).count()
    figures = [
        Figure(_("Unread messages from reporters on my cases"), unread, my_work, unread > 0),
        Figure(_("My overdue tasks"), counts["overdue"], my_work, counts["overdue"] > 0),
        Figure(_("My tasks due today"), counts["today"], my_work),
    ]
    figures += [
        Figure(label, by_status.get(value, 0), f"{case_list}?status={value}")
        for value, label in CaseStatus.choices
        if value != CaseStatus.CLOSED
    ]
    return Panel(_("Cases"), figures)


def _legal_panel(request: HttpRequest, today: datetime.date) -> Panel:
    pending = complaints_access.legal_actions_for(request, Perm.LEGAL_AGENDA).filter(
        status__in=[ActionStatus.SUBMITTED, ActionStatus.ACKNOWLEDGED, ActionStatus.APPEALED]
    )
    counts = pending.aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        soon=Count(
            "pk",
            filter=Q(due_date__gte=today, due_date__lte=today + datetime.timedelta(DUE_SOON_DAYS)),
        ),
        waiting=Count("pk"),
    )
    agenda = reverse("complaints:agenda")
    return Panel(
        _("Legal actions"),
        [
            Figure(_("Answers overdue"), counts["overdue"], agenda, counts["overdue"] > 0),
            Figure(_("Answers due in the next 14 days"), counts["soon"], agenda),
            Figure(_("Filed and awaiting a response"), counts["waiting"], agenda),
        ],
    )


def _coordination_panel(request: HttpRequest) -> Panel:
    membership = _membership(request)
    closures = (
        policy.cases_for(request, Perm.APPROVE_CLOSURE)
        .filter(closure_requested_at__isnull=False, status__in=CLOSABLE)
        .count()
    )
    members = Membership.objects.filter(organisation_id=membership.organisation_id, is_active=True)
    without_key = (
        policy.members_needing_keys(membership.organisation_id).filter(grant__isnull=True).count()
    )
    enrolled = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    without_totp = members.exclude(user_id__in=enrolled).count()
    member_list = reverse("accounts:member_list")
    return Panel(
        _("Coordination"),
        [
            Figure(
                _("Closures waiting for approval"), closures, reverse("cases:my_work"), closures > 0
            ),
            Figure(_("Active members"), members.count(), member_list),
            Figure(
                _("Members who need sealed data but have no key"),
                without_key,
                member_list,
                without_key > 0,
            ),
            Figure(
                _("Members without two-factor sign-in yet"),
                without_totp,
                member_list,
                without_totp > 0,
            ),
        ],
    )


def _figures_panel(request: HttpRequest, today: datetime.date) -> Panel | None:
    # Imported here: statistics pull in the aggregation module, needed by few roles.
    from vigil.stats import access as stats_access
    from vigil.stats.aggregate import Filters, Unit, key_figures

    scope = stats_access.scope_for(request)
    if scope is None:
        return None
    since = today.replace(day=1) - datetime.timedelta(days=365)
    figures = key_figures(scope, Filters(date_from=since.replace(day=1)))
    labels = {
        Unit.INCIDENTS: _("Incidents, last 12 months"),
        Unit.ACTS: _("Acts, last 12 months"),
        Unit.VICTIMS: _("Victims, last 12 months"),
    }
    url = reverse("stats:dashboard")
    return Panel(
        _("Latest figures"), [Figure(labels[unit], figures.get(unit), url) for unit in labels]
    )


def panels(request: HttpRequest) -> list[Panel]:
    """The panels for this member, most urgent work first."""
    membership = _membership(request)
    today = timezone.localdate()
    shown: list[Panel] = []
    if policy.can(membership, Perm.TRIAGE):
        shown.append(_reports_panel(request))
    if policy.can(membership, Perm.MY_WORK):
        shown.append(_work_panel(request, today))
    if policy.can(membership, Perm.LEGAL_AGENDA):
        shown.append(_legal_panel(request, today))
    if policy.can(membership, Perm.APPROVE_CLOSURE) and policy.can(membership, Perm.MANAGE_MEMBERS):
        shown.append(_coordination_panel(request))
    if policy.can(membership, Perm.STATS_VIEW):
        figures = _figures_panel(request, today)
        if figures is not None:
            shown.append(figures)
    return shown
