"""A killed import process resumes without duplicates (real processes, real SIGKILL).

The import runs as ``manage.py import_records`` in a child process on a
database file of its own (the test database of the suite is not visible to
another process), is killed with SIGKILL once some chunks are committed, and
the same command run again finishes the job.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from vigil.imports.tests import sheets

ROOT = Path(__file__).resolve().parents[3]
ROWS = 3000
SETUP = """
from vigil.accounts import actions
from vigil.imports.models import ImportMapping
from vigil.vocab.loader import load_terms
from vigil.vocab.models import Term
if not Term.objects.exists():
    load_terms(Term)
made = actions.create_organisation(
    None, name="Svitlo", slug="svitlo", country="UA", languages=["uk"]
)
actions.add_member(None, made.organisation, username="coord", role="coordinator",
                   password="correct horse battery staple", org_private=made.private_key)
ImportMapping.objects.create(organisation=made.organisation, name="sheet",
                             columns={h: h for h in %r})
print(made.recovery_phrase)
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'crash.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        VIGIL_TESTING="1",
        IMPORT_CHUNK_ROWS="50",
    )
    return env


def _manage(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return done.stdout


def _query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db, timeout=20) as connection:
        return connection.execute(sql).fetchall()


def test_it_resumes_a_killed_import_without_duplicates(tmp_path: Path) -> None:
    env = _env(tmp_path)
    db = tmp_path / "crash.sqlite3"
    _manage(env, "migrate", "-v0")
    phrase = _manage(env, "shell", "-c", SETUP % (sheets.HEADERS,)).strip().splitlines()[-1]
    source = tmp_path / "records.xlsx"
    source.write_bytes(sheets.xlsx([sheets.good_row(n) for n in range(1, ROWS + 1)]))
    command = [
        sys.executable,
        "manage.py",
        "import_records",
        str(source),
        "--mapping",
        "sheet",
        "--user",
        "coord",
        "--recovery-phrase",
    ]
    child = subprocess.Popen(  # noqa: S603 - fixed arguments
        command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    assert child.stdin is not None
    child.stdin.write(phrase + "\n")
    child.stdin.close()
    deadline = time.monotonic() + 300
    done_line = 0
    while time.monotonic() < deadline and child.poll() is None:
        rows = _query(db, "select done_line from imports_importjob")
        done_line = rows[0][0] if rows else 0
        if done_line >= 300:
            break
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    events_at_kill = _query(db, "select count(*) from incidents_event")[0][0]
    assert 0 < done_line < ROWS, "the child must die in the middle"
    assert events_at_kill < ROWS
    # Committed chunks are whole: the events match the cursor exactly.
    cursor = _query(db, "select done_line, imported from imports_importjob")[0]
    assert cursor[1] == cursor[0] - 1 == events_at_kill
    out = _manage(env, *command[2:], stdin=phrase + "\n")
    assert "resuming" in out
    assert _query(db, "select count(*) from incidents_event")[0][0] == ROWS
    assert (
        _query(db, "select count(distinct external_bidx) from imports_importedrecord")[0][0] == ROWS
    )
    assert _query(db, "select count(*), max(status) from imports_importjob")[0] == (1, "done")
    # The sealed source is gone from the media folder once done.
    assert not any((tmp_path / "media").rglob("*.bin"))
    # A third run of the same file imports nothing new.
    again = _manage(env, *command[2:], stdin=phrase + "\n")
    assert "0 imported" in again and f"{ROWS} already there" in again
    assert _query(db, "select count(*) from incidents_event")[0][0] == ROWS
