"""Spreadsheet import through the pages: upload, mapping, dry run, import, re-run."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from vigil.audit.models import AuditEvent
from vigil.cases.models import Case
from vigil.conftest import World
from vigil.imports import actions
from vigil.imports.models import ImportedRecord, ImportJob, ImportMapping, JobStatus
from vigil.imports.tests import sheets
from vigil.incidents.models import Event, Perpetrator, Person
from vigil.vault import crypto, sealing
from vigil.vault.session import Vault


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.IMPORT_CHUNK_ROWS = 100
    # The background task runs at once, inside the request that queues it.
    settings.TASKS = IMMEDIATE


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _upload(client: Client, data: bytes, name: str) -> ImportJob:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/imports/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content[:800]
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == f"/imports/{job.pk}/mapping/"
    return job


def _map_and_check(
    client: Client, job: ImportJob, columns: dict[str, str], values: dict[str, str] | None = None
) -> str:
    """Post the mapping form: first the columns (so the value rows appear), then values."""
    data = {"name": "ngo sheet", "save": "1"}
    data.update({f"col_{field}": header for field, header in columns.items()})
    assert client.post(f"/imports/{job.pk}/mapping/", data).status_code == 302
    page = client.get(f"/imports/{job.pk}/mapping/").content.decode()
    data.pop("save")
    for raw, code in (values or {}).items():
        match = re.search(r'<label for="id_(val_\w+)">' + re.escape(raw) + "</label>", page)
        assert match, raw
        data[match.group(1)] = code
    data["check"] = "1"
    response = client.post(f"/imports/{job.pk}/mapping/", data)
    assert response.status_code == 302
    return client.get(f"/imports/{job.pk}/").content.decode()


def _run_to_end(client: Client, job: ImportJob) -> str:
    assert client.post(f"/imports/{job.pk}/start/").status_code == 302
    page = client.get(f"/imports/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.status
    assert '<progress id="import-progress" max="100" value="100">' in page
    assert 'http-equiv="refresh"' not in page
    return page


CP1251_ROWS = [
    sheets.good_row(1),
    ["EXT-00002", "31.02.2024", "UA-30", "Избиение", "", "", "", "", "", ""],  # bad date
    ["EXT-00003", "2024-03-05", "UA-30", "Непонятный вид", "", "", "", "", "", ""],  # unknown
    sheets.good_row(4),
    ["EXT-00005", "45356", "UA-30", "ударил дубинкой", "", "", "", "", "", ""],  # serial
    ["EXT-00006", "", "XX-99", "Избиение", "", "", "", "", "", ""],  # two problems
]


def test_it_lists_every_problem_with_line_and_column_and_writes_nothing(
    world: World, signed_in
) -> None:
    coordinator = signed_in("coordinator")
    data = sheets.csv_bytes(CP1251_ROWS, encoding="cp1251", sep=";")
    job = _upload(coordinator, data, "старые дела.csv")
    page = _map_and_check(
        coordinator, job, sheets.DEFAULT_COLUMNS, {"ударил дубинкой": "ACT.PHYS.BEATING"}
    )
    job.refresh_from_db()
    found = {(p["line"], p["column"], p["code"]) for p in job.problems}
    assert found == {
        (3, "date", "bad_date"),
        (4, "act_type", "unknown_term"),
        (7, "date", "required"),
        (7, "region", "unknown_region"),
    }
    assert "Not a date" in page and "<td>3</td><td>date</td>" in page
    assert Event.objects.count() == 0 and Person.objects.count() == 0
    assert ImportMapping.objects.get(organisation=world.org).values == {
        "act_type": {"ударил дубинкой": "ACT.PHYS.BEATING"}
    }
    # The real run imports the three good lines (the Excel serial 45356 is 2024-03-05).
    _run_to_end(coordinator, job)
    job.refresh_from_db()
    assert (job.imported, job.rejected, job.status) == (3, 3, JobStatus.DONE)
    serial = Event.objects.get(pk=ImportedRecord.objects.order_by("pk")[2].event_id)
    assert str(serial.start_date) == "2024-03-05"
    assert serial.acts.get().act_type.code == "ACT.PHYS.BEATING"


def test_it_reports_a_missing_required_column(world: World, signed_in) -> None:
    coordinator = signed_in("coordinator")
    headers = [h for h in sheets.HEADERS if h != "act_type"]
    rows = [[c for h, c in zip(sheets.HEADERS, sheets.good_row(1), strict=True) if h != "act_type"]]
    job = _upload(coordinator, sheets.csv_bytes(rows, headers, encoding="cp1251", sep=";"), "a.csv")
    columns = {k: v for k, v in sheets.DEFAULT_COLUMNS.items() if k != "act_type"}
    page = _map_and_check(coordinator, job, columns)
    job.refresh_from_db()
    assert job.problems == [{"line": 1, "column": "Act type", "code": "missing_column"}]
    assert "A required column is not in the file" in page
    assert Event.objects.count() == 0


def test_it_imports_1000_xlsx_rows_sealed_and_a_rerun_changes_nothing(
    world: World, signed_in
) -> None:
    coordinator = signed_in("coordinator")
    rows = [sheets.good_row(n) for n in range(1, 1001)]
    rows[499][1] = "не дата"  # line 501
    data = sheets.xlsx(rows)
    job = _upload(coordinator, data, "cases.xlsx")
    _map_and_check(coordinator, job, sheets.DEFAULT_COLUMNS)
    job.refresh_from_db()
    assert job.problems == [{"line": 501, "column": "date", "code": "bad_date"}]
    assert Event.objects.count() == 0
    _run_to_end(coordinator, job)
    job.refresh_from_db()
    assert (job.imported, job.rejected) == (999, 1)
    assert Event.objects.filter(organisation=world.org, source_channel="import").count() == 999
    assert Perpetrator.objects.count() == 999 and Case.objects.count() == 333
    assert Event.objects.filter(stats_consent=True).count() == 999
    # Sealed the way incidents are: readable with the organisation key, searchable by index.
    index_key = crypto.blind_index_key(world.org_private)
    badge = crypto.blind_index(index_key, "badge", "4471-7")
    perpetrator = Perpetrator.objects.get(badge_bidx=badge)
    event_key = crypto.unseal(world.org_private, bytes(perpetrator.event.sealed_key or b""))
    assert sealing.open_json(event_key, perpetrator.sealed)["badge"] == "4471-7"
    assert sealing.open_json(event_key, perpetrator.event.sealed)["narrative"].endswith(" 7")
    name = crypto.blind_index(index_key, "name", f"{sheets.NAME} 7")
    assert Person.objects.filter(name_bidx=name).count() == 1
    # One audit event per chunk, not per row.
    assert AuditEvent.objects.filter(action="import.chunk").count() == 10
    # The same file again: nothing new.
    again = _upload(coordinator, data, "cases.xlsx")
    _map_and_check(coordinator, again, sheets.DEFAULT_COLUMNS)
    _run_to_end(coordinator, again)
    again.refresh_from_db()
    assert (again.imported, again.skipped) == (0, 999)
    assert Event.objects.count() == 999 and Case.objects.count() == 333


def _files_under(folder: str) -> list[Path]:
    return [Path(root) / name for root, _dirs, names in os.walk(folder) for name in names]


def test_it_keeps_the_source_sealed_and_destroys_it_after_the_import(
    world: World, signed_in, settings
) -> None:
    coordinator = signed_in("coordinator")
    marker = "Уникальная-метка-источника"
    rows = [sheets.good_row(n) for n in range(1, 30)]
    rows[0][7] = marker
    # Larger than Django's in-memory upload limit, so a stock handler would spool to /tmp.
    for row in rows[1:]:
        row[7] = marker + " " + "x" * 110_000  # over the 20,000-character limit: rejected
    data = sheets.csv_bytes(rows)
    before = set(_files_under(tempfile.gettempdir()))
    job = _upload(coordinator, data, "source.csv")
    stored = Path(settings.MEDIA_ROOT) / job.stored_name
    content = stored.read_bytes()
    assert len(content) > len(data) and marker.encode() not in content
    assert b"EXT-00001" not in content
    for path in set(_files_under(tempfile.gettempdir())) - before:
        try:
            content_of_temp = path.read_bytes()
        except OSError:  # another process's file that came and went meanwhile
            continue
        assert marker.encode() not in content_of_temp, path
    # The organisation key opens it.
    vault = Vault({world.org.pk: world.org_private})
    key = job.data_key(vault, world.org.pk)
    assert b"".join(sealing.open_file(key, job.stored_name)) == data
    _map_and_check(coordinator, job, sheets.DEFAULT_COLUMNS)
    _run_to_end(coordinator, job)
    job.refresh_from_db()
    assert job.stored_name == "" and job.sealed_key is None
    assert not default_storage.exists(stored.name) and not stored.exists()
    assert (job.imported, job.rejected) == (1, 28)


def test_it_cancels_and_destroys_the_file(world: World, signed_in, settings) -> None:
    coordinator = signed_in("coordinator")
    job = _upload(coordinator, sheets.csv_bytes([sheets.good_row(1)]), "a.csv")
    stored = Path(settings.MEDIA_ROOT) / job.stored_name
    assert stored.exists()
    assert coordinator.post(f"/imports/{job.pk}/cancel/").status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and not stored.exists()


def test_it_reuses_a_saved_mapping(world: World, signed_in) -> None:
    coordinator = signed_in("coordinator")
    first = _upload(coordinator, sheets.csv_bytes([sheets.good_row(1)]), "a.csv")
    _map_and_check(coordinator, first, sheets.DEFAULT_COLUMNS)
    mapping = ImportMapping.objects.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("b.csv", sheets.csv_bytes([sheets.good_row(2)]))
    coordinator.post("/imports/", {"file": upload, "mapping": mapping.pk})
    second = ImportJob.objects.latest("pk")
    assert second.mapping == mapping
    page = coordinator.get(f"/imports/{second.pk}/mapping/").content.decode()
    assert 'value="ngo sheet"' in page
    assert coordinator.post(f"/imports/{second.pk}/dry-run/").status_code == 302
    second.refresh_from_db()
    assert second.status == JobStatus.CHECKED and second.problems == []


def test_it_reads_problems_without_values_into_the_audit_log(world: World) -> None:
    """The stored problems and audit details name lines and columns, never cell values."""
    job = actions.upload(
        world["coordinator"].user,
        world.org,
        [sheets.csv_bytes([["EXT-1", "потом", "UA-30", "секретное слово"]], sheets.HEADERS[:4])],
    )
    job.mapping = ImportMapping.objects.create(
        organisation=world.org, name="m", columns=sheets.DEFAULT_COLUMNS
    )
    data = b"".join(
        sealing.open_file(
            job.data_key(Vault({world.org.pk: world.org_private}), world.org.pk), job.stored_name
        )
    )
    actions.dry_run(world["coordinator"].user, job, data)
    stored = str(job.problems) + str(list(AuditEvent.objects.values_list("data", flat=True)))
    assert "потом" not in stored and "секретное" not in stored
    assert {p["code"] for p in job.problems} == {"bad_date", "unknown_term"}


def test_it_destroys_uploads_of_abandoned_imports(world: World, settings) -> None:
    import datetime

    from django.utils import timezone

    from vigil.imports.tasks import purge_abandoned_imports

    user = world["coordinator"].user
    old = actions.upload(user, world.org, [sheets.csv_bytes([sheets.good_row(1)])])
    fresh = actions.upload(user, world.org, [sheets.csv_bytes([sheets.good_row(2)])])
    stored = Path(settings.MEDIA_ROOT) / old.stored_name
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert purge_abandoned_imports.enqueue().return_value == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == JobStatus.CANCELLED and not stored.exists() and old.sealed_key is None
    assert fresh.status == JobStatus.UPLOADED and fresh.stored_name
