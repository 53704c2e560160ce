"""Import pages (upload, mapping, dry run, progress) and the records export.

The records export runs on the worker too (``tasks.run_export``): the button
queues it, its page shows the progress the same way, and the finished file is
downloaded through ``vault.downloads`` with the session's key.

"Import now" queues a background task (``tasks.run_import``) that carries a
job key opening the keys it needs (``actions.queue``); the progress page only
shows the job's counters and reloads itself with a meta refresh (no
JavaScript). An interrupted job, or one whose worker died, is resumed from the
page by a coordinator whose session holds the organisation key.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil import policy
from vigil.imports import actions, reader, reads, tasks
from vigil.imports import fields as F
from vigil.imports.forms import MappingForm, UploadForm
from vigil.imports.models import ImportJob, JobStatus
from vigil.imports.rows import MESSAGES, Vocabulary, distinct_values
from vigil.incidents import evidence
from vigil.lib.requests import StaffRequest, as_staff
from vigil.policy import Perm
from vigil.vault import downloads

logger = logging.getLogger(__name__)

# A job still queued after this long means no worker is running: the page says so.
WORKER_GRACE = timedelta(minutes=1)
DISTINCT_LIMIT = 60
PROBLEMS_SHOWN = 500


def _vault(request: HttpRequest) -> Any:
    return as_staff(request).vault


@csrf_exempt  # checked by _index below, once our upload handler is in place
@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.IMPORT_RECORDS)
def index(request: HttpRequest) -> HttpResponseBase:
    policy.org_private_key(request)  # a locked vault stops here, before any upload
    if request.method == "POST":
        # Bytes go to an encrypted spool, never to a plaintext temporary file.
        request.upload_handlers = [evidence.SpoolUploadHandler(request, actions.max_bytes())]
    return _index(request)


@csrf_protect
def _index(request: HttpRequest) -> HttpResponse:
    membership = as_staff(request).membership
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organisation_id=membership.organisation_id,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if not isinstance(upload, evidence.SpooledUpload):
            form.add_error("file", _("The file did not arrive. Try again."))
        else:
            try:
                job = actions.upload(
                    as_staff(request).user,
                    membership.organisation,
                    upload.chunks(),
                    mapping=form.cleaned_data["mapping"],
                )
            finally:
                upload.close()
            return redirect("imports:mapping", pk=job.pk)
    jobs = policy.import_jobs_for(request).order_by("-created_at")[:20]
    exports = (
        policy.export_jobs_for(request).order_by("-created_at")[:10]
        if policy.can(membership, Perm.EXPORT_RECORDS)
        else []
    )
    context = {
        "form": form,
        "jobs": jobs,
        "exports": exports,
        "keep_hours": actions.export_keep_hours(),
    }
    return render(request, "imports/index.html", context)


def _sheet(request: HttpRequest, job: ImportJob) -> tuple[bytes, reader.Sheet]:
    try:
        data = reads.source_bytes(job, _vault(request))
    except reads.SourceGone as exc:
        raise Http404 from exc
    return data, reader.read(data, job.file_format)


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.IMPORT_RECORDS)
def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = policy.get_import_job_for_user(request, pk)
    if job.status not in {JobStatus.UPLOADED, JobStatus.CHECKED}:
        return redirect("imports:job", pk=job.pk)
    try:
        data, sheet = _sheet(request, job)
    except reader.Unreadable:
        messages.error(request, _("This file could not be read as CSV or XLSX."))
        return redirect("imports:job", pk=job.pk)
    saved = job.mapping
    columns = saved.columns if saved else F.suggest_columns(sheet.headers)
    if request.method == "POST":
        columns = {
            spec.name: request.POST.get(f"col_{spec.name}", "")
            for spec in F.FIELDS
            if request.POST.get(f"col_{spec.name}", "") in sheet.headers
        }
    distinct = distinct_values(sheet.headers, sheet.rows, columns, DISTINCT_LIMIT)
    vocabulary = Vocabulary(job.organisation_id)
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        initial={"name": saved.name if saved else ""},
        headers=sheet.headers,
        columns=columns,
        values=saved.values if saved else {},
        distinct=distinct,
        vocabulary=vocabulary,
    )
    if request.method == "POST" and form.is_valid():
        actions.save_mapping(
            as_staff(request).user,
            job,
            name=form.cleaned_data["name"],
            columns=form.columns(),
            values=form.values(),
        )
        if "check" in request.POST:
            _check(request, job, data)
            return redirect("imports:job", pk=job.pk)
        messages.success(request, _("Mapping saved."))
        return redirect("imports:mapping", pk=job.pk)
    context = {"job": job, "form": form, "headers": sheet.headers}
    return render(request, "imports/mapping.html", context)


def _problems(job: ImportJob) -> list[dict[str, Any]]:
    return [
        {**p, "message": MESSAGES.get(p["code"], p["code"])} for p in job.problems[:PROBLEMS_SHOWN]
    ]


@require_GET
@policy.staff_view(Perm.IMPORT_RECORDS)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    current = policy.get_import_job_for_user(request, pk)
    now = timezone.now()
    context = {
        "job": current,
        "problems": _problems(current),
        "problem_count": len(current.problems),
        "more_problems": max(0, len(current.problems) - PROBLEMS_SHOWN),
        "no_worker": current.is_unclaimed(now, WORKER_GRACE),
        "stalled": current.is_stalled(now),
        "can_resume": current.can_resume(now, WORKER_GRACE),
        "now": now,
    }
    return render(request, "imports/job.html", context)


def _check(request: HttpRequest, job: ImportJob, data: bytes) -> None:
    """The dry run: in this request for a small file, in the worker for a large one."""
    if len(data) > actions.inline_check_bytes():
        _enqueue(request, job, resume=False, check=True)
    else:
        actions.dry_run(as_staff(request).user, job, data)


def _enqueue(request: HttpRequest, job: ImportJob, *, resume: bool, check: bool = False) -> None:
    user = as_staff(request).user
    job_key = actions.queue(
        user,
        job,
        file_key=policy.data_key(request, job),
        index_key=policy.index_key(request),
        resume=resume,
        check=check,
    )
    try:
        tasks.run_import.enqueue(job.pk, job_key.hex())
    except Exception:  # the task backend is down: say so on the page, not with a 500
        logger.exception("could not enqueue import %s", job.pk)
        actions.interrupt(user, job)
        messages.error(request, _("The import could not be queued. Try again later."))


@require_POST
@policy.staff_view(Perm.IMPORT_RECORDS)
def dry_run(request: HttpRequest, pk: int) -> HttpResponse:
    current = policy.get_import_job_for_user(request, pk)
    if current.status not in {JobStatus.UPLOADED, JobStatus.CHECKED} or current.mapping is None:
        return redirect("imports:job", pk=current.pk)
    data = _sheet(request, current)[0]
    _check(request, current, data)
    return redirect("imports:job", pk=current.pk)


@require_POST
@policy.staff_view(Perm.IMPORT_RECORDS)
def start(request: HttpRequest, pk: int) -> HttpResponse:
    current = policy.get_import_job_for_user(request, pk)
    if current.status == JobStatus.CHECKED and current.stored_name:
        _enqueue(request, current, resume=False)
    return redirect("imports:job", pk=current.pk)


@require_POST
@policy.staff_view(Perm.IMPORT_RECORDS)
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue an interrupted job again; it continues after its last committed line."""
    current = policy.get_import_job_for_user(request, pk)
    if current.stored_name and current.can_resume(timezone.now(), WORKER_GRACE):
        _enqueue(request, current, resume=True, check=current.checking)
    return redirect("imports:job", pk=current.pk)


