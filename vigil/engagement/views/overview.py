"""The engagement start page, the dashboard with its exports, and the calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil import policy
from vigil.engagement import actions, calendar, figures
from vigil.engagement.models import CalendarFeed, SuggestionStatus
from vigil.engagement.views.common import GET_POST, acting_membership, acting_user
from vigil.policy import Perm
from vigil.stats import exports


@policy.staff_view(Perm.ENGAGEMENT_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    today = timezone.localdate()
    context = {
        "may_manage": policy.engagement_may(request, Perm.ENGAGEMENT_MANAGE),
        "may_visit": policy.engagement_may(request, Perm.DETENTION_MONITORING),
        "may_dashboard": policy.engagement_may(request, Perm.ENGAGEMENT_DASHBOARD),
        "upcoming": policy.activities_for(request).filter(date__gte=today).order_by("date")[:10],
        "open_suggestions": policy.suggestions_of(membership)
        .filter(status=SuggestionStatus.SUBMITTED)
        .order_by("due_date", "pk")[:20],
        "partners": policy.partners_for(request).select_related("body")[:20],
        "today": today,
    }
    return render(request, "engagement/index.html", context)


@policy.staff_view(Perm.ENGAGEMENT_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    may_manage = policy.engagement_may(request, Perm.ENGAGEMENT_MANAGE)
    context = {
        "figures": figures.compute([membership.organisation_id]),
        # Follow-ups are records, not statistics: only for those who work on them.
        "overdue": figures.overdue_follow_ups(membership.organisation_id, timezone.localdate())
        if may_manage
        else [],
        "may_manage": may_manage,
        "threshold": figures.disclosure.min_cell(),
    }
    return render(request, "engagement/dashboard.html", context)


@require_GET
@policy.staff_view(Perm.STATS_EXPORT)
def export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    membership = acting_membership(request)
    policy.engagement_membership(request, Perm.ENGAGEMENT_DASHBOARD)
    rows = figures.export_rows(figures.compute([membership.organisation_id]))
    header = [_("Table"), _("Row"), _("Value")]
    actions.record_export(
        acting_user=acting_user(request), organisation=membership.organisation, fmt=fmt
    )
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        handle = exports.xlsx_file(header, rows, title=str(_("Engagement")))
        response = StreamingHttpResponse(
            handle,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="engagement.{fmt}"'
    return response


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_VIEW)
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Create a secret feed URL (shown once) or see whether one is active."""
    membership = acting_membership(request)
    url = ""
    if request.method == "POST":
        token = actions.create_feed(acting_user=acting_user(request), membership=membership)
        url = request.build_absolute_uri(f"/engagement/calendar/{token}.ics")
        messages.success(request, _("New calendar address created. Copy it now: it is shown once."))
    active = CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).first()
    return render(request, "engagement/calendar.html", {"url": url, "active": active})


@require_POST
@policy.staff_view(Perm.ENGAGEMENT_VIEW)
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    actions.revoke_feeds(acting_user=acting_user(request), membership=acting_membership(request))
    messages.success(request, _("Calendar address revoked."))
    return redirect("engagement:calendar")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Fetched by calendar applications without a session: the secret token is the key."""
    feed = policy.calendar_feed_for_token(actions.token_hash(token))
    response = HttpResponse(
        calendar.feed(feed.membership), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    return response
