"""Writes of the import workflow: upload, mapping, dry run, chunks, end. Each is audited.

Keys: writing sealed records needs only the organisation's public key, but
opening the uploaded file and computing blind indexes (names, phones, badges,
the external identifier) need the file's data key and the organisation's index
key. The server never keeps the organisation key at rest. From the browser,
``queue`` encrypts the two keys the job needs under a fresh random job key:
the sealed copy is kept on the job row, the job key travels only as the
argument of the background task (``tasks.run_import``), and the copy is wiped
when the job finishes, fails, is interrupted or is cancelled. On the command
line, ``manage.py import_records`` unlocks the key from a member's password or
the recovery phrase typed at the prompt and runs the same chunks itself.
Every chunk commits its rows together with the job's cursor, so a killed
process loses at most the chunk it was writing, and a re-run resumes after the
last committed line; the external identifier (blind index, unique per
organisation) makes a second import of the same file create nothing.

Records exports run on the worker the same way: ``queue_export`` encrypts the
one key the worker needs to open every record (the organisation key) under a
fresh job key, and the copy is wiped when the export finishes, fails or is
cancelled. The finished file is sealed under its own data key, sealed to the
organisation, so only a member whose vault holds the organisation key opens
it; it is destroyed after ``EXPORT_KEEP_HOURS`` or when a coordinator deletes
it (docs/threat-model.md, "The export-key window").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F as DbF
from django.db.models import Q
from django.utils import timezone

from vigil.accounts.models import Organisation, User
from vigil.audit.log import record
from vigil.imports import reader
from vigil.imports.models import (
    ACTIVE,
    EXPORT_PENDING,
    ExportJob,
    ExportStatus,
    ImportJob,
    ImportMapping,
    JobStatus,
)
from vigil.imports.rows import Checker, Mapping, Problem, Row, Vocabulary
from vigil.imports.writer import write_rows
from vigil.vault import crypto, sealing

JOB_KEYS = 2 * crypto.KEY_BYTES
# A worker renews its lease after every chunk; one that ran out means it died.
LEASE_SECONDS = 120

Progress = Callable[[ImportJob], None]


def chunk_rows() -> int:
    return int(getattr(settings, "IMPORT_CHUNK_ROWS", 500))


def inline_check_bytes() -> int:
    """Files up to this size are checked in the request; larger ones by the worker."""
    return int(getattr(settings, "IMPORT_INLINE_CHECK_BYTES", 1024 * 1024))


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 50 * 1024 * 1024))


class _Head:
    """Passes chunks through and keeps the first bytes, to tell XLSX from CSV."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks
        self.head = b""

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            if len(self.head) < 8:
                self.head += chunk[:8]
            yield chunk


def upload(
    acting_user: User | None,
    organisation: Organisation,
    chunks: Iterable[bytes],
    *,
    mapping: ImportMapping | None = None,
    api_token: Any = None,
) -> ImportJob:
    """Seal the file into storage as it streams in (no plaintext on disk), then record it."""
    job = ImportJob(organisation=organisation, created_by=acting_user, mapping=mapping)
    key = job.ensure_data_key(organisation)
    head = _Head(chunks)
    stored = sealing.store_file(key, head, folder="imports")
    try:
        with transaction.atomic():
            job.file_format = reader.detect_format(head.head)
            job.stored_name = stored.name
            job.size = stored.size
            job.sha256 = stored.sha256
            job.api_token = api_token
            job.save()
            record(
                acting_user,
                "import.upload",
                organisation=organisation,
                target=job,
                format=job.file_format,
                size=stored.size,
                api_token=api_token.pk if api_token is not None else None,
            )
    except BaseException:
        sealing.delete_file(stored.name)
        raise
    return job


def save_mapping(
    acting_user: User,
    job: ImportJob,
    *,
    name: str,
    columns: dict[str, str],
    values: dict[str, dict[str, str]],
) -> ImportMapping:
    with transaction.atomic():
        mapping, created = ImportMapping.objects.update_or_create(
            organisation=job.organisation,
            name=name.strip(),
            defaults={"columns": columns, "values": values, "updated_by": acting_user},
        )
        ImportJob.objects.filter(pk=job.pk).update(mapping=mapping)
        job.mapping = mapping
        record(
            acting_user,
            "import.mapping_save",
            organisation=job.organisation,
            target=mapping,
            job=job.pk,
            created=created,
            columns=len(columns),
        )
    return mapping


