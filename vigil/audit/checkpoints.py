"""Signed checkpoints of the audit chain head, kept outside the database.

The chain alone cannot reveal an attacker who deletes its tail and rewrites
the head row, or who deletes the head row: what remains is self-consistent.
A checkpoint is a line ``{"seq", "hash", "at", "sig"}`` appended to a file
under ``AUDIT_CHECKPOINT_DIR`` and signed with an Ed25519 key read from
``AUDIT_SIGNING_KEY_FILE`` (generated on first use). Neither lives in the
database, so someone with the database alone can neither remove a checkpoint
nor forge a new one, and ``verify()`` compares the chain against every
checkpoint. Put the directory on storage the application cannot rewrite
(append-only attribute, another host) and the key file outside backups of the
database; the daily email to coordinators is a further copy of the head.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey

from vigil.audit.models import AuditEvent

FILE_NAME = "checkpoints.jsonl"
GENESIS = "0" * 64


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str

    def message(self) -> bytes:
        return f"vigil-audit-checkpoint\n{self.seq}\n{self.hash}\n{self.at}".encode()


@dataclass(frozen=True)
class Line:
    """One line of the file, with whether its signature holds."""

    number: int
    checkpoint: Checkpoint | None
    valid: bool


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR) / FILE_NAME


def signing_key() -> SigningKey:
    """The installation's checkpoint key; created (mode 0600) the first time."""
    path = Path(settings.AUDIT_SIGNING_KEY_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        seed = SigningKey.generate().encode()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first; use theirs
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(base64.b64encode(seed))
    return SigningKey(base64.b64decode(path.read_bytes().strip()))


def chain_head() -> Checkpoint:
    """The last event's sequence and hash, read from the events (not the head row)."""
    last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
    now = timezone.now().isoformat()
    if last is None:
        return Checkpoint(0, GENESIS, now)
    return Checkpoint(last.seq, last.hash, now)


def append() -> Checkpoint:
    """Sign the current head and append it to the checkpoint file."""
    checkpoint = chain_head()
    signature = signing_key().sign(checkpoint.message()).signature
    line = json.dumps(
        {
            "seq": checkpoint.seq,
            "hash": checkpoint.hash,
            "at": checkpoint.at,
            "sig": base64.b64encode(signature).decode(),
        },
        sort_keys=True,
    )
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return checkpoint


def read() -> Iterator[Line]:
    path = checkpoint_path()
    if not path.exists():
        return
    verify_key = signing_key().verify_key
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip():
            continue
        try:
            raw = json.loads(text)
            checkpoint = Checkpoint(int(raw["seq"]), str(raw["hash"]), str(raw["at"]))
            verify_key.verify(checkpoint.message(), base64.b64decode(raw["sig"]))
        except (ValueError, KeyError, TypeError, BadSignatureError):
            yield Line(number, None, False)
        else:
            yield Line(number, checkpoint, True)
