"""The service's database: networks, members, daily usage, entries, notices.

An entry is (member, tag, sealed entry, month, hash of its withdrawal secret)
and nothing else: the tag is a hash of the OPRF output, the sealed entry is
opaque to the service (sealed to the network counsel's public key).
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS network (
    slug TEXT PRIMARY KEY,
    counsel_email TEXT NOT NULL,
    counsel_token_hash BLOB NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS member (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    network TEXT NOT NULL REFERENCES network(slug),
    label TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    point INTEGER NOT NULL CHECK (point > 0),
    active INTEGER NOT NULL DEFAULT 1,
    UNIQUE (network, point),
    UNIQUE (network, label)
);
CREATE TABLE IF NOT EXISTS usage (
    member_id INTEGER NOT NULL REFERENCES member(id),
    day TEXT NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    refused INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (member_id, day)
);
CREATE TABLE IF NOT EXISTS entry (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES member(id),
    tag BLOB NOT NULL,
    sealed BLOB NOT NULL,
    month TEXT NOT NULL,
    withdraw_hash BLOB NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS entry_tag ON entry (tag);
CREATE TABLE IF NOT EXISTS notice (
    network TEXT NOT NULL,
    tag BLOB NOT NULL,
    organisations INTEGER NOT NULL,
    PRIMARY KEY (network, tag)
);
"""


def token_hash(token: str) -> bytes:
    """Tokens carry 256 random bits, so a plain hash is as good as a slow one."""
    return hashlib.sha256(token.encode()).digest()


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


@dataclass(frozen=True)
class Member:
    id: int
    network: str
    label: str
    point: int


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
        # Tags and sealed entries are opaque, but no reason to hand them to other users.
        path.chmod(0o600)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """One connection per thread, kept open: closing the last connection to a
        WAL database checkpoints it, which would cost an fsync per request."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        yield db

    @contextmanager
    def transaction(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """``durable=False`` skips the fsync of each commit (WAL stays consistent; a
        power cut may lose the last few): right for quota counters, not for entries."""
        with self.connect() as db:
            db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # --- administration (command line only) ---

    def add_network(self, slug: str, counsel_email: str) -> str:
        token = new_token("mc")
        with self.transaction() as db:
            db.execute(
                "INSERT INTO network (slug, counsel_email, counsel_token_hash) VALUES (?, ?, ?)",
                (slug, counsel_email, token_hash(token)),
            )
        return token

    def add_member(self, network: str, label: str) -> tuple[str, int]:
        """A new member organisation; the service alone chooses its share point."""
        token = new_token("mo")
        with self.transaction() as db:
            (point,) = db.execute(
                "SELECT COALESCE(MAX(point), 0) + 1 FROM member WHERE network = ?", (network,)
            ).fetchone()
            db.execute(
                "INSERT INTO member (network, label, token_hash, point) VALUES (?, ?, ?, ?)",
                (network, label, token_hash(token), point),
            )
        return token, int(point)

    # --- authentication ---

    def member_for(self, token: str) -> Member | None:
        with self.connect() as db:
            row = db.execute(
                "SELECT id, network, label, point FROM member WHERE token_hash = ? AND active = 1",
                (token_hash(token),),
            ).fetchone()
        return Member(*row) if row else None

    def network_for_counsel(self, token: str) -> tuple[str, str] | None:
        with self.connect() as db:
            row = db.execute(
                "SELECT slug, counsel_email FROM network WHERE counsel_token_hash = ?",
                (token_hash(token),),
            ).fetchone()
        return (row[0], row[1]) if row else None

    def counsel_email(self, network: str) -> str:
        with self.connect() as db:
            row = db.execute(
                "SELECT counsel_email FROM network WHERE slug = ?", (network,)
            ).fetchone()
        return str(row[0]) if row else ""

    # --- quota ---

    def consume(self, member: Member, day: str, count: int, quota: int) -> tuple[bool, bool]:
        """Charge ``count`` evaluations; return (allowed, first refusal of the day)."""
        with self.transaction(durable=False) as db:
            db.execute(
                "INSERT OR IGNORE INTO usage (member_id, day) VALUES (?, ?)", (member.id, day)
            )
            used, refused = db.execute(
                "SELECT used, refused FROM usage WHERE member_id = ? AND day = ?",
                (member.id, day),
            ).fetchone()
            if used + count > quota:
                db.execute(
                    "UPDATE usage SET refused = refused + 1 WHERE member_id = ? AND day = ?",
                    (member.id, day),
                )
                return False, refused == 0
            db.execute(
                "UPDATE usage SET used = used + ? WHERE member_id = ? AND day = ?",
                (count, member.id, day),
            )
        return True, False

    # --- entries ---

    def add_entries(
        self, member: Member, rows: list[tuple[bytes, bytes, str, bytes]], threshold: int
    ) -> tuple[list[int], list[bytes]]:
        """Store entries; return their ids and the tags that newly reached the threshold."""
        ids: list[int] = []
        reached: list[bytes] = []
        with self.transaction() as db:
            for tag, sealed, month, withdraw in rows:
                cursor = db.execute(
                    "INSERT INTO entry (member_id, tag, sealed, month, withdraw_hash)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (member.id, tag, sealed, month, withdraw),
                )
                ids.append(int(cursor.lastrowid or 0))
            for tag in dict.fromkeys(row[0] for row in rows):
                count = self._organisations(db, member.network, tag)
                (noticed,) = db.execute(
                    "SELECT COALESCE(MAX(organisations), 0) FROM notice"
                    " WHERE network = ? AND tag = ?",
                    (member.network, tag),
                ).fetchone()
                if count >= threshold and count > noticed:
                    db.execute(
                        "INSERT OR REPLACE INTO notice (network, tag, organisations)"
                        " VALUES (?, ?, ?)",
                        (member.network, tag, count),
                    )
                    reached.append(tag)
        return ids, reached

    @staticmethod
    def _organisations(db: sqlite3.Connection, network: str, tag: bytes) -> int:
        (count,) = db.execute(
            "SELECT COUNT(DISTINCT e.member_id) FROM entry e JOIN member m ON m.id = e.member_id"
            " WHERE e.tag = ? AND m.network = ?",
            (tag, network),
        ).fetchone()
        return int(count)

    def withdraw(self, secrets_: list[bytes]) -> int:
        hashes = [hashlib.sha256(secret).digest() for secret in secrets_]
        with self.transaction() as db:
            total = 0
            for digest in hashes:
                total += db.execute("DELETE FROM entry WHERE withdraw_hash = ?", (digest,)).rowcount
        return total

    def matches(
        self, network: str, threshold: int
    ) -> list[tuple[bytes, list[tuple[int, int, bytes, str]]]]:
        """Tags with entries from at least ``threshold`` distinct members, and those entries."""
        with self.connect() as db:
            tags = [
                row[0]
                for row in db.execute(
                    "SELECT e.tag FROM entry e JOIN member m ON m.id = e.member_id"
                    " WHERE m.network = ? GROUP BY e.tag"
                    " HAVING COUNT(DISTINCT e.member_id) >= ? ORDER BY MIN(e.id)",
                    (network, threshold),
                )
            ]
            groups = []
            for tag in tags:
                entries = db.execute(
                    "SELECT e.id, m.point, e.sealed, e.month FROM entry e"
                    " JOIN member m ON m.id = e.member_id"
                    " WHERE e.tag = ? AND m.network = ? ORDER BY e.id",
                    (tag, network),
                ).fetchall()
                groups.append((tag, [(int(a), int(b), bytes(c), str(d)) for a, b, c, d in entries]))
        return groups
