"""Records exports run on the background worker with a sealed job key.

The page queues a task whose only argument that matters is a job key; the
worker opens the organisation key sealed under it on the job row, writes the
file chunk by chunk into the sealed store, and the sealed copy of the key is
wiped when the job ends. Another organisation sees nothing of it.
"""

from __future__ import annotations

import base64
import datetime
import io
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from vigil.audit.models import AuditEvent
from vigil.conftest import World
from vigil.imports import actions, exporter, tasks
from vigil.imports.models import ExportJob, ExportStatus
from vigil.imports.tests import jobpage, sheets
from vigil.imports.tests.test_export import _import, content, export, queued_export
from vigil.incidents.models import Event
from vigil.vault import crypto
from vigil.vault.seizure import encodings, seized
from vigil.vault.session import Vault

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NO_WORKER = "No background worker has picked up this export after a minute."
EVENTS = 45
NAME = "Галина Експортна"
NARRATIVE = "Розповідь 8841 про кийок"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = DUMMY
    settings.EXPORT_CHUNK_EVENTS = 10


def _records(world: World, events: int = EVENTS) -> None:
    rows = [sheets.good_row(n) for n in range(1, events + 1)]
    rows[0][6] = NAME  # the victim's name
    rows[0][5] = NARRATIVE  # the narrative
    _import(world, world.org, world.org_private, sheets.csv_bytes(rows), world["coordinator"].user)
    assert Event.objects.filter(organisation=world.org, status="recorded").count() == events


def _value(page: str) -> int:
    match = re.search(r'<progress id="export-progress" max="100" value="(\d+)">', page)
    assert match, page[:2000]
    return int(match.group(1))


def _files(settings: Any) -> list[Path]:
    return list(Path(settings.MEDIA_ROOT).glob("exports/*.bin"))