@dataclass
class Report:
    rows: int = 0
    good: int = 0
    problems: list[Problem] | None = None


def _checker(job: ImportJob, sheet: reader.Sheet) -> Checker:
    assert job.mapping is not None  # noqa: S101 - views and the command check it first
    mapping = Mapping.of(job.mapping.columns, job.mapping.values)
    return Checker(sheet.headers, mapping, Vocabulary(job.organisation_id))


def check_file(job: ImportJob, data: bytes) -> Report:
    """Every problem of every row; writes nothing."""
    sheet = reader.read(data, job.file_format)
    checker = _checker(job, sheet)
    problems = checker.header_problems()
    report = Report(problems=problems)
    if problems:
        report.rows = sum(1 for _ in sheet.rows)
        return report
    for line, cells in sheet.rows:
        row, found = checker.check(line, cells)
        report.rows += 1
        report.good += row is not None
        problems.extend(found)
    return report


def dry_run(acting_user: User | None, job: ImportJob, data: bytes) -> Report:
    """Check every line and store the problems; in the worker, also wipe the job keys."""
    report = check_file(job, data)
    problems = report.problems or []
    with transaction.atomic():
        if job.checking:
            current = ImportJob.objects.select_for_update().filter(pk=job.pk)
            if current.values_list("status", flat=True).first() != JobStatus.RUNNING:
                return report  # cancelled while the worker was checking
        job.problems = [p.as_dict() for p in problems]
        job.total_rows = report.rows
        job.status = JobStatus.CHECKED
        job.checking = False
        job.job_secret = None
        job.claimed_until = None
        job.save(
            update_fields=[
                "problems",
                "total_rows",
                "status",
                "checking",
                "job_secret",
                "claimed_until",
            ]
        )
        record(
            acting_user,
            "import.dry_run",
            organisation=job.organisation,
            target=job,
            rows=report.rows,
            good=report.good,
            problems=len(problems),
        )
    return report


def start(acting_user: User | None, job: ImportJob) -> None:
    """The command line runs the import itself: the job is running from now on."""
    with transaction.atomic():
        job.status = JobStatus.RUNNING
        job.save(update_fields=["status"])
        record(acting_user, "import.start", organisation=job.organisation, target=job)


def queue(
    acting_user: User,
    job: ImportJob,
    *,
    file_key: bytes,
    index_key: bytes,
    resume: bool = False,
    check: bool = False,
) -> bytes:
    """Hand the keys to a background job; return the job key (the task's argument).

    The file key and the index key are encrypted under a fresh job key; only
    that ciphertext stays on the row, and only until the job ends. A resumed
    job gets a new job key: a task still holding the old one opens nothing.
    With ``check`` the job is the dry run of a large file, not the import.
    """
    job_key = crypto.new_key()
    with transaction.atomic():
        job.status = JobStatus.QUEUED
        job.job_secret = crypto.encrypt(job_key, file_key + index_key)
        job.queued_at = timezone.now()
        job.claimed_until = None
        job.checking = check
        job.save(update_fields=["status", "job_secret", "queued_at", "claimed_until", "checking"])
        record(
            acting_user,
            "import.resume" if resume else "import.start",
            organisation=job.organisation,
            target=job,
            check=check,
            **({"after_line": job.done_line} if resume else {}),
        )
    return job_key


def job_keys(job: ImportJob, job_key: bytes) -> tuple[bytes, bytes]:
    """(file key, index key) for the worker; CryptoError once the job has ended."""
    if not job.job_secret:
        raise crypto.CryptoError("the job's keys were wiped")
    keys = crypto.decrypt(job_key, bytes(job.job_secret))
    return keys[: crypto.KEY_BYTES], keys[crypto.KEY_BYTES : JOB_KEYS]


def take(job: ImportJob) -> bool:
    """A worker takes a queued job (or one whose worker died); False when another holds it."""
    now = timezone.now()
    taken = (
        ImportJob.objects.filter(pk=job.pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .exclude(claimed_until__gt=now)
        .update(status=JobStatus.RUNNING, claimed_until=now + timedelta(seconds=LEASE_SECONDS))
    )
    if taken:
        job.refresh_from_db()
    return taken == 1


def renew(job: ImportJob) -> None:
    """After each chunk: the worker is alive (no audit: a lease, not a decision)."""
    ImportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        claimed_until=timezone.now() + timedelta(seconds=LEASE_SECONDS)
    )


