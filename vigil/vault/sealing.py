"""Sealing records: the API other apps use.

A sensitive record gets its own random data key, sealed to the organisation's
public key (so the anonymous report form can write without any secret). Its
fields and files are encrypted under that data key. Deleting the sealed data
key destroys the content (crypto-shredding).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

from django.core.files.storage import default_storage
from django.db import models

from vigil.vault import crypto
from vigil.vault.keys import organisation_public_key
from vigil.vault.session import Vault


def new_data_key(organisation: Any) -> tuple[bytes, bytes]:
    """Return (data key, data key sealed to the organisation)."""
    key = crypto.new_key()
    return key, crypto.seal_to(organisation_public_key(organisation), key)


def open_data_key(vault: Vault, organisation_id: int, sealed_key: bytes) -> bytes:
    return crypto.unseal(vault.org_key(organisation_id), bytes(sealed_key))


def seal_text(key: bytes, text: str | None) -> bytes | None:
    return None if text in (None, "") else crypto.encrypt_text(key, text)


def open_text(key: bytes, blob: bytes | memoryview | None) -> str:
    return "" if not blob else crypto.decrypt_text(key, bytes(blob))


def seal_json(key: bytes, value: Any) -> bytes:
    return crypto.encrypt_json(key, value)


def open_json(key: bytes, blob: bytes | memoryview | None, default: Any = None) -> Any:
    return default if not blob else crypto.decrypt_json(key, bytes(blob))


class SealedRecord(models.Model):
    """Abstract base for models with sealed fields."""

    sealed_key = models.BinaryField(null=True, editable=False)

    class Meta:
        abstract = True

    def ensure_data_key(self, organisation: Any) -> bytes:
        """Create the data key for a new record; writing needs no private key."""
        key, sealed = new_data_key(organisation)
        self.sealed_key = sealed
        return key

    def data_key(self, vault: Vault, organisation_id: int) -> bytes:
        if not self.sealed_key:
            raise crypto.CryptoError("content destroyed")
        return open_data_key(vault, organisation_id, bytes(self.sealed_key))

    def shred(self) -> None:
        """Destroy the content: without the data key the ciphertext is noise."""
        self.sealed_key = None


@dataclass(frozen=True)
class StoredFile:
    name: str
    sha256: str
    size: int


def store_file(key: bytes, chunks: Iterable[bytes], *, folder: str = "sealed") -> StoredFile:
    """Encrypt a stream of plaintext chunks into storage without holding it in memory.

    The SHA-256 is of the plaintext, for chain of custody.
    """
    digest = hashlib.sha256()
    size = 0

    def counting() -> Iterator[bytes]:
        nonlocal size
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            yield chunk

    name = f"{folder}/{uuid.uuid4().hex}.bin"
    encrypted = _IterStream(crypto.encrypt_stream(key, counting()))
    try:
        # Storage.save only reads (read/name); the stubs ask for a full IO.
        saved = default_storage.save(name, cast(IO[bytes], encrypted))
    except BaseException:
        # A failed write (disk full, source error) must not leave a partial file.
        if default_storage.exists(name):
            default_storage.delete(name)
        raise
    return StoredFile(name=saved, sha256=digest.hexdigest(), size=size)


def open_file(key: bytes, name: str) -> Iterator[bytes]:
    with default_storage.open(name, "rb") as handle:
        yield from crypto.decrypt_stream(key, handle)


def delete_file(name: str) -> None:
    default_storage.delete(name)


class _IterStream:
    """A read-only file-like object over an iterator of bytes, for storage.save()."""

    def __init__(self, iterator: Iterator[bytes]) -> None:
        self._iterator = iterator
        self._buffer = b""
        self.name = "encrypted.bin"

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            try:
                self._buffer += next(self._iterator)
            except StopIteration:
                break
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def chunks(self, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
        while data := self.read(chunk_size):
            yield data
