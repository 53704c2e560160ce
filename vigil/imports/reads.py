"""Opening what the import pages need: the sealed source file, the saved mappings, and the
sealed file of a finished records export."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db.models import QuerySet

from vigil.imports.models import ExportJob, ImportJob, ImportMapping
from vigil.vault import sealing
from vigil.vault.session import Vault


class SourceGone(Exception):
    """The uploaded file was already destroyed (job finished or cancelled)."""


def source_bytes(job: ImportJob, vault: Vault) -> bytes:
    """The plaintext of the uploaded file, in memory only."""
    if not job.stored_name or not job.sealed_key:
        raise SourceGone(job.pk)
    key = job.data_key(vault, job.organisation_id)
    return b"".join(sealing.open_file(key, job.stored_name))


def mappings_of(organisation_id: int) -> QuerySet[ImportMapping]:
    return ImportMapping.objects.filter(organisation_id=organisation_id)


def export_chunks(job: ExportJob, vault: Vault) -> Callable[[], Iterator[bytes]]:
    """A fresh plaintext stream of the finished export on each call (for downloads.respond).

    The file key opens only with the organisation key from the member's vault."""
    if not job.stored_name or not job.sealed_key:
        raise SourceGone(job.pk)
    key = job.data_key(vault, job.organisation_id)
    name = job.stored_name
    return lambda: sealing.open_file(key, name)