@require_POST
@policy.staff_view(Perm.IMPORT_RECORDS)
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    current = policy.get_import_job_for_user(request, pk)
    if current.is_active:
        actions.cancel(as_staff(request).user, current)
    return redirect("imports:index")


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.EXPORT_RECORDS)
def export(request: StaffRequest, file_format: str) -> HttpResponse:
    """POST queues an export on the worker and shows its page; GET (an old link or
    bookmark) goes to the page with the export buttons."""
    if file_format not in CONTENT_TYPES:
        raise Http404
    if request.method != "POST":
        return redirect(f"{reverse('imports:index')}#export-title")
    # The worker opens every record with the organisation key from this session.
    org_key = policy.org_private_key(request)
    job, job_key = actions.queue_export(
        request.user, request.membership.organisation, file_format, org_key=org_key
    )
    try:
        tasks.run_export.enqueue(job.pk, job_key.hex())
    except Exception:  # the task backend is down: say so on the page, not with a 500
        logger.exception("could not enqueue export %s", job.pk)
        actions.fail_export(request.user, job)
        messages.error(request, _("The export could not be queued. Try again later."))
    return redirect("imports:export_job", pk=job.pk)


@require_GET
@policy.staff_view(Perm.EXPORT_RECORDS)
def export_job(request: StaffRequest, pk: int) -> HttpResponse:
    current = policy.get_export_job_for_user(request, pk)
    now = timezone.now()
    context = {
        "job": current,
        "no_worker": current.is_unclaimed(now, WORKER_GRACE),
        "stalled": current.is_stalled(now),
        "downloadable": current.is_downloadable(now),
    }
    return render(request, "imports/export_job.html", context)


@require_POST
@policy.staff_view(Perm.EXPORT_RECORDS)
def export_cancel(request: StaffRequest, pk: int) -> HttpResponse:
    current = policy.get_export_job_for_user(request, pk)
    actions.cancel_export(request.user, current)
    return redirect("imports:export_job", pk=current.pk)


@require_POST
@policy.staff_view(Perm.EXPORT_RECORDS)
def export_delete(request: StaffRequest, pk: int) -> HttpResponse:
    current = policy.get_export_job_for_user(request, pk)
    if actions.delete_export(request.user, current):
        messages.success(request, _("The export file was deleted."))
    return redirect("imports:export_job", pk=current.pk)


# policy.staff_view's type variable is bound to HttpResponse, not to streaming responses.
@require_GET
@policy.staff_view(Perm.EXPORT_RECORDS)
def export_download(request: StaffRequest, pk: int) -> HttpResponseBase:
    current = policy.get_export_job_for_user(request, pk)
    if not current.is_downloadable(timezone.now()):
        raise Http404
    try:
        chunks = reads.export_chunks(current, request.vault)
    except reads.SourceGone as exc:
        raise Http404 from exc
    user = request.user
    stamp = timezone.localtime(current.created_at).date().isoformat()
    stored = downloads.StoredDownload(
        chunks=chunks,
        sha256=current.sha256,
        size=current.size,
        content_type=CONTENT_TYPES[current.file_format],
        filename=f"incidents-{stamp}.{current.file_format}",
        fallback_name=f"incidents.{current.file_format}",
    )
    return downloads.respond(
        request,
        stored,
        record_download=lambda: actions.record_export_download(user, current),
        record_damaged=lambda: downloads.record_file_event(
            user,
            "file.damaged",
            organisation=current.organisation,
            target=current,
            kind="export",
        ),
    )
