"""Policy-scoped reads and the unsealing of what the engagement pages show.

A member without the organisation key (the police liaison) gets empty sealed
values: she sees the clear part of the records she takes part in.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest

from vigil import policy
from vigil.engagement.models import (
    SealedFile,
    Visit,
)
from vigil.vault import crypto, sealing
from vigil.vault.keys import VaultLocked


def key_of(request: HttpRequest, record: Any) -> bytes | None:
    """The record's data key, or None when this session cannot open it."""
    try:
        return policy.data_key(request, record)
    except (VaultLocked, crypto.CryptoError):
        return None


def opened(request: HttpRequest, record: Any) -> dict[str, str]:
    key = key_of(request, record)
    if key is None:
        return {}
    return dict(sealing.open_json(key, record.sealed, {}))


def opened_with(key: bytes | None, blob: Any) -> dict[str, str]:
    return {} if key is None else dict(sealing.open_json(key, blob, {}))


def rows(request: HttpRequest, records: Any) -> list[tuple[Any, dict[str, str]]]:
    return [(record, opened(request, record)) for record in records]


def visit_rows(key: bytes | None, items: Any) -> list[tuple[Any, dict[str, str]]]:
    """Findings, allegations and recommendations are sealed under their visit's key."""
    return [(item, opened_with(key, item.sealed)) for item in items]


def visit_key(request: HttpRequest, visit: Visit) -> bytes | None:
    return key_of(request, visit)


def file_intact(key: bytes, item: SealedFile) -> bool:
    """Decrypt the whole file once and compare with the recorded hash and size."""
    digest = hashlib.sha256()
    size = 0
    try:
        for chunk in sealing.open_file(key, item.stored_name):
            digest.update(chunk)
            size += len(chunk)
    except (crypto.CryptoError, OSError):
        return False
    return size == item.size and digest.hexdigest() == item.sha256


def file_chunks(key: bytes, item: SealedFile) -> Any:
    return sealing.open_file(key, item.stored_name)