def interrupt(acting_user: User | None, job: ImportJob) -> None:
    """The worker hit an error: wipe the job keys, keep the file and the cursor to resume."""
    with transaction.atomic():
        current = ImportJob.objects.select_for_update().get(pk=job.pk)
        if current.status not in {JobStatus.QUEUED, JobStatus.RUNNING}:
            return
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.INTERRUPTED, job_secret=None, claimed_until=None
        )
        record(
            acting_user,
            "import.interrupt",
            organisation=job.organisation,
            target=job,
            after_line=current.done_line,
        )
    job.refresh_from_db()


def _commit_chunk(
    acting_user: User | None,
    job: ImportJob,
    index_key: bytes,
    rows: list[Row],
    rejected: int,
    last_line: int,
) -> bool:
    """Write one chunk with the cursor; False (nothing written) when the job was
    cancelled or another worker moved the cursor meanwhile."""
    with transaction.atomic():
        current = (
            ImportJob.objects.select_for_update()
            .filter(pk=job.pk)
            .values_list("status", "done_line")
            .first()
        )
        if current != (JobStatus.RUNNING, job.done_line):
            return False
        written = write_rows(acting_user, job.organisation, index_key, rows, job)
        ImportJob.objects.filter(pk=job.pk).update(
            done_line=last_line,
            imported=DbF("imported") + written.events,
            skipped=DbF("skipped") + written.skipped,
            rejected=DbF("rejected") + rejected,
        )
        record(
            acting_user,
            "import.chunk",
            organisation=job.organisation,
            target=job,
            last_line=last_line,
            events=written.events,
            perpetrators=written.perpetrators,
            cases=written.cases,
            skipped=written.skipped,
            rejected=rejected,
        )
    job.refresh_from_db()
    return True


def run(
    acting_user: User | None,
    job: ImportJob,
    data: bytes,
    index_key: bytes,
    *,
    budget_seconds: float | None = None,
    progress: Progress | None = None,
) -> bool:
    """Import the rows after ``done_line`` in chunks; True when the file is finished.

    With a budget, stops after the chunk that passes it. Stops (False) as soon
    as the job is no longer running (cancelled between chunks). Rows with
    problems are counted as rejected and not written.
    """
    started = time.monotonic()
    sheet = reader.read(data, job.file_format)
    checker = _checker(job, sheet)
    if checker.header_problems():
        fail(acting_user, job)
        return True
    size = chunk_rows()
    rows: list[Row] = []
    rejected = 0
    seen = 0
    last = job.done_line
    for line, cells in sheet.rows:
        if line <= job.done_line:
            continue
        row, _problems = checker.check(line, cells)
        if row is None:
            rejected += 1
        else:
            rows.append(row)
        seen += 1
        last = line
        if seen >= size:
            if not _commit_chunk(acting_user, job, index_key, rows, rejected, last):
                return False
            rows, rejected, seen = [], 0, 0
            if progress is not None:
                progress(job)
            if budget_seconds is not None and time.monotonic() - started > budget_seconds:
                return False
    if seen and not _commit_chunk(acting_user, job, index_key, rows, rejected, last):
        return False
    if not finish(acting_user, job):
        return False
    if progress is not None:
        progress(job)
    return True


def _destroy_file(job: ImportJob) -> None:
    if job.stored_name:
        sealing.delete_file(job.stored_name)
    job.stored_name = ""
    job.job_secret = None
    job.claimed_until = None
    job.shred()


def finish(acting_user: User | None, job: ImportJob) -> bool:
    """The import is complete: the uploaded file, its key and the job keys are destroyed.

    False when the job was cancelled meanwhile (the cancel destroyed them)."""
    with transaction.atomic():
        ImportJob.objects.select_for_update().filter(pk=job.pk).first()
        job.refresh_from_db()
        if job.status != JobStatus.RUNNING:
            return False
        _destroy_file(job)
        job.status = JobStatus.DONE
        job.finished_at = timezone.now()
        job.save()
        record(
            acting_user,
            "import.finish",
            organisation=job.organisation,
            target=job,
            events=job.imported,
            skipped=job.skipped,
            rejected=job.rejected,
        )
    return True


def fail(acting_user: User | None, job: ImportJob) -> None:
    with transaction.atomic():
        _destroy_file(job)
        job.status = JobStatus.FAILED
        job.finished_at = timezone.now()
        job.save()
        record(acting_user, "import.fail", organisation=job.organisation, target=job)


