"""Import pages (upload, mapping, dry run, progress) and the records export.

The progress page runs the import: each reload commits a slice of chunks with
the organisation key of the coordinator's session, then reloads itself with a
meta refresh (no JavaScript). Closing the page pauses the import; opening it
again resumes after the last committed line.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil import policy
from vigil.imports import actions, exporter, reader, reads
from vigil.imports import fields as F
from vigil.imports.forms import MappingForm, UploadForm
from vigil.imports.models import ImportJob, JobStatus
from vigil.imports.rows import MESSAGES, Vocabulary, distinct_values
from vigil.incidents import evidence
from vigil.lib.requests import as_staff
from vigil.policy import Perm

SLICE_SECONDS = 2.0
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
    return render(request, "imports/index.html", {"form": form, "jobs": jobs})


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
            actions.dry_run(as_staff(request).user, job, data)
            return redirect("imports:job", pk=job.pk)
        messages.success(request, _("Mapping saved."))
        return redirect("imports:mapping", pk=job.pk)
    context = {"job": job, "form": form, "headers": sheet.headers}
    return render(request, "imports/mapping.html", context)


def _problems(job: ImportJob) -> list[dict[str, Any]]:
    return [
        {**p, "message": MESSAGES.get(p["code"], p["code"])} for p in job.problems[:PROBLEMS_SHOWN]
    ]


def _run_slice(request: HttpRequest, job: ImportJob) -> None:
    if not actions.claim(job):
        return
    try:
        data = reads.source_bytes(job, _vault(request))
        actions.run(
            as_staff(request).user,
            job,
            data,
            policy.index_key(request),
            budget_seconds=SLICE_SECONDS,
        )
    finally:
        actions.release(job)
    job.refresh_from_db()


@require_GET
@policy.staff_view(Perm.IMPORT_RECORDS)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    current = policy.get_import_job_for_user(request, pk)
    if current.status == JobStatus.RUNNING and current.stored_name:
        _run_slice(request, current)
    context = {
        "job": current,
        "problems": _problems(current),
        "problem_count": len(current.problems),
        "more_problems": max(0, len(current.problems) - PROBLEMS_SHOWN),
        "now": timezone.now(),
    }
    return render(request, "imports/job.html", context)


@require_POST
@policy.staff_view(Perm.IMPORT_RECORDS)
def dry_run(request: HttpRequest, pk: int) -> HttpResponse:
    current = policy.get_import_job_for_user(request, pk)
    if current.status not in {JobStatus.UPLOADED, JobStatus.CHECKED} or current.mapping is None:
        return redirect("imports:job", pk=current.pk)
    data = _sheet(request, current)[0]
    actions.dry_run(as_staff(request).user, current, data)
    return redirect("imports:job", pk=current.pk)


@require_POST
@policy.staff_view(Perm.IMPORT_RECORDS)
def start(request: HttpRequest, pk: int) -> HttpResponse:
    current = policy.get_import_job_for_user(request, pk)
    if current.status == JobStatus.CHECKED:
        actions.start(as_staff(request).user, current)
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


@require_GET
@policy.staff_view(Perm.EXPORT_RECORDS)
def export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in CONTENT_TYPES:
        raise Http404
    events = policy.export_events_for(request)
    lines = exporter.rows(events, _vault(request))
    build = exporter.xlsx_bytes if file_format == "xlsx" else exporter.csv_bytes
    content, count = build(lines)
    membership = as_staff(request).membership
    actions.record_export(as_staff(request).user, membership.organisation, file_format, count)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="incidents-{stamp}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response
