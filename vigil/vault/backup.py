"""One-file backups that are useless without the organisations' keys.

An archive is a tar file (gzip) with:

- ``manifest.json``: format, time, the schema (last migration of each app),
  object counts, and the SHA-256 of every other member;
- ``database.vigiljson``: every app's rows as Django serialises them to JSON
  (the same on SQLite and PostgreSQL; times to the microsecond, see
  ``fullprecision``), foreign keys to content types by natural key;
- ``media/...``: the stored files, which are sealed (encrypted) already;
- ``audit-checkpoints/checkpoints.jsonl``: the signed heads of the audit chain.

Nothing is decrypted on the way: narratives, names and evidence files stay
sealed to the organisation keys, which the server does not hold. Installation
secrets (``SECRET_KEY``, ``SESSION_KEY_SECRET``, the receipt peppers, the
audit signing key) are settings, not rows or media, and never enter the
archive; keep them in the secret store the deployment already uses.
Sessions, pending receipts and queued tasks are left out: they are transient.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from vigil.audit import checkpoints

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.vigiljson"
SERIAL_FORMAT = "vigiljson"
MEDIA = "media/"
CHECKPOINTS = "audit-checkpoints/"
# Rebuilt by migrate (content types, permissions) or transient (sessions, queued
# tasks, receipts waiting to be confirmed in one browser).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "django_tasks_database",
    "intake.pendingreceipt",
]

Say = Callable[[str], None]


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Summary:
    objects: int
    files: int
    size: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files() -> Iterator[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if root.exists():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                yield path, path.relative_to(root).as_posix()


def _schema() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return latest


def create(out: Path, say: Say) -> Summary:
    """Write the archive to ``out`` (through a temporary file, renamed at the end)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vigil-backup-") as tmp:
        dump = Path(tmp) / DATABASE
        say("database: writing every app's rows")
        # One transaction: on PostgreSQL a consistent snapshot of all tables
        # (REPEATABLE READ); on SQLite the WAL read holds the same snapshot.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            call_command(
                "dumpdata",
                exclude=EXCLUDED,
                natural_foreign=True,
                format=SERIAL_FORMAT,
                output=str(dump),
                verbosity=1,
            )
            head = _checkpoint_lines()
        objects = len(json.loads(dump.read_bytes()))
        say(f"database: {objects} objects")
        files = list(_media_files())
        if not isinstance(default_storage, FileSystemStorage):
            say(
                "warning: stored files are in object storage, not MEDIA_ROOT; "
                "copy the bucket with the provider's own replication"
            )
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "schema": _schema(),
            "objects": objects,
            "checkpoint_verify_key": checkpoints.signing_key().verify_key.encode().hex(),
            "members": {DATABASE: _sha256(dump)},
        }
        partial = out.with_name(out.name + ".partial")
        # Password hashes and TOTP secrets are in the rows: readable by the owner only.
        partial.unlink(missing_ok=True)
        partial.touch(mode=0o600)
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, DATABASE)
            for number, (path, relative) in enumerate(files, 1):
                name = MEDIA + relative
                manifest["members"][name] = _sha256(path)
                archive.add(path, name)
                if number % 100 == 0 or number == len(files):
                    say(f"media: {number}/{len(files)} files")
            name = CHECKPOINTS + checkpoints.FILE_NAME
            manifest["members"][name] = hashlib.sha256(head).hexdigest()
            _add_bytes(archive, name, head)
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
        partial.replace(out)
    size = out.stat().st_size
    say(f"archive: {out} ({size} bytes)")
    return Summary(objects=objects, files=len(files), size=size)


def _checkpoint_lines() -> bytes:
    path = checkpoints.checkpoint_path()
    return path.read_bytes() if path.exists() else b""


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def is_fresh() -> bool:
    """No organisation and no account yet: a new installation, nothing to lose."""
    organisation = apps.get_model("accounts", "Organisation")
    user = apps.get_model("accounts", "User")
    return not organisation.objects.exists() and not user.objects.exists()


def flush() -> None:
    """Empty every table (content types and permissions are made again)."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        # TRUNCATE refuses tables with deferred foreign-key checks still pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = archive.extractfile(MANIFEST)
    except KeyError as exc:
        raise BackupError("not a Vigil backup: no manifest") from exc
    if handle is None:
        raise BackupError("not a Vigil backup: no manifest")
    manifest: dict[str, Any] = json.loads(handle.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _copy_checked(source: IO[bytes], target: Path, expected: str) -> None:
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected:
        target.unlink()
        raise BackupError(f"{target.name}: damaged (checksum differs)")


def _safe_name(name: str) -> str:
    parts = Path(name).parts
    if name.startswith("/") or ".." in parts:
        raise BackupError(f"refusing a member outside the archive root: {name}")
    return name


def restore(path: Path, say: Say, *, force: bool = False) -> Summary:
    """Bring an archive up on this installation (migrated; empty unless ``force``)."""
    if not force and not is_fresh():
        raise BackupError(
            "this installation already has organisations or accounts; "
            "restore into a fresh one (or pass --force to replace everything)"
        )
    with tarfile.open(path, "r:*") as archive, tempfile.TemporaryDirectory() as tmp:
        manifest = _read_manifest(archive)
        members: dict[str, str] = manifest["members"]
        missing = set(_schema_gaps(manifest["schema"]))
        if missing:
            raise BackupError(
                "this installation's schema is older than the backup's; "
                f"upgrade and migrate first ({', '.join(sorted(missing))})"
            )
        for name in members:
            _safe_name(name)
        dump = Path(tmp) / DATABASE
        _copy_checked(_member(archive, DATABASE), dump, members[DATABASE])
        say(f"database: loading {manifest['objects']} objects")
        with transaction.atomic():
            # Rows made by data migrations (vocabularies, ...) come back from the dump.
            flush()
            call_command("loaddata", str(dump), verbosity=1)
        media = [name for name in members if name.startswith(MEDIA)]
        root = Path(settings.MEDIA_ROOT)
        for number, name in enumerate(media, 1):
            _copy_checked(_member(archive, name), root / name[len(MEDIA) :], members[name])
            if number % 100 == 0 or number == len(media):
                say(f"media: {number}/{len(media)} files")
        for name in (n for n in members if n.startswith(CHECKPOINTS)):
            target = Path(settings.AUDIT_CHECKPOINT_DIR) / Path(name).name
            _copy_checked(_member(archive, name), target, members[name])
        here = checkpoints.signing_key().verify_key.encode().hex()
        if here != manifest.get("checkpoint_verify_key"):
            say(
                "warning: this installation's audit signing key is not the one that signed "
                "the checkpoints; restore AUDIT_SIGNING_KEY_FILE from your secret store"
            )
    return Summary(objects=int(manifest["objects"]), files=len(media), size=path.stat().st_size)


def _member(archive: tarfile.TarFile, name: str) -> IO[bytes]:
    handle = archive.extractfile(name)
    if handle is None:
        raise BackupError(f"{name}: missing from the archive")
    return handle


def _schema_gaps(schema: dict[str, str]) -> Iterator[str]:
    here = _schema()
    for app, name in schema.items():
        if here.get(app, "") < name:
            yield f"{app}.{name}"
