"""Records export: coordinators only, audited, formulas defused, read back by the importer.

The export is written by the background worker (``tasks.run_export``); these
tests queue it from the page, run the task function the worker runs, and
download the sealed file through the page.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend
from openpyxl import load_workbook

from vigil.audit.models import AuditEvent
from vigil.conftest import World
from vigil.imports import actions, exporter, tasks
from vigil.imports.exporter import defuse
from vigil.imports.models import ExportJob, ExportStatus, ImportMapping
from vigil.imports.tests import sheets
from vigil.incidents.models import Event
from vigil.vault import sealing
from vigil.vault.session import Vault

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = DUMMY


def _import(world: World, organisation, private: bytes, data: bytes, user) -> None:
    from vigil.imports.fields import FIELDS

    mapping, _ = ImportMapping.objects.get_or_create(
        organisation=organisation,
        name="all",
        defaults={"columns": {f.name: f.name for f in FIELDS}},
    )
    job = actions.upload(user, organisation, [data], mapping=mapping)
    vault = Vault({organisation.pk: private})
    payload = b"".join(sealing.open_file(job.data_key(vault, organisation.pk), job.stored_name))
    actions.dry_run(user, job, payload)
    actions.start(user, job)
    actions.run(user, job, payload, vault.index_key(organisation.pk))


def queued_export() -> tuple[int, str]:
    """The arguments of the last export task the page queued (the dummy backend keeps them)."""
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    result = backend.results[-1]
    assert result.task.func is tasks.run_export.func
    job_id, job_key_hex = result.args
    return job_id, job_key_hex


def export(client: Client, file_format: str) -> Any:
    """Ask for an export on the page, run the worker's task, download the file."""
    response = client.post(f"/imports/export.{file_format}")
    assert response.status_code == 302
    job_id, job_key_hex = queued_export()
    assert response["Location"] == f"/imports/exports/{job_id}/"
    assert tasks.run_export.call(job_id, job_key_hex) == ExportStatus.DONE
    return client.get(f"/imports/exports/{job_id}/download/")


def content(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_it_defuses_formulas_including_full_width_forms() -> None:
    for text in ("=1+1", "+7", "-2", "@SUM(A1)", "\tx", "\rx", "＝1", "＋1", "－1", "＠x"):
        assert defuse(text) == "'" + text
    assert defuse("Оксана") == "Оксана"


def test_it_exports_what_the_importer_reads_back_as_the_same_records(
    world: World, signed_in
) -> None:
    rows = [sheets.good_row(n) for n in range(1, 8)]
    rows[0][7] = '=HYPERLINK("http://x")'
    rows[1][7] = "＝1+1 full width"
    _import(world, world.org, world.org_private, sheets.csv_bytes(rows), world["coordinator"].user)
    coordinator = signed_in("coordinator")
    first = export(coordinator, "csv")
    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    assert first["Content-Disposition"].startswith('attachment; filename="incidents-')
    data = content(first)
    exported = _rows(data)
    assert len(exported) == 8
    narrative = exported[0].index("narrative")
    assert exported[1][narrative] == '\'=HYPERLINK("http://x")'
    assert exported[2][narrative] == "'＝1+1 full width"
    assert AuditEvent.objects.filter(action="import.export", data__rows=7).count() == 1
    # The same bytes as the export built in one go in memory (the former request path).
    vault = Vault({world.org.pk: world.org_private})
    events = Event.objects.filter(organisation=world.org, status="recorded")
    assert data == exporter.csv_bytes(exporter.rows(events, vault))[0]
    # Read back into another organisation: the same records, field by field.
    _import(world, world.other_org, _other_private(world), data, world.others["coordinator"].user)
    second = export(signed_in("coordinator", other=True), "csv")
    assert _rows(content(second)) == exported
    xlsx = export(coordinator, "xlsx")
    assert ".xlsx" in xlsx["Content-Disposition"]
    workbook = _cells(content(xlsx))
    assert workbook == exported
    assert workbook == _cells(exporter.xlsx_bytes(exporter.rows(events, vault))[0])


def _cells(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]


def _other_private(world: World) -> bytes:
    from vigil.vault import keys

    return keys.organisation_private_from_phrase(world.other_org, world.other_phrase)


def test_it_exports_for_coordinators_only(world: World, signed_in) -> None:
    assert signed_in("caseworker").post("/imports/export.csv").status_code == 403
    assert signed_in("analyst").post("/imports/export.xlsx").status_code == 403
    assert ExportJob.objects.count() == 0


def test_each_line_has_the_latest_statistics_consent_in_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    from vigil.cases.models import Consent, ConsentPurpose
    from vigil.incidents.models import Act

    user = world["coordinator"].user
    rows = [sheets.good_row(n) for n in range(1, 13)]
    _import(world, world.org, world.org_private, sheets.csv_bytes(rows), user)
    first, second, third = (
        a.victim for a in Act.objects.filter(event__organisation=world.org).order_by("pk")[:3]
    )
    # A withdrawal is a newer row: it wins. Consents to share with a body do not count.
    Consent.objects.filter(person__in=[first, second, third]).delete()
    for person, decisions in ((first, [True, False]), (second, [False, True])):
        for granted in decisions:
            Consent.objects.create(
                organisation=world.org,
                person=person,
                purpose=ConsentPurpose.STATISTICS,
                granted=granted,
                recorded_by=user,
            )
    Consent.objects.create(
        organisation=world.org,
        person=third,
        purpose=ConsentPurpose.STATISTICS,
        body="ombudsman",
        granted=True,
        recorded_by=user,
    )
    vault = Vault({world.org.pk: world.org_private})
    events = Event.objects.filter(organisation=world.org, status="recorded")
    consent = exporter.HEADER.index("statistics_consent")
    lines = list(exporter.rows(events, vault))
    assert [line[consent] for line in lines[:4]] == ["no", "yes", "", "yes"]
    # The same number of queries for 12 incidents as for 1: no query per line.
    with django_assert_max_num_queries(12):
        assert len(list(exporter.rows(events, vault))) == 12


def test_no_export_spools_the_sheet_to_a_temporary_file(
    world: World, signed_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl's write-only sheets go to a plaintext temporary file unless given memory."""
    from openpyxl.worksheet import _writer

    def no_temporary_file(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("a plaintext temporary file")

    monkeypatch.setattr(_writer, "create_temporary_file", no_temporary_file)
    rows = [sheets.good_row(n) for n in range(1, 4)]
    _import(world, world.org, world.org_private, sheets.csv_bytes(rows), world["coordinator"].user)
    response = export(signed_in("coordinator"), "xlsx")
    assert len(_cells(content(response))) == 4
