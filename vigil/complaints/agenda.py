"""The lawyer's legal-action deadlines, for the agenda page and for "my work".

``rows`` is one query (plus the related rows it selects), whatever its length.
To put overdue legal actions on "my work" (cases app), add to its context
``"legal_deadlines": agenda.my_deadlines(request)`` and include
``complaints/_my_deadlines.html`` at the top of its template.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, QuerySet, Value
from django.utils import timezone

from vigil.complaints import access
from vigil.complaints.models import AWAITING_RESPONSE, ActionStatus, LegalAction
from vigil.lib.requests import StaffRequest
from vigil.policy import Perm

MY_WORK_LIMIT = 10


def rows(request: StaffRequest, today: datetime.date) -> QuerySet[LegalAction]:
    """My open legal actions: overdue first, then by due date (none last)."""
    overdue = models.Case(
        models.When(status__in=AWAITING_RESPONSE, due_date__lt=today, then=Value(True)),
        default=Value(False),
        output_field=models.BooleanField(),
    )
    return (
        access.legal_actions_for(request, Perm.LEGAL_AGENDA)
        .filter(lawyer_id=request.user.pk)
        .exclude(status=ActionStatus.CLOSED)
        .annotate(overdue=overdue)
        .select_related("case", "case__client", "body")
        .order_by("-overdue", F("due_date").asc(nulls_last=True), "number")
    )


def my_deadlines(request: StaffRequest) -> list[LegalAction] | None:
    """The first few for "my work"; None for a role without an agenda."""
    if not access.can(getattr(request, "membership", None), Perm.LEGAL_AGENDA):
        return None
    return list(rows(request, timezone.localdate())[:MY_WORK_LIMIT])
