"""The advocacy report: DOCX and PDF in a chosen language, progress, permissions, the command.

Figures of the fixture (``fixtures.py``), organisation A, January to March 2025:
3 incidents (E1, E2 in January; E3 in March), 6 acts, 3 victims. Acts by main
category: sexual violence 1, physical violence 3, extortion 2. Incidents by
region: Kyiv Oblast 2, Lviv Oblast 1.
"""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from docx import Document

from vigil.audit.models import AuditEvent
from vigil.conftest import World
from vigil.stats import actions, report, tasks
from vigil.stats.models import NetworkShare, ReportJob, ReportStatus
from vigil.stats.tests.fixtures import Data
from vigil.stats.tests.test_views import SECRETS
from vigil.tests_matrix import Row, run_matrix

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PERIOD = {"date_from": "2025-01-10", "date_to": "2025-03-05"}


@pytest.fixture(autouse=True)
def _report_settings(settings: Any, tmp_path: Path) -> None:
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = str(tmp_path / "media")


def generate(client: Client, language: str = "ru", **extra: str) -> ReportJob:
    response = client.post("/stats/report/", {**PERIOD, "language": language, **extra})
    assert response.status_code == 302, response.content[:2000]
    job = ReportJob.objects.latest("pk")
    assert response["Location"] == f"/stats/report/{job.pk}/"
    return job


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def docx_text(client: Client, job: ReportJob) -> tuple[list[str], list[list[list[str]]]]:
    response = client.get(f"/stats/report/{job.pk}/report.docx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    document = Document(io.BytesIO(body(response)))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def headings(paragraphs_of: Any) -> list[str]:
    return [p.text for p in paragraphs_of if p.style.name.startswith(("Heading", "Title"))]


def table_with(tables: list[list[list[str]]], header: list[str]) -> list[list[str]]:
    return next(t for t in tables if t[0] == header)


def test_it_writes_a_russian_docx_with_headings_and_figures(
    world: World, data: Data, signed_in: Any, settings: Any
) -> None:
    settings.STATS_MIN_CELL = 1
    client: Client = signed_in("analyst")
    job = generate(client, "ru")
    response = client.get(f"/stats/report/{job.pk}/report.docx")
    document = Document(io.BytesIO(body(response)))
    assert document.core_properties.author == ""
    titles = headings(document.paragraphs)
    for expected in (
        "Задокументированные нарушения: статистический отчёт",
        "Основные показатели",
        "Динамика по месяцам",
        "Виды деяний",
        "Основные категории",
        "Типы исполнителей",
        "Регионы",
        "Реагирование",
        "Методические примечания",
    ):
        assert expected in titles, expected

    paragraphs, tables = docx_text(client, job)
    text = "\n".join(paragraphs)
    assert "Организация: Svitlo" in text
    assert "Период: 2025-01 – 2025-03" in text  # widened to whole months
    assert "Инциденты: 3" in text
    assert "Деяния (одна пострадавшая, один вид деяния): 6" in text
    assert "Пострадавшие (разные люди): 3" in text
    assert "Единица подсчёта: Деяния (одна пострадавшая, один вид деяния)" in text
    assert "дополнительное подавление" in text  # method notes: complementary suppression
    assert "(порог 1)" in text

    trend = table_with(tables, ["Месяц", "Инциденты"])
    assert trend[1:] == [["2025-01", "2"], ["2025-02", "0"], ["2025-03", "1"], ["Всего", "3"]]
    acts = table_with(tables, ["Вид деяния", "Деяния (одна пострадавшая, один вид деяния)"])
    assert acts[1:5] == [
        ["Сексуальное насилие", "1"],
        ["Физическое насилие", "3"],
        ["Вымогательство, коррупция и имущество", "2"],
        ["Всего", "6"],
    ]
    regions = table_with(tables, ["Регион", "Инциденты"])
    assert regions[1:] == [["Киевская область", "2"], ["Львовская область", "1"], ["Всего", "3"]]
    assert len(document.inline_shapes) >= 5  # a PNG chart per table but the response bands
    everything = text + str(tables)
    for secret in SECRETS:
        assert secret not in everything


def test_it_makes_a_pdf_with_a_russian_heading(
    world: World, data: Data, signed_in: Any, settings: Any, tmp_path: Path
) -> None:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils is installed by `make system-deps`"
    settings.STATS_MIN_CELL = 1
    client: Client = signed_in("coordinator")
    job = generate(client, "ru")
    response = client.get(f"/stats/report/{job.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = body(response)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603 - fixed arguments, a file we wrote
        [pdftotext, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Основные показатели" in text
    assert "Методические примечания" in text
    assert "Киевская область" in text
    for secret in SECRETS:
        assert secret not in text


def test_it_hides_small_numbers_exactly_as_the_dashboard_does(
    world: World, data: Data, signed_in: Any
) -> None:
    client: Client = signed_in("analyst")
    dashboard = client.get("/stats/", {"date_from": "2025-01", "date_to": "2025-03"})
    shown = [v for _label, v in dashboard.context["key_figures"]]
    assert shown == [None, 6, None]  # 3 incidents and 3 victims are below 5
    job = generate(client, "uk")
    paragraphs, tables = docx_text(client, job)
    text = "\n".join(paragraphs)
    assert "Інциденти: приховано" in text
    assert "Діяння (одна постраждала, один вид діяння): 6" in text
    assert "Постраждалі (різні особи): приховано" in text
    assert "Основні показники" in text
    acts = table_with(tables, ["Вид діяння", "Діяння (одна постраждала, один вид діяння)"])
    # 1, 3 and 2 are all below 5; the total 6 is shown.
    assert acts[1:] == [
        ["Сексуальне насильство", "приховано"],
        ["Фізичне насильство", "приховано"],
        ["Вимагання, корупція та майно", "приховано"],
        ["Усього", "6"],
    ]


def test_it_records_progress_audits_and_keeps_the_interface_language(
    world: World, data: Data, signed_in: Any
) -> None:
    client: Client = signed_in("analyst")
    job = generate(client, "ru")
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE
    assert job.steps_done == job.steps_total == len(report.STEPS)
    assert job.percent == 100
    assert (job.date_from, job.date_to) == (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    page = client.get(f"/stats/report/{job.pk}/")
    html = page.content.decode()
    assert '<progress id="report-progress-bar" max="100" value="100">' in html
    assert 'http-equiv="refresh"' not in html  # finished: no more reloading
    assert "The report is ready." in html  # the page stays in the interface language
    assert default_storage.exists(job.docx_name) and default_storage.exists(job.pdf_name)
    assert job.docx_name.startswith("stats-reports/") and len(Path(job.docx_name).stem) >= 32

    client.get(f"/stats/report/{job.pk}/report.pdf")
    entry = AuditEvent.objects.get(action="stats.report")
    assert entry.actor_id == world["analyst"].user.pk
    assert entry.data == {
        "scope": "organisation",
        "date_from": "2025-01",
        "date_to": "2025-03",
        "country": "",
        "language": "ru",
    }
    download = AuditEvent.objects.get(action="stats.report_download")
    assert download.data == {"format": "pdf"}


def test_it_shows_progress_and_reloads_while_the_worker_has_not_finished(
    world: World, data: Data, signed_in: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client: Client = signed_in("analyst")
    job = generate(client, "en")
    assert job.status == ReportStatus.QUEUED
    page = client.get(f"/stats/report/{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert 'max="100" value="0"' in page
    assert client.get(f"/stats/report/{job.pk}/report.docx").status_code == 404
    ReportJob.objects.filter(pk=job.pk).update(status=ReportStatus.RUNNING, steps_done=4)
    page = client.get(f"/stats/report/{job.pk}/").content.decode()
    assert 'max="100" value="40"' in page
    assert "Step 4 of 10." in page
    ReportJob.objects.filter(pk=job.pk).update(status=ReportStatus.QUEUED, steps_done=0)
    # What the worker (manage.py db_worker) will run; the worker itself closes the
    # test's connection, so run the queued task here.
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "vigil.stats.tasks.generate_report"
    assert queued.args_kwargs == {"args": [job.pk], "kwargs": {}}
    tasks.generate_report.call(*queued.args_kwargs["args"])
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE and job.percent == 100


# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/stats/report/", "302 200 403 403 403 200 403 403 200 200"),
    ("POST", "/stats/report/", "302 200 403 403 403 200 403 403 404 200"),
    ("GET", "/stats/report/{job}/", "302 404 403 403 403 200 403 403 404 404"),
    ("GET", "/stats/report/{job}/report.docx", "302 404 403 403 403 200 403 403 404 404"),
    ("GET", "/stats/report/{job}/report.pdf", "302 404 403 403 403 200 403 403 404 404"),
    ("GET", "/stats/report/{missing}/", "302 404 403 403 403 404 403 403 404 404"),
]


def test_it_matches_the_role_matrix(world: World, data: Data) -> None:
    analyst = world["analyst"]
    job = actions.request_report(
        analyst.user,
        analyst.membership,
        network=None,
        country="",
        date_from=datetime.date(2025, 1, 1),
        date_to=datetime.date(2025, 3, 31),
        language="en",
    )
    report.run_job(job.pk)
    targets: dict[str, object] = {"job": job.pk, "missing": job.pk + 1000}
    assert run_matrix(world, ROWS, lambda: targets) == []


def test_it_rejects_a_period_that_ends_before_it_starts_or_is_too_long(
    world: World, signed_in: Any
) -> None:
    client: Client = signed_in("analyst")
    backwards = client.post(
        "/stats/report/", {"date_from": "2025-03-01", "date_to": "2025-01-01", "language": "ru"}
    )
    assert backwards.status_code == 200
    assert "The end is before the start." in backwards.content.decode()
    too_long = client.post(
        "/stats/report/", {"date_from": "2000-01-01", "date_to": "2025-01-01", "language": "ru"}
    )
    assert "A report covers at most 120 months." in too_long.content.decode()
    other_language = client.post("/stats/report/", {**PERIOD, "language": "de"})
    assert other_language.status_code == 200
    assert not ReportJob.objects.exists()
    assert not AuditEvent.objects.filter(action="stats.report").exists()


def test_it_lets_a_network_analyst_report_on_her_network_only(
    world: World, data: Data, signed_in: Any, settings: Any
) -> None:
    settings.STATS_MIN_CELL = 1
    network = actions.create_network(None, world.org, name="EECA network", slug="eeca")
    for persona in (world["coordinator"], world.others["coordinator"]):
        if persona.membership.organisation_id != network.host_id:
            host = world["coordinator"]
            invitation = actions.invite_organisation(
                host.user, host.membership, network, persona.membership.organisation
            )
            actions.answer_invitation(persona.user, persona.membership, invitation, accept=True)
        actions.set_network_share(persona.user, persona.membership, network, True)
    client: Client = signed_in("network_analyst")
    job = generate(client, "en", network=str(network.pk))
    paragraphs, tables = docx_text(client, job)
    text = "\n".join(paragraphs)
    assert "Network: EECA network" in text
    # E6 joins; E7 is E1 reported twice and counts once.
    assert "Incidents: 4" in text and "Victims (distinct people): 4" in text
    assert "combine the 2 organisations" in text
    assert "Complaints and their outcomes" not in text  # never at network level
    regions = table_with(tables, ["Region", "Incidents"])
    assert [row[0] for row in regions[1:]] == [
        "Almaty Region",
        "Kyiv Oblast",
        "Lviv Oblast",
        "Total",
    ]

    # A network her organisation does not host is not a choice.
    stranger = actions.create_network(None, world.other_org, name="Other", slug="other")
    refused = client.post("/stats/report/", {**PERIOD, "language": "en", "network": stranger.pk})
    assert refused.status_code == 200
    assert ReportJob.objects.count() == 1


def test_it_fails_the_job_when_the_member_may_no_longer_export(world: World, data: Data) -> None:
    analyst = world["analyst"]
    job = actions.request_report(
        analyst.user,
        analyst.membership,
        network=None,
        country="",
        date_from=datetime.date(2025, 1, 1),
        date_to=datetime.date(2025, 1, 31),
        language="en",
    )
    analyst.membership.role = "caseworker"
    analyst.membership.save(update_fields=["role"])
    with pytest.raises(PermissionError):
        report.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == ReportStatus.FAILED and not job.docx_name
    assert report.run_job(job.pk) == ReportStatus.FAILED  # a retry does not run it again


def test_it_deletes_expired_reports_and_their_files(
    world: World, data: Data, signed_in: Any
) -> None:
    client: Client = signed_in("analyst")
    job = generate(client, "en")
    job.refresh_from_db()
    names = [job.docx_name, job.pdf_name]
    ReportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    assert client.get(f"/stats/report/{job.pk}/report.docx").status_code == 404
    assert "has expired" in client.get(f"/stats/report/{job.pk}/").content.decode()
    generate(client, "en")  # a new request purges the expired one
    assert not ReportJob.objects.filter(pk=job.pk).exists()
    assert not any(default_storage.exists(name) for name in names)
    assert client.get(f"/stats/report/{job.pk}/").status_code == 404


def test_the_command_writes_both_files_and_prints_progress(
    world: World, data: Data, settings: Any, tmp_path: Path
) -> None:
    settings.STATS_MIN_CELL = 1
    out = io.StringIO()
    call_command(
        "stats_report",
        "--org",
        "svitlo",
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-31",
        "--lang",
        "ru",
        "--out",
        str(tmp_path),
        stdout=out,
    )
    printed = out.getvalue()
    assert "[ 1/10]  10 %  key_figures" in printed
    assert "[10/10] 100 %  pdf" in printed
    docx = tmp_path / "vigil-report-2025-01-2025-03-ru.docx"
    pdf = tmp_path / "vigil-report-2025-01-2025-03-ru.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "Основные показатели" in text and "Инциденты: 3" in text
    entry = AuditEvent.objects.get(action="stats.report")
    assert entry.actor_id is None and entry.data["via"] == "command"
    assert entry.organisation_id == world.org.pk


def test_the_command_reports_on_a_network(world: World, data: Data, tmp_path: Path) -> None:
    network = actions.create_network(None, world.org, name="EECA network", slug="eeca")
    NetworkShare.objects.create(network=network, organisation=world.org, opted_in=True)
    out = io.StringIO()
    call_command(
        "stats_report",
        "--network",
        "eeca",
        "--from",
        "2025-01-01",
        "--to",
        "2025-01-31",
        "--out",
        str(tmp_path),
        stdout=out,
    )
    assert "Report for EECA network" in out.getvalue()
    assert (tmp_path / "vigil-report-2025-01-2025-01-en.pdf").exists()


def test_it_adds_complaint_outcomes_when_complaints_were_filed(
    world: World, settings: Any, signed_in: Any
) -> None:
    from vigil.complaints.tests.helpers import days_ago, filed, make_case
    from vigil.complaints.tests.test_figures import answer

    settings.STATS_MIN_CELL = 1
    made = [make_case(world, stats_consent=True) for _ in range(2)]
    first, _second = (filed(world, m, submitted_on=days_ago(60)) for m in made)
    answer(world, made[0], first, 10, ["disciplined"])
    client: Client = signed_in("analyst")
    job = generate(client, "ru")
    paragraphs, tables = docx_text(client, job)
    text = "\n".join(paragraphs)
    assert "Жалобы и их результаты" in text
    assert "Подано жалоб: 2" in text
    assert "Ответ в срок: 1" in text
    outcomes = next(t for t in tables if t[0][0] == "Тип органа")
    assert outcomes[-1][0] == "Всего" and outcomes[-1][-1] == "1"  # one action with an outcome


def test_it_purges_expired_reports_from_the_command_line(
    world: World, data: Data, signed_in: Any, settings: Any
) -> None:
    settings.STATS_MIN_CELL = 1
    job = generate(signed_in("coordinator"), "en")
    ReportJob.objects.filter(pk=job.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    out = io.StringIO()
    call_command("purge_stats_reports", stdout=out)
    assert "1 report(s) deleted" in out.getvalue()


LONG_LABEL = (
    "Физическое насилие, включая избиение при задержании, удушение, применение "
    "спецсредств без законных оснований и отказ в медицинской помощи после задержания"
)


def test_a_long_chart_label_wraps_inside_the_pdf_page(
    world: World, data: Data, signed_in: Any, settings: Any, tmp_path: Path
) -> None:
    import re

    from vigil.vocab.models import Term

    settings.STATS_MIN_CELL = 1
    term = Term.objects.get(code="ACT.PHYS")
    term.labels = {**term.labels, "ru": LONG_LABEL}
    term.save()
    client: Client = signed_in("coordinator")
    job = generate(client, "ru")
    path = tmp_path / "report.pdf"
    path.write_bytes(body(client.get(f"/stats/report/{job.pk}/report.pdf")))
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils is installed by `make system-deps`"
    boxes = subprocess.run(  # noqa: S603 - fixed arguments, a file we wrote
        [pdftotext, "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    page = re.search(r'<page width="([\d.]+)"', boxes)
    assert page is not None
    page_width = float(page.group(1))
    words = [
        (float(x_max), word)
        for x_max, word in re.findall(
            r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes
        )
    ]
    wanted = LONG_LABEL.split()
    first = [i for i, (_x, w) in enumerate(words) if w == wanted[0]]
    # The chart (first) and its data table (second) each carry the whole label.
    assert len(first) >= 2
    chart = words[first[0] : first[0] + len(wanted)]
    assert [w for _x, w in chart] == wanted
    assert all(x_max < page_width - 40 for x_max, _w in chart)  # inside the right margin


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ka", ["ძირითადი მაჩვენებლები", "მეთოდოლოგიური შენიშვნები"]),
        ("kk", ["Негізгі көрсеткіштер", "Әдістемелік ескертпелер"]),
    ],
)
def test_it_makes_a_pdf_in_georgian_and_kazakh(
    world: World,
    data: Data,
    signed_in: Any,
    settings: Any,
    tmp_path: Path,
    language: str,
    expected: list[str],
) -> None:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils is installed by `make system-deps`"
    settings.STATS_MIN_CELL = 1
    client: Client = signed_in("coordinator")
    job = generate(client, language)
    pdf = body(client.get(f"/stats/report/{job.pk}/report.pdf"))
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603 - fixed arguments, a file we wrote
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = " ".join(text.split())
    for words in expected:
        assert words in flat
