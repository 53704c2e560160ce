"""Imports started from the browser run in the background worker with a sealed job key.

The page queues a task whose only argument that matters is a job key; the
worker opens the file key and the index key sealed under it on the job row,
imports chunk by chunk, and the sealed copy is wiped when the job ends.
"""

from __future__ import annotations

import base64
import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend

from vigil.accounts.models import Organisation
from vigil.cases.models import Case
from vigil.conftest import World
from vigil.imports import actions, tasks
from vigil.imports.models import ImportedRecord, ImportJob, JobStatus
from vigil.imports.tests import jobpage, sheets
from vigil.imports.tests.test_import import _map_and_check, _upload
from vigil.imports.writer import external_index
from vigil.incidents.models import Act, Event, Perpetrator, Person
from vigil.vault import crypto
from vigil.vault.seizure import encodings, seized
from vigil.vault.session import Vault

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NO_WORKER = "No background worker has picked up this import after a minute."
STOPPED = "The import stopped before the end"
ROWS = 450


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.IMPORT_CHUNK_ROWS = 100


def _checked_job(client: Client, rows: int = ROWS) -> ImportJob:
    data = sheets.csv_bytes([sheets.good_row(n) for n in range(1, rows + 1)])
    job = _upload(client, data, "cases.csv")
    _map_and_check(client, job, sheets.DEFAULT_COLUMNS)
    job.refresh_from_db()
    assert job.status == JobStatus.CHECKED and job.problems == []
    return job


def _dummy() -> DummyBackend:
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    return backend


def _queued_task() -> tuple[int, str]:
    """The arguments of the last task the page queued (the dummy backend keeps them)."""
    result = _dummy().results[-1]
    assert result.task.func is tasks.run_import.func
    job_id, job_key_hex = result.args
    return job_id, job_key_hex


def _value(page: str) -> int:
    match = re.search(r'<progress id="import-progress" max="100" value="(\d+)">', page)
    assert match, page[:2000]
    return int(match.group(1))


def _counts(organisation: Organisation) -> dict[str, int]:
    org = {"organisation": organisation}
    return {
        "events": Event.objects.filter(**org).count(),
        "acts": Act.objects.filter(event__organisation=organisation).count(),
        "perpetrators": Perpetrator.objects.filter(event__organisation=organisation).count(),
        "persons": Person.objects.filter(**org).count(),
        "cases": Case.objects.filter(**org).count(),
        "records": ImportedRecord.objects.filter(**org).count(),
    }


