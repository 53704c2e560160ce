"""External complaint registers: upload, columns, dry run, import, errors, command."""

from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client

from vigil.conftest import World
from vigil.officers.models import ComplaintRegister, ExternalComplaint, ImportStatus
from vigil.officers.tests.helpers import incident

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# cp1251, ";" separated: line 3 has a bad date, line 4 an unknown finding,
# line 5 an unknown region, line 6 no badge (it identifies the officer).
CSV_ROWS = [
    "ПІБ;Жетон;Область;Дата скарги;Категорія;Рішення",
    "Гаврилюк Петро;АВ 4471;Київ;12.01.2024;побиття;підтверджено",
    "Гаврилюк П.;AB-4471;UA-30;32.13.2024;побиття;не підтверджено",
    "Іванов Іван;7001;UA-30;2024-02-01;вимагання;можливо",
    "Іванов Іван;7001;Атлантида;2024-02-01;вимагання;інше",
    "Коваль Олег;;UA-30;2024-02-03;образи;необґрунтована",
    "Коваль Олег;7002;UA-30;45000;образи;exonerated",
]
BADGE_COLUMNS = {
    "column_name": "ПІБ",
    "column_badge": "Жетон",
    "column_region": "Область",
    "column_complaint_date": "Дата скарги",
    "column_category": "Категорія",
    "column_finding": "Рішення",
    "identity": ["badge", "region"],
}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = IMMEDIATE


def cp1251_csv() -> bytes:
    return "\r\n".join(CSV_ROWS).encode("cp1251")


