"""Running a queued records export in the background worker: the body of ``tasks.run_export``.

The worker opens the organisation key with the job key (``actions.export_key``),
reads the organisation's recorded incidents in chunks of ``EXPORT_CHUNK_EVENTS``
through ``exporter.rows`` (the same lines, formulas defused, as the export built
in a request) and seals the file into storage under a fresh data key as it goes:
the CSV streams chunk by chunk into ``sealing.store_file``; the XLSX is built in
memory and sealed at the end. Between chunks it records its progress, renews its
lease and stops when a coordinator cancelled the job. Nothing of the plaintext is
written to disk, and a failure is logged without any cell value.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from pathlib import Path

from django.db.models import QuerySet

from vigil import policy
from vigil.imports import actions, exporter
from vigil.imports.models import ExportJob, ExportStatus, FileFormat
from vigil.incidents.models import Event
from vigil.vault import crypto, sealing
from vigil.vault.session import Vault

logger = logging.getLogger(__name__)

# The XLSX, built in memory, goes into the sealed store in pieces of this size.
STORE_PIECE = 1024 * 1024


class Cancelled(Exception):
    """A coordinator cancelled the job between two chunks."""


def execute(job_id: int, job_key: bytes) -> str:
    """Open the organisation key with ``job_key``, take the job and write the file.

    Returns the job's status afterwards. A job key that opens nothing (the job
    ended) or a job another worker took leaves the job alone. An error fails the
    job and wipes its key.
    """
    job = ExportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    if job.status != ExportStatus.QUEUED:
        return job.status
    try:
        org_key = actions.export_key(job, job_key)
    except crypto.CryptoError:
        return job.status
    member = policy.exporting_member(job.organisation_id, job.created_by_id)
    if member is None:  # she may no longer export: nothing is written, the key is wiped
        actions.fail_export(job.created_by, job)
        return ExportStatus.FAILED
    events = policy.export_events_of(member)
    ids = list(events.order_by("number").values_list("pk", flat=True))
    if not actions.take_export(job, len(ids)):
        return job.status
    vault = Vault({job.organisation_id: org_key})
    try:
        _write(job, events, ids, vault)
    except Cancelled:
        pass
    except Exception as exc:  # any error fails the job; the log names no cell value
        logger.error("export %s failed: %s at %s", job.pk, type(exc).__name__, _where(exc))
        actions.fail_export(job.created_by, job)
    job.refresh_from_db(fields=["status"])
    return job.status


def _where(exc: BaseException) -> str:
    """File and line of the error: an exception's message may quote a cell."""
    frames = traceback.extract_tb(exc.__traceback__)
    return " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames[-4:]))


def _chunks(
    job: ExportJob, events: QuerySet[Event], ids: list[int], vault: Vault
) -> Iterator[list[list[object]]]:
    """The lines of each chunk of incidents, then the progress (raises Cancelled)."""
    size = actions.export_chunk_events()
    rows = 0
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        lines = list(exporter.rows(events.filter(pk__in=chunk), vault))
        yield lines
        rows += len(lines)
        if not actions.export_progress(job, start + len(chunk), rows):
            raise Cancelled(job.pk)


def _write(job: ExportJob, events: QuerySet[Event], ids: list[int], vault: Vault) -> None:
    file_key, sealed_key = sealing.new_data_key(job.organisation)
    counted = {"rows": 0}

    def csv_stream() -> Iterator[bytes]:
        yield exporter.csv_text([], header=True)[0]
        for lines in _chunks(job, events, ids, vault):
            data, count = exporter.csv_text(lines)
            counted["rows"] += count
            yield data

    def xlsx_stream() -> Iterator[bytes]:
        sheet = exporter.XlsxSheet()
        try:
            for lines in _chunks(job, events, ids, vault):
                counted["rows"] += sheet.append(lines)
        finally:
            sheet.close()
        data = sheet.getvalue()
        del sheet
        for start in range(0, len(data), STORE_PIECE):
            yield data[start : start + STORE_PIECE]

    stream = xlsx_stream() if job.file_format == FileFormat.XLSX else csv_stream()
    # store_file deletes its partial file when the stream raises (cancel, error).
    stored = sealing.store_file(file_key, stream, folder=actions.EXPORT_FOLDER)
    try:
        finished = actions.finish_export(job.created_by, job, stored, sealed_key, counted["rows"])
    except BaseException:
        sealing.delete_file(stored.name)
        raise
    if not finished:  # cancelled while the last chunk was sealed
        sealing.delete_file(stored.name)
