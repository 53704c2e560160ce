"""The one way a stored file leaves Vigil: verified, then streamed, then checked again.

Every download (evidence, reporters' files, letters, letter templates) goes
through ``respond``: the whole file is read once and compared with the
SHA-256 and size recorded when it was stored, so a damaged, truncated or
swapped file gives a clear page and an audit alarm instead of corrupted
bytes; only then is the download audited and the file streamed, and the
stream checks the hash again as it goes (a file changed in between ends the
transfer short of its Content-Length, which every client reports as failed).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from vigil.audit.log import record
from vigil.vault import crypto


class Damaged(Exception):
    """The stored file no longer matches its record."""


@dataclass(frozen=True)
class StoredDownload:
    chunks: Callable[[], Iterator[bytes]]  # a fresh plaintext stream on each call
    sha256: str
    size: int
    content_type: str
    filename: str
    fallback_name: str = "download"


def attachment_header(file_name: str, fallback: str) -> str:
    """Content-Disposition with an ASCII name and the exact name per RFC 5987/6266."""
    name = file_name or fallback
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = "".join(c if c.isalnum() or c in "._- " else "_" for c in ascii_name).strip()
    if not ascii_name.strip("._ "):
        ascii_name = fallback
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def intact(download: StoredDownload) -> bool:
    """One full pass: authenticated decryption, then hash and size against the record."""
    digest, size = hashlib.sha256(), 0
    try:
        for chunk in download.chunks():
            digest.update(chunk)
            size += len(chunk)
    except (crypto.CryptoError, OSError):
        return False
    return size == download.size and digest.hexdigest() == download.sha256


def _checked(download: StoredDownload) -> Iterator[bytes]:
    digest, size = hashlib.sha256(), 0
    for chunk in download.chunks():
        digest.update(chunk)
        size += len(chunk)
        if size > download.size:
            raise Damaged("longer than recorded")
        yield chunk
    if size != download.size or digest.hexdigest() != download.sha256:
        raise Damaged("changed while it was sent")


def respond(
    request: HttpRequest,
    download: StoredDownload,
    *,
    record_download: Callable[[], object],
    record_damaged: Callable[[], object],
    damaged_page: Callable[[], HttpResponse] | None = None,
) -> HttpResponseBase:
    if not intact(download):
        record_damaged()
        if damaged_page is not None:
            return damaged_page()
        return render(request, "file_damaged.html", {"download": download}, status=410)
    record_download()
    response = StreamingHttpResponse(_checked(download), content_type=download.content_type)
    response["Content-Length"] = str(download.size)
    response["Content-Disposition"] = attachment_header(download.filename, download.fallback_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def record_file_event(
    acting_user: Any, action: str, *, organisation: Any, target: models.Model, kind: str
) -> None:
    """``file.download`` for kinds without an event of their own, ``file.damaged`` for all."""
    with transaction.atomic():
        record(acting_user, action, organisation=organisation, target=target, kind=kind)