def upload(client: Client, data: bytes, name: str = "register.csv") -> ComplaintRegister:
    file = io.BytesIO(data)
    file.name = name
    response = client.post("/officers/registers/", {"source_name": "Ombudsman 2024", "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ComplaintRegister.objects.latest("pk")


def test_it_reports_every_problem_in_a_dry_run_and_imports_nothing(
    world: World, signed_in: Any
) -> None:
    lawyer = signed_in("lawyer")
    register = upload(lawyer, cp1251_csv())
    assert register.headers[0] == "ПІБ"  # cp1251 and ";" recognised
    page = lawyer.post(f"/officers/registers/{register.pk}/", {**BADGE_COLUMNS, "dry_run": "1"})
    assert page.status_code == 302
    register.refresh_from_db()
    assert register.status == ImportStatus.CHECKED
    assert ExternalComplaint.objects.count() == 0
    problems = {(e["line"], e["column"], e["code"]) for e in register.errors}
    assert problems == {
        (3, "Дата скарги", "bad_date"),
        (4, "Рішення", "unknown_value"),
        (5, "Область", "unknown_region"),
        (6, "Жетон", "missing_identity"),
    }
    html = lawyer.get(f"/officers/registers/{register.pk}/").content.decode()
    assert "Дата скарги" in html and "unknown region" in html
    assert default_storage.exists(register.stored_name)  # kept for the real run
    assert b"4471" not in (Path(default_storage.path(register.stored_name))).read_bytes()


def test_it_imports_the_good_rows_and_destroys_the_file(world: World, signed_in: Any) -> None:
    lawyer = signed_in("lawyer")
    register = upload(lawyer, cp1251_csv())
    stored = register.stored_name
    lawyer.post(f"/officers/registers/{register.pk}/", {**BADGE_COLUMNS, "import": "1"})
    register.refresh_from_db()
    assert register.status == ImportStatus.DONE
    assert register.rows_imported == 2 and register.error_count == 4
    assert not register.stored_name and not default_storage.exists(stored)
    assert register.job_secret is None
    rows = ExternalComplaint.objects.order_by("line")
    assert [(r.line, r.region, r.finding, r.category) for r in rows] == [
        (2, "UA-30", "sustained", "force"),
        (7, "UA-30", "exonerated", "verbal"),
    ]
    assert rows[1].complaint_date == datetime.date(2023, 3, 15)  # Excel serial 45000


def test_it_feeds_repeat_officers_marked_as_external(world: World, signed_in: Any) -> None:
    incident(world, [{"badge": "AB4471"}], region="UA-30")
    lawyer = signed_in("lawyer")
    assert "/officers/o/" not in lawyer.get("/officers/").content.decode()
    register = upload(lawyer, cp1251_csv())
    lawyer.post(
        f"/officers/registers/{register.pk}/",
        {**BADGE_COLUMNS, "import": "1", "unknown_as_other": "on"},
    )
    html = lawyer.get("/officers/").content.decode()
    assert html.count("/officers/o/") == 1
    assert "external" in html
    profile_url = html.split('href="/officers/o/')[1].split('"')[0]
    profile = lawyer.get(f"/officers/o/{profile_url}").content.decode()
    assert "Ombudsman 2024" in profile and "Sustained" in profile


def xlsx_register() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Born", "Appointed", "Finding", "Category"])
    sheet.append(["Ivanov Ivan", 1980, datetime.datetime(2010, 5, 1), "Sustained", "Beating"])
    sheet.append(["Iwanow Iwan", "1980", 40299, "unfounded", "Beating"])  # 40299 = 2010-05-01
    sheet.append(["Ivanov Ivan", 1981, datetime.datetime(2010, 5, 1), "Sustained", "Beating"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_identifies_officers_by_a_combination_of_columns(world: World, signed_in: Any) -> None:
    lawyer = signed_in("coordinator")
    register = upload(lawyer, xlsx_register(), "register.xlsx")
    assert register.file_format == "xlsx"
    lawyer.post(
        f"/officers/registers/{register.pk}/",
        {
            "column_name": "Name",
            "column_birth_year": "Born",
            "column_appointed_on": "Appointed",
            "column_finding": "Finding",
            "column_category": "Category",
            "identity": ["name", "birth_year", "appointed_on"],
            "import": "1",
        },
    )
    register.refresh_from_db()
    assert register.rows_imported == 3, register.errors
    kinds = set(ExternalComplaint.objects.values_list("identity_kind", "identity_bidx"))
    assert len(kinds) == 2  # 1980 twice (Ivanov/Iwanow), 1981 once
    html = lawyer.get("/officers/").content.decode()
    assert html.count("/officers/o/") == 1
    assert "Combined register columns" in html


def test_it_imports_from_the_command_line_with_progress(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(cp1251_csv())
    monkeypatch.setattr(sys, "stdin", io.StringIO(world.phrase + "\n"))
    out = io.StringIO()
    args = [
        str(path),
        "--organisation=svitlo",
        "--source=Ombudsman 2024",
        "--column=name=ПІБ",
        "--column=badge=Жетон",
        "--column=region=Область",
        "--column=complaint_date=Дата скарги",
        "--column=finding=Рішення",
        "--column=category=Категорія",
        "--identity=badge,region",
    ]
    call_command("import_complaint_register", *args, "--dry-run", stdout=out)
    text = out.getvalue()
    assert "6/6 rows" in text
    assert "line 3, column 'Дата скарги'" in text
    assert ExternalComplaint.objects.count() == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(world.phrase + "\n"))
    call_command("import_complaint_register", *args, stdout=io.StringIO())
    assert ExternalComplaint.objects.count() == 2
    assert path.exists()  # the member's own file is hers; only the sealed copy goes


def test_it_refuses_a_file_that_is_neither_csv_nor_xlsx(world: World, signed_in: Any) -> None:
    file = io.BytesIO(b"PK\x03\x04 not really a workbook")
    file.name = "register.xlsx"
    response = signed_in("lawyer").post("/officers/registers/", {"source_name": "x", "file": file})
    assert response.status_code == 200
    assert "cannot be read" in response.content.decode()
    assert ComplaintRegister.objects.count() == 0


def test_it_never_spools_an_upload_to_a_temporary_file(
    world: World, signed_in: Any, settings: Any
) -> None:
    # Django would write this upload to a temporary file in a folder that does not exist
    # (and fail) if the view used its default handlers.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    settings.FILE_UPLOAD_TEMP_DIR = "/nonexistent/vigil-upload-tmp"
    register = upload(signed_in("lawyer"), cp1251_csv())
    assert register.headers[1] == "Жетон"


def test_it_reads_xlsx_through_defusedxml() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_it_fails_a_job_whose_keys_do_not_open(world: World, signed_in: Any) -> None:
    from vigil.officers import actions, tasks
    from vigil.vault import crypto

    register = upload(signed_in("lawyer"), cp1251_csv())
    actions.queue_import(
        world["lawyer"].user,
        register,
        mapping={"badge": "Жетон", "finding": "Рішення"},
        identity=["badge"],
        unknown_as_other=True,
        dry_run=False,
        register_key=crypto.new_key(),
        index_key=crypto.new_key(),
    )
    assert tasks.import_register.call(register.pk, crypto.new_key().hex()) == "failed"
    register.refresh_from_db()
    assert register.status == ImportStatus.FAILED and register.job_secret is None
    assert ExternalComplaint.objects.count() == 0
