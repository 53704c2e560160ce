"""Running a queued import in the background worker: the body of ``tasks.run_import``."""

from __future__ import annotations

import logging

from vigil.imports import actions
from vigil.imports.models import ImportJob, JobStatus
from vigil.vault import crypto, sealing

logger = logging.getLogger(__name__)


def execute(job_id: int, job_key: bytes) -> str:
    """Open the job's keys with ``job_key``, take the job and import it chunk by chunk
    (or check every line, for the dry run of a large file).

    Returns the job's status afterwards. A job key that opens nothing (the job
    ended, or was queued again with a new key) leaves the job alone. An error
    interrupts the job: its keys are wiped, the file and the cursor stay, and a
    coordinator resumes it from the page.
    """
    job = ImportJob.objects.select_related("organisation", "mapping", "created_by").get(pk=job_id)
    if job.status not in {JobStatus.QUEUED, JobStatus.RUNNING}:
        return job.status
    try:
        file_key, index_key = actions.job_keys(job, job_key)
    except crypto.CryptoError:
        return job.status
    if not actions.take(job):
        return job.status
    user = job.created_by
    try:
        data = b"".join(sealing.open_file(file_key, job.stored_name))
        if job.checking:
            actions.dry_run(user, job, data)
        else:
            actions.run(user, job, data, index_key, progress=_alive)
        del data
    except Exception:
        logger.exception("import %s was interrupted", job.pk)
        actions.interrupt(user, job)
    job.refresh_from_db(fields=["status"])
    return job.status


def _alive(job: ImportJob) -> None:
    actions.renew(job)