def test_the_worker_exports_with_a_progress_bar_and_wipes_the_job_key(
    world: World, signed_in: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _records(world)
    coordinator = signed_in("coordinator")
    assert coordinator.post("/imports/export.csv").status_code == 302
    job_id, job_key_hex = queued_export()
    job = ExportJob.objects.get(pk=job_id)
    assert job.status == ExportStatus.QUEUED and job.job_secret
    assert actions.export_key(job, bytes.fromhex(job_key_hex)) == world.org_private
    assert AuditEvent.objects.filter(action="import.export_queue", data__format="csv").count() == 1
    page = coordinator.get(f"/imports/exports/{job_id}/").content.decode()
    assert 'http-equiv="refresh" content="2"' in page and _value(page) == 0
    assert NO_WORKER not in page and "/cancel/" in page and "/download/" not in page
    ExportJob.objects.filter(pk=job_id).update(
        created_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    assert NO_WORKER in coordinator.get(f"/imports/exports/{job_id}/").content.decode()
    # The worker: the page shows its progress after every chunk of ten incidents.
    seen: list[int] = []
    progress = actions.export_progress

    def watched(current: ExportJob, events_done: int, rows: int) -> bool:
        going = progress(current, events_done, rows)
        page = coordinator.get(f"/imports/exports/{job_id}/").content.decode()
        seen.append(_value(page))
        assert 'http-equiv="refresh"' in page and NO_WORKER not in page
        return going

    monkeypatch.setattr(actions, "export_progress", watched)
    assert tasks.run_export.call(job_id, job_key_hex) == ExportStatus.DONE
    assert seen == [22, 44, 66, 88, 99]
    page = coordinator.get(f"/imports/exports/{job_id}/").content.decode()
    assert _value(page) == 100 and 'http-equiv="refresh"' not in page
    assert f"/imports/exports/{job_id}/download/" in page
    job.refresh_from_db()
    assert (job.events_done, job.total_events, job.rows) == (EVENTS, EVENTS, EVENTS)
    assert job.expires_at is not None and job.expires_at > timezone.now()
    # The row keeps nothing the task's argument opens; a retry of the task does nothing.
    assert job.job_secret is None and job.claimed_until is None and job.sealed_key
    with pytest.raises(crypto.CryptoError):
        actions.export_key(job, bytes.fromhex(job_key_hex))
    assert tasks.run_export.call(job_id, job_key_hex) == ExportStatus.DONE
    assert len(_files(settings)) == 1
    # The download is audited with the number of lines.
    response = coordinator.get(f"/imports/exports/{job_id}/download/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert NAME.encode() in content(response)
    audit = AuditEvent.objects.get(action="import.export")
    assert audit.data["rows"] == EVENTS and audit.target_id == str(job_id)


def test_cancel_stops_a_queued_or_running_export(
    world: World, signed_in: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _records(world)
    coordinator = signed_in("coordinator")
    # Cancelled while queued: the worker does nothing.
    coordinator.post("/imports/export.csv")
    queued = queued_export()
    assert coordinator.post(f"/imports/exports/{queued[0]}/cancel/").status_code == 302
    assert tasks.run_export.call(*queued) == ExportStatus.CANCELLED
    job = ExportJob.objects.get(pk=queued[0])
    assert job.job_secret is None and job.events_done == 0 and _files(settings) == []
    # Cancelled while running: the worker stops after the chunk it is writing.
    coordinator.post("/imports/export.xlsx")
    running = queued_export()
    progress = actions.export_progress
    chunks: list[int] = []

    def cancel_after_the_second_chunk(current: ExportJob, events_done: int, rows: int) -> bool:
        chunks.append(events_done)
        if events_done == 20:
            assert coordinator.post(f"/imports/exports/{running[0]}/cancel/").status_code == 302
        return progress(current, events_done, rows)

    monkeypatch.setattr(actions, "export_progress", cancel_after_the_second_chunk)
    assert tasks.run_export.call(*running) == ExportStatus.CANCELLED
    assert chunks == [10, 20]
    job = ExportJob.objects.get(pk=running[0])
    assert job.job_secret is None and job.stored_name == "" and job.sealed_key is None
    assert _files(settings) == []  # the partial file was deleted
    page = coordinator.get(f"/imports/exports/{running[0]}/").content.decode()
    assert 'http-equiv="refresh"' not in page and "/download/" not in page
    assert coordinator.get(f"/imports/exports/{running[0]}/download/").status_code == 404
    assert AuditEvent.objects.filter(action="import.export_cancel").count() == 2


def test_a_failing_export_is_marked_failed_and_logs_no_cell_value(
    world: World, signed_in: Any, settings: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    _records(world)
    coordinator = signed_in("coordinator")
    coordinator.post("/imports/export.csv")
    job_id, job_key_hex = queued_export()
    real_text = exporter.csv_text
    calls = {"n": 0}

    def breaks_on_the_third_chunk(lines: Any, *, header: bool = False) -> Any:
        calls["n"] += 1
        if calls["n"] == 4:  # the header, then the chunks
            raise ValueError(f"cannot write {lines[0]}")
        return real_text(lines, header=header)

    monkeypatch.setattr(exporter, "csv_text", breaks_on_the_third_chunk)
    with caplog.at_level(logging.INFO):
        assert tasks.run_export.call(job_id, job_key_hex) == ExportStatus.FAILED
    job = ExportJob.objects.get(pk=job_id)
    assert job.job_secret is None and job.stored_name == "" and _files(settings) == []
    assert f"export {job_id} failed" in caplog.text and "ValueError" in caplog.text
    assert "EXT-000" not in caplog.text and "V-000" not in caplog.text
    assert AuditEvent.objects.filter(action="import.export_fail", target_id=str(job_id)).exists()
    page = coordinator.get(f"/imports/exports/{job_id}/").content.decode()
    assert "The export failed" in page and 'http-equiv="refresh"' not in page


def test_another_organisation_and_other_roles_cannot_see_the_export(
    world: World, signed_in: Any
) -> None:
    _records(world, events=3)
    coordinator = signed_in("coordinator")
    response = export(coordinator, "csv")
    assert response.status_code == 200
    job = ExportJob.objects.get()
    other = signed_in("coordinator", other=True)
    for url in (f"/imports/exports/{job.pk}/", f"/imports/exports/{job.pk}/download/"):
        assert other.get(url).status_code == 404
        assert signed_in("caseworker").get(url).status_code == 403
    assert other.post(f"/imports/exports/{job.pk}/delete/").status_code == 404
    assert signed_in("lawyer").post(f"/imports/exports/{job.pk}/delete/").status_code == 403
    assert "Оксана" not in other.get("/imports/").content.decode()
    assert f"/imports/exports/{job.pk}/" not in other.get("/imports/").content.decode()
    # Only the owner's download was audited; the file is still there.
    assert AuditEvent.objects.filter(action="import.export").count() == 1
    assert ExportJob.objects.get().status == ExportStatus.DONE


def test_the_download_needs_a_session_that_holds_the_key(
    world: World, signed_in: Any, settings: Any
) -> None:
    _records(world, events=2)
    coordinator = signed_in("coordinator")
    export(coordinator, "csv")
    job = ExportJob.objects.get()
    # The vault cookie is gone: the file key cannot be opened, nothing is sent or audited.
    del coordinator.cookies[settings.VAULT_COOKIE_NAME]
    assert coordinator.get(f"/imports/exports/{job.pk}/download/").status_code == 403
    assert AuditEvent.objects.filter(action="import.export").count() == 1


def test_a_failed_enqueue_says_so_on_the_page(
    world: World, signed_in: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Down:
        def enqueue(self, *args: Any, **kwargs: Any) -> Any:
            raise ConnectionError("the task backend is down")

    monkeypatch.setattr(tasks, "run_export", Down())
    coordinator = signed_in("coordinator")
    response = coordinator.post("/imports/export.csv", follow=True)
    assert response.status_code == 200
    assert "The export could not be queued. Try again later." in response.content.decode()
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED and job.job_secret is None


def test_delete_now_and_the_purge_destroy_the_file(
    world: World, signed_in: Any, settings: Any
) -> None:
    _records(world, events=3)
    coordinator = signed_in("coordinator")
    export(coordinator, "csv")
    export(coordinator, "xlsx")
    first, second = ExportJob.objects.order_by("pk")
    assert len(_files(settings)) == 2
    # "Delete now".
    assert coordinator.post(f"/imports/exports/{first.pk}/delete/").status_code == 302
    first.refresh_from_db()
    assert (first.status, first.stored_name, first.sealed_key) == (ExportStatus.EXPIRED, "", None)
    assert len(_files(settings)) == 1
    assert coordinator.get(f"/imports/exports/{first.pk}/download/").status_code == 404
    assert AuditEvent.objects.filter(action="import.export_delete").count() == 1
    # A queued export nobody ran, and a running one whose worker died.
    coordinator.post("/imports/export.csv")
    queued_id = queued_export()[0]
    coordinator.post("/imports/export.csv")
    dead_id = queued_export()[0]
    ExportJob.objects.filter(pk=dead_id).update(
        status=ExportStatus.RUNNING, claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    # Within the retention nothing but the dead worker's job is touched.
    assert tasks.purge_exports.call() == 1
    assert ExportJob.objects.get(pk=dead_id).job_secret is None
    assert ExportJob.objects.get(pk=queued_id).job_secret
    assert len(_files(settings)) == 1
    later = timezone.now() + datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS, seconds=1)
    assert actions.purge_exports(later) == 2
    second.refresh_from_db()
    assert (second.status, second.stored_name, second.sealed_key) == (
        ExportStatus.EXPIRED,
        "",
        None,
    )
    assert _files(settings) == []
    queued = ExportJob.objects.get(pk=queued_id)
    assert queued.status == ExportStatus.FAILED and queued.job_secret is None
    assert AuditEvent.objects.filter(action="import.export_expire").count() == 3
    page = coordinator.get(f"/imports/exports/{second.pk}/").content.decode()
    assert "The file was deleted from the server" in page and "/download/" not in page
    # Cron runs it through the command, which queues the task.
    call_command("purge_exports", stdout=io.StringIO())
    from django_tasks import task_backends
    from django_tasks.backends.dummy import DummyBackend

    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    assert backend.results[-1].task.func is tasks.purge_exports.func


@pytest.mark.django_db(transaction=True)
def test_a_seized_server_holds_no_key_or_record_of_a_finished_export(
    world: World, signed_in: Any, settings: Any
) -> None:
    """The real database worker runs the task; afterwards the dump opens nothing."""
    settings.TASKS = DATABASE
    _records(world, events=30)
    coordinator = signed_in("coordinator")
    coordinator.post("/imports/export.xlsx")
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.QUEUED
    from django_tasks_db.models import DBTaskResult

    # While queued, the job key (in the task's arguments) opens the organisation key.
    job_key_hex = DBTaskResult.objects.get().args_kwargs["args"][1]
    assert actions.export_key(job, bytes.fromhex(job_key_hex)) == world.org_private
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.percent, job.rows) == (ExportStatus.DONE, 100, 30)
    after = seized()
    assert job_key_hex.encode() in after  # still in the task table, but it opens nothing
    assert job.job_secret is None
    with pytest.raises(crypto.CryptoError):
        actions.export_key(job, bytes.fromhex(job_key_hex))
    file_key = job.data_key(Vault({world.org.pk: world.org_private}), world.org.pk)
    for key in (world.org_private, file_key):
        for form in (key, key.hex().encode(), base64.b64encode(key)):
            assert form not in after
    for text in (NAME, NARRATIVE):
        for form in encodings(text):
            assert form not in after
    assert len(_files(settings)) == 1
    # The coordinator's vault opens it: the planted name is in the download.
    response = coordinator.get(f"/imports/exports/{job.pk}/download/")
    assert response.status_code == 200
    from vigil.imports.tests.test_export import _cells

    names = [line[8] for line in _cells(content(response))]
    assert NAME in names


@pytest.mark.browser
def test_the_export_page_works_without_javascript_under_the_csp(
    world: World, settings: Any, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    _records(world, events=25)
    page, violations = jobpage.coordinator_page(
        world, settings, live_server, browser, accept_downloads=True
    )
    base = live_server.url
    page.goto(f"{base}/imports/")
    page.click("text=Export as CSV")
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.QUEUED
    assert page.url == f"{base}/imports/exports/{job.pk}/"
    jobpage.watch_to_the_end(page, f"{base}/imports/exports/{job.pk}/", "export-progress")
    with page.expect_download() as info:
        page.click("text=Download the file")
    target = tmp_path / "export.csv"
    info.value.save_as(target)
    assert info.value.suggested_filename.startswith("incidents-")
    lines = target.read_bytes().decode("utf-8-sig").splitlines()
    assert len(lines) == 26 and NAME in lines[1]
    assert AuditEvent.objects.filter(action="import.export", data__rows=25).count() == 1
    assert not [text for text in violations if "Content Security Policy" in text]
    page.context.close()
    # ORM calls made while Playwright's loop runs have a connection of their own:
    # close it here, or PostgreSQL cannot drop the test database.
    connections.close_all()


def test_the_purge_sweeps_a_partial_file_left_by_a_killed_worker(
    world: World, signed_in: Any, settings: Any
) -> None:
    _records(world, events=2)
    coordinator = signed_in("coordinator")
    export(coordinator, "csv")
    kept = _files(settings)
    assert len(kept) == 1
    # What a worker killed in the middle of writing leaves: a file no job names.
    orphan = Path(settings.MEDIA_ROOT) / "exports" / "0123456789abcdef.bin"
    orphan.write_bytes(b"\x00" * 100)
    # A young one may still be being written: left alone.
    actions.purge_exports()
    assert sorted(_files(settings)) == sorted([*kept, orphan])
    later = timezone.now() + datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS, seconds=1)
    actions.purge_exports(later)
    # The orphan is gone; the finished export expired with its job, as before.
    assert not orphan.exists()
    assert _files(settings) == []


@pytest.mark.parametrize("change", ["role", "membership"])
def test_an_export_queued_by_someone_who_may_no_longer_export_writes_nothing(
    world: World, signed_in: Any, settings: Any, change: str
) -> None:
    # The worker asks the policy again: between the click and the run her role may have
    # changed (a caseworker sees only her own incidents) or her membership ended.
    _records(world, events=3)
    coordinator = signed_in("coordinator")
    assert coordinator.post("/imports/export.csv").status_code == 302
    job_id, job_key_hex = queued_export()
    membership = world["coordinator"].membership
    if change == "role":
        membership.role = "caseworker"
        membership.save(update_fields=["role"])
    else:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
    assert tasks.run_export.call(job_id, job_key_hex) == ExportStatus.FAILED
    job = ExportJob.objects.get(pk=job_id)
    assert (job.job_secret, job.stored_name) == (None, "")
    assert _files(settings) == []