def cancel(acting_user: User, job: ImportJob) -> None:
    """Also while queued or running: the worker stops before its next chunk."""
    with transaction.atomic():
        ImportJob.objects.select_for_update().filter(pk=job.pk).first()
        job.refresh_from_db()
        if not job.is_active:
            return
        _destroy_file(job)
        job.status = JobStatus.CANCELLED
        job.finished_at = timezone.now()
        job.save()
        record(acting_user, "import.cancel", organisation=job.organisation, target=job)


def keep_days() -> int:
    return int(getattr(settings, "IMPORT_KEEP_DAYS", 7))


def purge_abandoned(now: Any = None) -> int:
    """Sealed uploads of unfinished imports older than ``IMPORT_KEEP_DAYS`` are destroyed."""
    cutoff = (now or timezone.now()) - timedelta(days=keep_days())
    stale = ImportJob.objects.filter(
        status__in=ACTIVE,
        created_at__lt=cutoff,
    ).select_related("organisation")
    count = 0
    for job in stale:
        with transaction.atomic():
            _destroy_file(job)
            job.status = JobStatus.CANCELLED
            job.finished_at = timezone.now()
            job.save()
            record(None, "import.expire", organisation=job.organisation, target=job)
        count += 1
    return count


# --- records exports on the worker --------------------------------------------------


# The media folder of finished exports (sealed), swept for orphans by the purge.
EXPORT_FOLDER = "exports"


def export_chunk_events() -> int:
    """Incidents read per chunk: progress, the lease and a cancel are checked between chunks."""
    return int(getattr(settings, "EXPORT_CHUNK_EVENTS", 500))


def export_keep_hours() -> int:
    return int(getattr(settings, "EXPORT_KEEP_HOURS", 24))


def queue_export(
    acting_user: User, organisation: Organisation, file_format: str, *, org_key: bytes
) -> tuple[ExportJob, bytes]:
    """A new export job holding the organisation key under a fresh job key; return the
    job and the job key (the task's argument, never stored by Vigil itself)."""
    job_key = crypto.new_key()
    with transaction.atomic():
        job = ExportJob.objects.create(
            organisation=organisation,
            created_by=acting_user,
            file_format=file_format,
            status=ExportStatus.QUEUED,
            job_secret=crypto.encrypt(job_key, org_key),
        )
        record(
            acting_user,
            "import.export_queue",
            organisation=organisation,
            target=job,
            format=file_format,
        )
    return job, job_key


def export_key(job: ExportJob, job_key: bytes) -> bytes:
    """The organisation key for the worker; CryptoError once the job has ended."""
    if not job.job_secret:
        raise crypto.CryptoError("the job's key was wiped")
    return crypto.decrypt(job_key, bytes(job.job_secret))


def take_export(job: ExportJob, total_events: int) -> bool:
    """A worker takes a queued export; False when another took it or it was cancelled.

    An export is not resumed: a late retry of the task finds it running or ended."""
    now = timezone.now()
    taken = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING,
        claimed_until=now + timedelta(seconds=LEASE_SECONDS),
        started_at=now,
        total_events=total_events,
    )
    if taken:
        job.refresh_from_db()
    return taken == 1


def export_progress(job: ExportJob, events_done: int, rows: int) -> bool:
    """After each chunk: counters and the lease (no audit); False when it was cancelled."""
    job.events_done, job.rows = events_done, rows
    return (
        ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
            events_done=events_done,
            rows=rows,
            claimed_until=timezone.now() + timedelta(seconds=LEASE_SECONDS),
        )
        == 1
    )


def finish_export(
    acting_user: User | None,
    job: ExportJob,
    stored: sealing.StoredFile,
    sealed_key: bytes,
    rows: int,
) -> bool:
    """The file is stored: record it and wipe the job's key. False (the caller deletes
    the file) when the job was cancelled meanwhile."""
    now = timezone.now()
    with transaction.atomic():
        current = ExportJob.objects.select_for_update().filter(pk=job.pk).first()
        if current is None or current.status != ExportStatus.RUNNING:
            return False
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.DONE,
            stored_name=stored.name,
            size=stored.size,
            sha256=stored.sha256,
            sealed_key=sealed_key,
            rows=rows,
            events_done=current.total_events,
            job_secret=None,
            claimed_until=None,
            finished_at=now,
            expires_at=now + timedelta(hours=export_keep_hours()),
        )
        record(
            acting_user,
            "import.export_finish",
            organisation=job.organisation,
            target=job,
            format=job.file_format,
            rows=rows,
            size=stored.size,
        )
    job.refresh_from_db()
    return True


