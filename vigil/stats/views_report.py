"""Advocacy report pages: ask for a report, watch it being built, download it.

Generating runs as a task (``tasks.generate_report``); the status page shows
its progress in a ``<progress>`` element and reloads itself with a meta
refresh while it runs, so it works without JavaScript. Exporting statistics
(``Perm.STATS_EXPORT``) is the permission; each member sees only her own
reports (another member's is 404).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from vigil import policy
from vigil.accounts.models import Membership
from vigil.lib.requests import StaffRequest
from vigil.policy import Perm
from vigil.stats import access, actions, report, tasks
from vigil.stats.forms import ReportForm
from vigil.stats.models import ReportJob, ReportStatus

logger = logging.getLogger(__name__)

WORKER_GRACE = timedelta(minutes=1)

RECENT = 10
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _form(request: StaffRequest, membership: Membership) -> ReportForm | None:
    """The form for this member; None for a network analyst whose organisation hosts no
    network (nothing to report on)."""
    data = request.POST if request.method == "POST" else None
    if policy.stats_scope_is_network(membership):
        networks = list(access.networks_for(membership))
        if not networks:
            return None
        return ReportForm(data, networks=networks, countries=None)
    return ReportForm(data, countries=[membership.organisation.country])


def _enqueue(job: ReportJob) -> None:
    try:
        tasks.generate_report.enqueue(job.pk)
    except Exception:  # the backend is down: say so on the status page, not with a 500
        logger.exception("could not enqueue report %s", job.pk)
        ReportJob.objects.filter(pk=job.pk, status=ReportStatus.QUEUED).update(
            status=ReportStatus.FAILED, finished_at=timezone.now()
        )


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.STATS_EXPORT)
def report_new(request: StaffRequest) -> HttpResponse:
    membership: Membership = request.membership
    form = _form(request, membership)
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            job = actions.request_report(
                request.user,
                membership,
                network=form.chosen_network(),
                country=data["country"],
                date_from=data["date_from"],
                date_to=data["date_to"],
                language=data["language"],
            )
            _enqueue(job)
            return redirect("stats:report_status", pk=job.pk)
    recent = ReportJob.objects.filter(
        organisation_id=membership.organisation_id,
        requested_by_id=membership.user_id,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")[:RECENT]
    context: dict[str, Any] = {
        "form": form,
        "recent": list(recent),
        "keep_days": report.keep_days(),
    }
    return render(request, "stats/report_new.html", context)


@require_GET
@policy.staff_view(Perm.STATS_EXPORT)
def report_status(request: StaffRequest, pk: int) -> HttpResponse:
    job = access.get_report_job(request, pk)
    now = timezone.now()
    context = {
        "job": job,
        "expired": job.expires_at <= now,
        # A job still queued after a minute means no worker is running: say so
        # instead of letting the page reload forever.
        "no_worker": job.status == ReportStatus.QUEUED and job.created_at <= now - WORKER_GRACE,
    }
    return render(request, "stats/report_status.html", context)


def _download(request: StaffRequest, pk: int, file_format: str) -> FileResponse:
    job = access.get_report_job(request, pk)
    name = job.docx_name if file_format == "docx" else job.pdf_name
    if job.status != ReportStatus.DONE or not name or job.expires_at <= timezone.now():
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    actions.record_report_download(
        request.user,
        request.membership,
        job,
        file_format,
    )
    filename = f"{report.file_stem(job.date_from, job.date_to, job.language)}.{file_format}"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[file_format]
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@policy.staff_view(Perm.STATS_EXPORT)
def report_docx(request: StaffRequest, pk: int) -> FileResponse:
    return _download(request, pk, "docx")


@require_GET
@policy.staff_view(Perm.STATS_EXPORT)
def report_pdf(request: StaffRequest, pk: int) -> FileResponse:
    return _download(request, pk, "pdf")
