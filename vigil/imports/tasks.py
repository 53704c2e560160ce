"""Background work of the import app (django-tasks; the database worker runs it).

The worker holds no organisation key at rest: ``run_import`` gets a job key as its
argument, which opens the file key and the index key sealed on the job row
by ``actions.queue`` until the job ends; ``run_export`` gets one that opens the
organisation key sealed by ``actions.queue_export`` until the export ends (see
docs/threat-model.md).
"""

from __future__ import annotations

from django_tasks import task

from vigil.imports import actions, export_jobs, jobs


@task()
def run_import(job_id: int, job_key_hex: str) -> str:
    """Import a queued spreadsheet after its last committed line."""
    return jobs.execute(job_id, bytes.fromhex(job_key_hex))


@task()
def purge_abandoned_imports() -> int:
    """Destroy uploaded files of imports nobody finished within ``IMPORT_KEEP_DAYS``."""
    return actions.purge_abandoned()


@task()
def run_export(job_id: int, job_key_hex: str) -> str:
    """Write a queued records export into the sealed store."""
    return export_jobs.execute(job_id, bytes.fromhex(job_key_hex))


@task()
def purge_exports() -> int:
    """Destroy finished exports past ``EXPORT_KEEP_HOURS``; wipe the key of dead ones."""
    return actions.purge_exports()