def _end_export(acting_user: User | None, job: ExportJob, status: str, action: str) -> bool:
    """Queued or running to ``status``, the key wiped; False when it had already ended."""
    with transaction.atomic():
        current = ExportJob.objects.select_for_update().filter(pk=job.pk).first()
        if current is None or current.status not in EXPORT_PENDING:
            return False
        ExportJob.objects.filter(pk=job.pk).update(
            status=status, job_secret=None, claimed_until=None, finished_at=timezone.now()
        )
        record(acting_user, action, organisation=job.organisation, target=job)
    job.refresh_from_db()
    return True


def fail_export(acting_user: User | None, job: ExportJob) -> bool:
    return _end_export(acting_user, job, ExportStatus.FAILED, "import.export_fail")


def cancel_export(acting_user: User, job: ExportJob) -> bool:
    """While queued or running: the worker stops after its current chunk."""
    return _end_export(acting_user, job, ExportStatus.CANCELLED, "import.export_cancel")


def _destroy_export_file(job: ExportJob) -> None:
    if job.stored_name:
        sealing.delete_file(job.stored_name)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.EXPIRED, stored_name="", sealed_key=None, job_secret=None
    )


def delete_export(acting_user: User, job: ExportJob) -> bool:
    """A coordinator deletes a finished file before it expires."""
    with transaction.atomic():
        current = ExportJob.objects.select_for_update().filter(pk=job.pk).first()
        if current is None or current.status != ExportStatus.DONE:
            return False
        _destroy_export_file(current)
        record(acting_user, "import.export_delete", organisation=job.organisation, target=job)
    job.refresh_from_db()
    return True


def record_export_download(acting_user: User, job: ExportJob) -> None:
    """The file leaves the server: who, which file, how many lines."""
    with transaction.atomic():
        record(
            acting_user,
            "import.export",
            organisation=job.organisation,
            target=job,
            format=job.file_format,
            rows=job.rows,
        )


def purge_exports(now: Any = None) -> int:
    """Finished files past ``expires_at`` are destroyed; an export still queued or running
    ``EXPORT_KEEP_HOURS`` after it was asked for (no worker), or running with a lease
    that ran out (its worker died), loses its key. Returns how many jobs were ended."""
    now = now or timezone.now()
    stale = ExportJob.objects.filter(
        Q(status=ExportStatus.DONE, expires_at__lte=now)
        | Q(
            status__in=EXPORT_PENDING,
            created_at__lt=now - timedelta(hours=export_keep_hours()),
        )
        # A worker that stopped renewing its lease died (SIGKILL, power loss).
        | Q(status=ExportStatus.RUNNING, claimed_until__lt=now)
    ).select_related("organisation")
    count = 0
    for job in stale:
        with transaction.atomic():
            current = ExportJob.objects.select_for_update().get(pk=job.pk)
            if current.status == ExportStatus.DONE:
                _destroy_export_file(current)
            elif current.status in EXPORT_PENDING:
                ExportJob.objects.filter(pk=job.pk).update(
                    status=ExportStatus.FAILED,
                    job_secret=None,
                    claimed_until=None,
                    finished_at=now,
                )
            else:
                continue
            record(None, "import.export_expire", organisation=job.organisation, target=job)
        count += 1
    _sweep_orphan_exports(now)
    return count


def _sweep_orphan_exports(now: Any) -> int:
    """Delete export files no job names, once older than ``EXPORT_KEEP_HOURS``.

    A worker killed while writing (SIGKILL, power loss) leaves a partial file
    whose key was never stored: unreadable, but it should not stay on the
    disk. A file still being written is younger than the cutoff.
    """
    try:
        _folders, names = default_storage.listdir(EXPORT_FOLDER)
    except FileNotFoundError:
        return 0
    known = set(ExportJob.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    cutoff = now - timedelta(hours=export_keep_hours())
    swept = 0
    for name in names:
        path = f"{EXPORT_FOLDER}/{name}"
        if path not in known and default_storage.get_modified_time(path) < cutoff:
            sealing.delete_file(path)
            swept += 1
    return swept
