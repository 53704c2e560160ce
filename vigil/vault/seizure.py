"""Helpers for seizure tests: everything an adversary gets from a seized server.

Returns the raw bytes of the database (a SQLite file copy or a pg_dump of the
PostgreSQL database) and of every file under MEDIA_ROOT, so a test can look
for planted plaintext in them.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection


def database_bytes() -> bytes:
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "copy.sqlite3"
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(target)])
            return target.read_bytes()
    params = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
    command = [
        "pg_dump",
        "--no-owner",
        "--data-only",
        "-h",
        params.get("HOST") or "127.0.0.1",
        "-p",
        str(params.get("PORT") or 5432),
        "-U",
        params.get("USER") or "postgres",
        params["NAME"],
    ]
    return subprocess.run(command, check=True, capture_output=True, env=env).stdout  # noqa: S603


def media_bytes() -> bytes:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return b""
    return b"".join(path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file())


def seized() -> bytes:
    return database_bytes() + b"\n" + media_bytes()


def encodings(text: str) -> list[bytes]:
    """The forms a plaintext could take in a dump: UTF-8, and escaped as Postgres/JSON would."""
    raw = text.encode("utf-8")
    escaped = text.encode("unicode_escape")
    json_escaped = "".join(c if ord(c) < 128 else f"\\u{ord(c):04x}" for c in text).encode()
    return list({raw, escaped, json_escaped})