def test_the_worker_imports_with_a_progress_bar_and_wipes_the_job_keys(
    world: World, signed_in: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = DUMMY
    coordinator = signed_in("coordinator")
    job = _checked_job(coordinator)
    assert coordinator.post(f"/imports/{job.pk}/start/").status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.job_secret
    page = coordinator.get(f"/imports/{job.pk}/").content.decode()
    assert 'http-equiv="refresh" content="2"' in page and _value(page) == 0
    assert NO_WORKER not in page and "/resume/" not in page and "/cancel/" in page
    # Nobody picked it up within a minute: the page says so and offers to queue it again.
    ImportJob.objects.filter(pk=job.pk).update(
        queued_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    page = coordinator.get(f"/imports/{job.pk}/").content.decode()
    assert NO_WORKER in page and "/resume/" in page
    job_id, job_key_hex = _queued_task()
    assert job_id == job.pk
    # The worker: the page shows its progress after every chunk.
    seen: list[int] = []
    renew = actions.renew

    def watched(current: ImportJob) -> None:
        renew(current)
        page = coordinator.get(f"/imports/{job.pk}/").content.decode()
        seen.append(_value(page))
        assert NO_WORKER not in page and "/resume/" not in page
        if current.status == JobStatus.RUNNING:
            assert 'http-equiv="refresh"' in page and "/cancel/" in page

    monkeypatch.setattr(actions, "renew", watched)
    assert tasks.run_import.call(job_id, job_key_hex) == JobStatus.DONE
    assert seen == [22, 44, 66, 88, 100]
    page = coordinator.get(f"/imports/{job.pk}/").content.decode()
    assert _value(page) == 100 and 'http-equiv="refresh"' not in page
    assert "The import is finished" in page
    job.refresh_from_db()
    assert (job.imported, job.done_line) == (ROWS, ROWS + 1)
    assert _counts(world.org)["events"] == ROWS
    # The job row keeps nothing that opens anything; the task's argument opens nothing.
    assert job.job_secret is None and job.sealed_key is None and job.stored_name == ""
    with pytest.raises(crypto.CryptoError):
        actions.job_keys(job, bytes.fromhex(job_key_hex))
    # Running the task again (a retry with the same argument) changes nothing.
    assert tasks.run_import.call(job_id, job_key_hex) == JobStatus.DONE
    assert _counts(world.org)["events"] == ROWS


def test_cancel_stops_a_queued_or_running_import(
    world: World, signed_in: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = DUMMY
    coordinator = signed_in("coordinator")
    # Cancelled while queued: the worker does nothing.
    queued = _checked_job(coordinator, rows=5)
    coordinator.post(f"/imports/{queued.pk}/start/")
    stored = Path(settings.MEDIA_ROOT) / queued.stored_name
    assert coordinator.post(f"/imports/{queued.pk}/cancel/").status_code == 302
    assert tasks.run_import.call(*_queued_task()) == JobStatus.CANCELLED
    queued.refresh_from_db()
    assert queued.job_secret is None and not stored.exists() and Event.objects.count() == 0
    # Cancelled while running: the worker stops before its next chunk.
    running = _checked_job(coordinator)
    coordinator.post(f"/imports/{running.pk}/start/")
    stored = Path(settings.MEDIA_ROOT) / running.stored_name
    renew = actions.renew

    def cancel_after_the_first_chunk(current: ImportJob) -> None:
        renew(current)
        if current.done_line == 101:
            assert coordinator.post(f"/imports/{running.pk}/cancel/").status_code == 302

    monkeypatch.setattr(actions, "renew", cancel_after_the_first_chunk)
    assert tasks.run_import.call(*_queued_task()) == JobStatus.CANCELLED
    running.refresh_from_db()
    assert (running.status, running.done_line, running.imported) == (JobStatus.CANCELLED, 101, 100)
    assert Event.objects.count() == 100
    assert running.job_secret is None and running.sealed_key is None and not stored.exists()
    page = coordinator.get(f"/imports/{running.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page and "/resume/" not in page


def test_a_crash_then_resume_gives_the_same_rows_as_one_clean_run(
    world: World, signed_in: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = IMMEDIATE
    coordinator = signed_in("coordinator")
    job = _checked_job(coordinator)
    write_rows = actions.write_rows
    calls = {"n": 0}

    def crash_on_the_third_chunk(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return write_rows(*args, **kwargs)

    monkeypatch.setattr(actions, "write_rows", crash_on_the_third_chunk)
    coordinator.post(f"/imports/{job.pk}/start/")
    job.refresh_from_db()
    # Two chunks committed; the third rolled back whole; the keys are wiped.
    assert (job.status, job.done_line, job.imported) == (JobStatus.INTERRUPTED, 201, 200)
    assert job.job_secret is None and job.stored_name
    assert Event.objects.count() == 200
    page = coordinator.get(f"/imports/{job.pk}/").content.decode()
    assert STOPPED in page and "/resume/" in page and 'http-equiv="refresh"' not in page
    assert _value(page) == 44
    monkeypatch.setattr(actions, "write_rows", write_rows)
    assert coordinator.post(f"/imports/{job.pk}/resume/").status_code == 302
    job.refresh_from_db()
    assert (job.status, job.imported, job.skipped) == (JobStatus.DONE, ROWS, 0)
    assert job.job_secret is None and job.stored_name == ""
    # One clean run of the same file in another organisation writes exactly as much.
    other = signed_in("coordinator", other=True)
    clean = _checked_job(other)
    other.post(f"/imports/{clean.pk}/start/")
    clean.refresh_from_db()
    assert clean.status == JobStatus.DONE
    assert _counts(world.org) == _counts(world.other_org)
    assert _counts(world.org)["events"] == ROWS
    # Every external identifier once: the blind indexes of the file's identifiers.
    index_key = crypto.blind_index_key(world.org_private)
    expected = {external_index(index_key, f"EXT-{n:05d}") for n in range(1, ROWS + 1)}
    found = set(
        ImportedRecord.objects.filter(organisation=world.org).values_list(
            "external_bidx", flat=True
        )
    )
    assert found == expected


def test_a_killed_worker_is_resumed_with_a_new_job_key(
    world: World, signed_in: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = DUMMY
    coordinator = signed_in("coordinator")
    job = _checked_job(coordinator)
    coordinator.post(f"/imports/{job.pk}/start/")
    first = _queued_task()
    renew = actions.renew

    def killed(current: ImportJob) -> None:
        renew(current)
        raise SystemExit(137)  # like SIGKILL: nothing of the worker's cleanup runs

    monkeypatch.setattr(actions, "renew", killed)
    with pytest.raises(SystemExit):
        tasks.run_import.call(*first)
    monkeypatch.setattr(actions, "renew", renew)
    job.refresh_from_db()
    assert (job.status, job.done_line) == (JobStatus.RUNNING, 101)
    # While the lease runs the worker may be alive: no resume button.
    page = coordinator.get(f"/imports/{job.pk}/").content.decode()
    assert "/resume/" not in page and STOPPED not in page
    assert coordinator.post(f"/imports/{job.pk}/resume/").status_code == 302
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.RUNNING
    # The lease ran out: the worker died.
    ImportJob.objects.filter(pk=job.pk).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    page = coordinator.get(f"/imports/{job.pk}/").content.decode()
    assert STOPPED in page and "/resume/" in page
    assert coordinator.post(f"/imports/{job.pk}/resume/").status_code == 302
    second = _queued_task()
    assert second[1] != first[1]
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    # The dead worker's key opens nothing any more: a late retry of its task does nothing.
    with pytest.raises(crypto.CryptoError):
        actions.job_keys(job, bytes.fromhex(first[1]))
    assert tasks.run_import.call(*first) == JobStatus.QUEUED
    assert tasks.run_import.call(*second) == JobStatus.DONE
    job.refresh_from_db()
    assert (job.imported, job.skipped) == (ROWS, 0)
    assert Event.objects.count() == ROWS


def test_a_resume_needs_a_session_that_holds_the_key(
    world: World, signed_in: Any, settings: Any
) -> None:
    settings.TASKS = DUMMY
    coordinator = signed_in("coordinator")
    job = _checked_job(coordinator, rows=3)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.INTERRUPTED)
    # The vault cookie is gone (another browser, or it expired): the key cannot be opened.
    del coordinator.cookies[django_settings.VAULT_COOKIE_NAME]
    response = coordinator.post(f"/imports/{job.pk}/resume/")
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == JobStatus.INTERRUPTED and job.job_secret is None
    assert _dummy().results == []


@pytest.mark.django_db(transaction=True)
def test_a_seized_server_holds_no_key_of_a_finished_import(
    world: World, signed_in: Any, settings: Any
) -> None:
    """The real database worker runs the task; afterwards the dump opens nothing."""
    settings.TASKS = DATABASE
    name = "Галина Фоновая"
    coordinator = signed_in("coordinator")
    row = sheets.good_row(1)
    row[6] = name
    data = sheets.csv_bytes([row, *[sheets.good_row(n) for n in range(2, 120)]])
    job = _upload(coordinator, data, "cases.csv")
    _map_and_check(coordinator, job, sheets.DEFAULT_COLUMNS)
    file_key = job.data_key(Vault({world.org.pk: world.org_private}), world.org.pk)
    index_key = crypto.blind_index_key(world.org_private)
    coordinator.post(f"/imports/{job.pk}/start/")
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    # While queued, the job key (in the task's arguments) opens the keys: that is the window.
    from django_tasks_db.models import DBTaskResult

    job_key_hex = DBTaskResult.objects.get().args_kwargs["args"][1]
    assert actions.job_keys(job, bytes.fromhex(job_key_hex)) == (file_key, index_key)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.imported) == (JobStatus.DONE, 119)
    assert job.percent == 100 and Event.objects.count() == 119
    after = seized()
    assert len(after) > 10_000
    # The task's argument is still in the task table, but nothing it opens is left.
    assert job_key_hex.encode() in after
    assert job.job_secret is None and job.sealed_key is None
    with pytest.raises(crypto.CryptoError):
        actions.job_keys(job, bytes.fromhex(job_key_hex))
    for key in (file_key, index_key):
        for form in (key, key.hex().encode(), base64.b64encode(key)):
            assert form not in after
    for form in encodings(name):
        assert form not in after
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.bin"))


def test_the_dry_run_of_a_large_file_runs_in_the_worker(
    world: World, signed_in: Any, settings: Any
) -> None:
    settings.TASKS = DUMMY
    settings.IMPORT_INLINE_CHECK_BYTES = 1000  # the file below is larger
    coordinator = signed_in("coordinator")
    rows = [sheets.good_row(n) for n in range(1, 40)]
    rows[9][1] = "не дата"  # line 11
    job = _upload(coordinator, sheets.csv_bytes(rows), "cases.csv")
    data = {"name": "ngo sheet", "check": "1"}
    data.update({f"col_{field}": header for field, header in sheets.DEFAULT_COLUMNS.items()})
    assert coordinator.post(f"/imports/{job.pk}/mapping/", data).status_code == 302
    job.refresh_from_db()
    assert (job.status, job.checking, job.problems) == (JobStatus.QUEUED, True, [])
    assert job.job_secret
    page = coordinator.get(f"/imports/{job.pk}/").content.decode()
    assert "Checking the file (dry run)" in page and 'http-equiv="refresh"' in page
    assert tasks.run_import.call(*_queued_task()) == JobStatus.CHECKED
    job.refresh_from_db()
    assert job.problems == [{"line": 11, "column": "date", "code": "bad_date"}]
    assert (job.total_rows, job.checking) == (39, False) and job.job_secret is None
    assert job.stored_name and Event.objects.count() == 0
    page = coordinator.get(f"/imports/{job.pk}/").content.decode()
    assert "<td>11</td><td>date</td>" in page and "/start/" in page
    assert 'http-equiv="refresh"' not in page
    # Then the import itself, in the worker too.
    coordinator.post(f"/imports/{job.pk}/start/")
    assert tasks.run_import.call(*_queued_task()) == JobStatus.DONE
    job.refresh_from_db()
    assert (job.imported, job.rejected) == (38, 1) and job.job_secret is None


@pytest.mark.browser
def test_the_progress_page_works_without_javascript_under_the_csp(
    world: World, settings: Any, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    source = tmp_path / "cases.csv"
    source.write_bytes(sheets.csv_bytes([sheets.good_row(n) for n in range(1, 31)]))
    page, violations = jobpage.coordinator_page(world, settings, live_server, browser)
    base = live_server.url
    page.goto(f"{base}/imports/")
    page.set_input_files("input[type=file]", str(source))
    page.click("main form button[type=submit]")
    page.fill("input[name=name]", "sheet")
    page.click("button[name=check]")
    page.click("text=Import now")
    job = ImportJob.objects.get()
    assert job.status == JobStatus.QUEUED
    jobpage.watch_to_the_end(page, f"{base}/imports/{job.pk}/", "import-progress")
    assert "The import is finished" in page.content()
    assert Event.objects.filter(organisation=world.org).count() == 30
    assert not [text for text in violations if "Content Security Policy" in text]
    page.context.close()
    # ORM calls made while Playwright's loop runs have a connection of their own:
    # close it here, or PostgreSQL cannot drop the test database.
    connections.close_all()
