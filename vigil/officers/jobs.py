"""Running a queued register import: the body of the task, also used by the command."""

from __future__ import annotations

import logging

from vigil.officers import actions, importer
from vigil.officers.models import ComplaintRegister, ImportStatus
from vigil.vault import sealing

logger = logging.getLogger(__name__)


def execute(
    register: ComplaintRegister,
    register_key: bytes,
    index_key: bytes,
    progress: importer.Progress | None = None,
) -> importer.Outcome | None:
    """Read the sealed file, check or import it, and record the outcome.

    Returns None when the job failed (the register says so; rows written so
    far are removed).
    """
    ComplaintRegister.objects.filter(pk=register.pk).update(status=ImportStatus.RUNNING)

    def report(done: int, total: int) -> None:
        actions.progress_update(register.pk, done, total)
        if progress:
            progress(done, total)

    try:
        data = b"".join(sealing.open_file(register_key, register.stored_name))
        outcome = importer.run(
            register, data, register_key, index_key, dry_run=register.dry_run, progress=report
        )
        del data
    except Exception:
        logger.exception("register import %s failed", register.pk)
        actions.fail_import(register.created_by, register)
        return None
    actions.finish_import(register.created_by, register, outcome)
    return outcome
