"""Spreadsheet imports: saved column mappings, import jobs and what they created.

The uploaded file is stored sealed under its own data key (sealed to the
organisation, like evidence) and deleted when the job ends. Nothing in these
rows is readable without the organisation key: problems carry line numbers,
column headers and codes, never cell values.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.vault.sealing import SealedRecord


class ImportMapping(models.Model):
    """Columns to fields and raw values to term codes, reused for the next file.

    ``columns``: {field: column header}. ``values``: {field: {raw value: term code}},
    where the code ``"-"`` means "leave empty".
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="import_mappings"
    )
    name = models.CharField(_("name"), max_length=80)
    columns = models.JSONField(default=dict)
    values = models.JSONField(default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="import_mapping_name")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for the column mapping")
    CHECKED = "checked", _("Checked (dry run done)")
    QUEUED = "queued", _("Waiting for the background worker")
    RUNNING = "running", _("Importing")
    INTERRUPTED = "interrupted", _("Interrupted")
    DONE = "done", _("Imported")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ImportJob(SealedRecord):
    """One uploaded file on its way in. ``sealed_key`` opens the stored file."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # Set when the file came through the API (the token that sent it).
    api_token = models.ForeignKey(
        "api.ApiToken", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    mapping = models.ForeignKey(
        ImportMapping, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.UPLOADED)
    file_format = models.CharField(max_length=8, choices=FileFormat.choices)
    stored_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    # The last spreadsheet line whose chunk is committed: a resumed run starts after it.
    done_line = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # [{"line": 3, "column": "Date", "code": "bad_date"}], from the last dry run.
    problems = models.JSONField(default=list, blank=True)
    # The worker running the job holds this lease and renews it after every chunk,
    # so two workers never run the same job; a lease that ran out means a crash.
    claimed_until = models.DateTimeField(null=True, blank=True)
    # While queued or running: the file key and the index key, encrypted under a
    # job key that exists only as the task's argument. Wiped when the job ends.
    job_secret = models.BinaryField(null=True, editable=False)
    queued_at = models.DateTimeField(null=True, blank=True)
    # The queued or running background job is a dry run (a large file), not the import.
    checking = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"import {self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        handled = self.imported + self.skipped + self.rejected
        return min(100, handled * 100 // self.total_rows)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def is_pending(self) -> bool:
        """Queued or running: the page reloads itself until it is not."""
        return self.status in {JobStatus.QUEUED, JobStatus.RUNNING}

    def is_stalled(self, now: datetime) -> bool:
        """Running, but the worker stopped renewing its lease: it crashed."""
        return self.status == JobStatus.RUNNING and (
            self.claimed_until is None or self.claimed_until <= now
        )

    def is_unclaimed(self, now: datetime, grace: timedelta) -> bool:
        """Queued for longer than ``grace``: no worker picked it up."""
        return (
            self.status == JobStatus.QUEUED
            and self.queued_at is not None
            and self.queued_at <= now - grace
        )

    def can_resume(self, now: datetime, grace: timedelta) -> bool:
        return (
            self.status == JobStatus.INTERRUPTED
            or self.is_stalled(now)
            or self.is_unclaimed(now, grace)
        )


ACTIVE = frozenset(
    {
        JobStatus.UPLOADED,
        JobStatus.CHECKED,
        JobStatus.QUEUED,
        JobStatus.RUNNING,
        JobStatus.INTERRUPTED,
    }
)


class ImportedRecord(models.Model):
    """An external identifier already imported: a re-run skips its row.

    The identifier is kept as a blind index only (it may be a case number of
    another system)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    external_bidx = models.CharField(max_length=32)
    event = models.ForeignKey(
        "incidents.Event", on_delete=models.CASCADE, related_name="import_records"
    )
    job = models.ForeignKey(ImportJob, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_bidx"], name="imported_external_id"
            )
        ]

    def __str__(self) -> str:
        return f"imported {self.event_id}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the background worker")
    RUNNING = "running", _("Exporting")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Deleted")


EXPORT_PENDING = frozenset({ExportStatus.QUEUED, ExportStatus.RUNNING})


class ExportJob(SealedRecord):
    """One records export built by the background worker.

    ``job_secret``: the organisation key encrypted under a job key that exists
    only as the task's argument, while the job is queued or running. The
    finished file is stored sealed under its own data key (``sealed_key``,
    sealed to the organisation like evidence); it is deleted, and the key
    shredded, when it expires or a coordinator deletes it.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="export_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    file_format = models.CharField(max_length=8, choices=FileFormat.choices)
    status = models.CharField(
        max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    # Incidents written so far, of ``total_events``; ``rows`` lines (one per act).
    events_done = models.PositiveIntegerField(default=0)
    total_events = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    stored_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    job_secret = models.BinaryField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"export {self.pk}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.total_events:
            return 0
        return min(99, self.events_done * 100 // self.total_events)

    @property
    def is_pending(self) -> bool:
        return self.status in EXPORT_PENDING

    def is_stalled(self, now: datetime) -> bool:
        """Running, but the worker stopped renewing its lease: it died."""
        return self.status == ExportStatus.RUNNING and (
            self.claimed_until is None or self.claimed_until <= now
        )

    def is_unclaimed(self, now: datetime, grace: timedelta) -> bool:
        return self.status == ExportStatus.QUEUED and self.created_at <= now - grace

    def is_downloadable(self, now: datetime) -> bool:
        return (
            self.status == ExportStatus.DONE
            and bool(self.stored_name)
            and (self.expires_at is None or self.expires_at > now)
        )
