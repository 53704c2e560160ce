"""Keeping an uploaded register in memory only.

Django writes uploads above 2.5 MB to a temporary file; a plaintext copy of
a complaint register must never touch the disk, so the upload view reads
files through this handler, which keeps them in memory up to the size limit
and refuses beyond it.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload

from vigil.officers.importer import MAX_FILE_BYTES


class InMemoryOnlyUploadHandler(MemoryFileUploadHandler):
    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        if content_length > MAX_FILE_BYTES + 64 * 1024:
            raise StopUpload(connection_reset=True)
        self.activated = True
