"""Background work of the officers app (django-tasks; the database worker runs it)."""

from __future__ import annotations

from django_tasks import task

from vigil.officers import actions, jobs
from vigil.officers.models import ComplaintRegister, ImportStatus
from vigil.vault import crypto


@task()
def import_register(register_id: int, job_key_hex: str) -> str:
    """Check or import a register whose columns were chosen (``actions.queue_import``)."""
    register = ComplaintRegister.objects.select_related("organisation", "created_by").get(
        pk=register_id
    )
    if register.status != ImportStatus.QUEUED:
        return register.status
    try:
        register_key, index_key = actions.job_keys(register, bytes.fromhex(job_key_hex))
    except crypto.CryptoError:
        actions.fail_import(register.created_by, register)
        return ImportStatus.FAILED
    jobs.execute(register, register_key, index_key)
    register.refresh_from_db(fields=["status"])
    return register.status
