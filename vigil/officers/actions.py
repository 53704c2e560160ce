"""Writes of the officers app. Each runs in a transaction and writes one audit event."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from vigil.accounts.models import Organisation, User
from vigil.audit.log import record
from vigil.officers import importer
from vigil.officers.models import ComplaintRegister, ImportStatus, OfficerSettings
from vigil.vault import crypto, sealing

JOB_KEYS = 2 * crypto.KEY_BYTES


def set_threshold(acting_user: User, organisation: Organisation, threshold: int) -> None:
    with transaction.atomic():
        settings_, _created = OfficerSettings.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        old = settings_.repeat_threshold
        settings_.repeat_threshold = threshold
        settings_.updated_by = acting_user
        settings_.save()
        record(acting_user, "officer.threshold", organisation=organisation, old=old, new=threshold)


def upload_register(
    acting_user: User | None, organisation: Organisation, *, source_name: str, data: bytes
) -> ComplaintRegister:
    """Seal the file (its own data key, like evidence) and read its header row.

    Raises ``importer.Unreadable`` before anything is stored.
    """
    headers = importer.headers_of(data)
    with transaction.atomic():
        register = ComplaintRegister(
            organisation=organisation,
            source_name=source_name,
            file_format=importer.file_format(data),
            headers=headers,
            created_by=acting_user,
        )
        key = register.ensure_data_key(organisation)
        register.stored_name = sealing.store_file(key, [data], folder="registers").name
        register.save()
        record(
            acting_user,
            "register.upload",
            organisation=organisation,
            target=register,
            format=register.file_format,
            size=len(data),
        )
    return register


def queue_import(
    acting_user: User | None,
    register: ComplaintRegister,
    *,
    mapping: dict[str, str],
    identity: list[str],
    unknown_as_other: bool,
    dry_run: bool,
    register_key: bytes,
    index_key: bytes,
    via: str = "web",
) -> bytes:
    """Record the column choices and hand the keys to the job; return the job key.

    The worker has no session: it gets the register's data key and the index
    key encrypted under a fresh job key that travels as the task argument,
    and ``finish_import`` wipes them.
    """
    job_key = crypto.new_key()
    with transaction.atomic():
        register.mapping = mapping
        register.identity = identity
        register.unknown_as_other = unknown_as_other
        register.dry_run = dry_run
        register.status = ImportStatus.QUEUED
        register.rows_done = 0
        register.errors = []
        register.error_count = 0
        register.job_secret = crypto.encrypt(job_key, register_key + index_key)
        register.save()
        record(
            acting_user,
            "register.queue",
            organisation=register.organisation,
            target=register,
            dry_run=dry_run,
            identity=sorted(identity),
            via=via,
        )
    return job_key


def job_keys(register: ComplaintRegister, job_key: bytes) -> tuple[bytes, bytes]:
    """(register key, index key) for the worker; CryptoError once the job has finished."""
    if not register.job_secret:
        raise crypto.CryptoError("the job's keys were wiped")
    keys = crypto.decrypt(job_key, bytes(register.job_secret))
    return keys[: crypto.KEY_BYTES], keys[crypto.KEY_BYTES : JOB_KEYS]


def finish_import(
    acting_user: User | None, register: ComplaintRegister, outcome: importer.Outcome
) -> None:
    """Store the report; after a real import, destroy the sealed file and the job keys."""
    with transaction.atomic():
        register.status = importer.finish_status(register.dry_run)
        register.rows_total = outcome.total
        register.rows_done = outcome.total
        register.rows_imported = outcome.imported
        register.errors = outcome.errors
        register.error_count = outcome.error_count
        register.job_secret = None
        register.finished_at = timezone.now()
        stored = register.stored_name
        if not register.dry_run:
            register.stored_name = ""
        register.save()
        record(
            acting_user,
            "register.import",
            organisation=register.organisation,
            target=register,
            dry_run=register.dry_run,
            rows=outcome.total,
            imported=outcome.imported,
            errors=outcome.error_count,
        )
    # After the commit of the report: a failed save keeps the file for another try.
    if not register.dry_run and stored:
        sealing.delete_file(stored)


def fail_import(acting_user: User | None, register: ComplaintRegister) -> None:
    """A crash: drop the rows written so far (they were never visible) and the job keys."""
    with transaction.atomic():
        register.complaints.all().delete()
        register.status = ImportStatus.FAILED
        register.job_secret = None
        register.finished_at = timezone.now()
        register.save()
        record(
            acting_user,
            "register.fail",
            organisation=register.organisation,
            target=register,
            dry_run=register.dry_run,
        )


def delete_register(acting_user: User, register: ComplaintRegister) -> None:
    """Remove an imported register from the profiles: its rows, its file, its key."""
    with transaction.atomic():
        rows = register.complaints.count()
        stored = register.stored_name
        record(
            acting_user,
            "register.delete",
            organisation=register.organisation,
            target=register,
            rows=rows,
        )
        register.complaints.all().delete()
        register.delete()
    if stored:
        sealing.delete_file(stored)


def progress_update(register_id: int, done: int, total: int) -> None:
    """Progress of a running job (no audit: it is a counter, not a decision)."""
    ComplaintRegister.objects.filter(pk=register_id).update(rows_done=done, rows_total=total)


def audit_view(acting_user: User, organisation: Organisation, action: str, **detail: Any) -> None:
    """Who looked at officer profiles and how much they saw (never which officer)."""
    with transaction.atomic():
        record(acting_user, action, organisation=organisation, **detail)
