"""Staff pages at scale: the same pages at 1,000 and at 100,000 rows, in one run.

A throw-away installation (``python -m bench.staff_pages --worker``: a
temporary ``VIGIL_VAR_DIR`` and SQLite file, or the PostgreSQL database
``vigil_bench_staff``, dropped and created here; ``migrate``) gets two
organisations that differ only in size: *small* with 1,000 rows of each kind
and *large* with 100,000 (``BENCH_STAFF_SIZES``). Rows are generated with bulk
inserts: reports (``bulk_create``; the same number waiting for triage in both,
250, the rest triaged, since the queue is bounded by the staff's pace and the
history is what grows), audit events (``bulk_create``), oversight bodies of the
organisation (``bulk_create``), and incidents with victims, acts and cases
(``vigil.incidents.demo.create_incidents``, which inserts in batches). In both,
the caseworker is assigned to the same 50 cases with one open task each.

A coordinator and a caseworker of each organisation sign in through the real
views (password, then a TOTP code, which unlocks the organisation key), and
each page is timed with the Django test client (every middleware, no
network), interleaved: for each of 3 repetitions, 7 loads on *small* then 7
on *large*, after one warm-up each. Reported per page: min and median at both
sizes, the ratio large / small of each, and the query count at both sizes.
Goal: at most 1.2x.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import common, pgdb

TITLE = "Staff pages at scale"
ROOT = Path(__file__).resolve().parent.parent
PG_PREFIX = "vigil_bench_staff"
PG_URL = os.environ.get(
    "BENCH_STAFF_PG_URL", "postgres://postgres@127.0.0.1:5432/vigil_bench_staff"
)
SIZES = [int(x) for x in os.environ.get("BENCH_STAFF_SIZES", "1000,100000").split(",")]
DATABASES = [x for x in os.environ.get("BENCH_STAFF_DATABASES", "sqlite").split(",") if x]
REPETITIONS = 3
RUNS = 7
NEW_REPORTS = 250
MY_CASES = 50

# (label, role, path)
PAGES = [
    ("Triage inbox", "caseworker", "/inbox/"),
    ("Audit log, first page", "coordinator", "/accounts/org/audit/"),
    ("Audit log, a later page", "coordinator", "/accounts/org/audit/?after={audit_cursor}"),
    ("My work", "caseworker", "/my-work/"),
    ("Case list", "caseworker", "/cases/"),
    ("Incident list", "caseworker", "/incidents/"),
    ("Body directory", "caseworker", "/complaints/bodies/"),
]


# --- parent --------------------------------------------------------------------------------------


def run() -> common.Report:
    report = common.Report(group="staff_pages", title=TITLE)
    for name in DATABASES:
        url = None if name == "sqlite" else PG_URL
        if url is not None and not pgdb.reachable(url):
            common.progress(f"staff_pages: PostgreSQL at {urlsplit(url).hostname} unreachable")
            continue
        result = _run_worker(name, url)
        report.data[name] = result
        _table(report, result)
    return report


def _run_worker(name: str, url: str | None) -> dict[str, Any]:
    return common.run_worker("bench.staff_pages", name, url)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _table(report: common.Report, result: dict[str, Any]) -> None:
    small, large = result["sizes"]
    table = common.Table(
        f"{result['database']}: {large:,} vs {small:,} rows, {REPETITIONS} interleaved "
        f"repetitions x {RUNS} loads",
        [
            "Page",
            f"min {small:,}",
            f"min {large:,}",
            "ratio (min)",
            f"median {small:,}",
            f"median {large:,}",
            "ratio (median)",
            "CPU ratio (median)",
            "queries",
        ],
    )
    for label, page in result["pages"].items():
        s, la = page["small"], page["large"]
        table.add(
            label,
            _ms(s["min"]),
            _ms(la["min"]),
            common.fmt_ratio(la["min"] / s["min"]),
            _ms(s["median"]),
            _ms(la["median"]),
            common.fmt_ratio(la["median"] / s["median"]),
            common.fmt_ratio(la["cpu_median"] / s["cpu_median"]),
            f"{s['queries']} / {la['queries']}",
        )
    table.note = f"Generation: {result['generate_seconds']:.0f} s."
    report.tables.append(table)


# --- worker --------------------------------------------------------------------------------------


def _say(message: str) -> None:
    common.progress(f"staff_pages: {message}")


def worker(name: str) -> dict[str, Any]:
    url = common.worker_database(PG_PREFIX)
    from django.db import connection

    vendor = connection.vendor
    started = time.perf_counter()
    worlds = {
        "small": _organisation("small", SIZES[0]),
        "large": _organisation("large", SIZES[1]),
    }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    generate_seconds = time.perf_counter() - started
    clients = {size: _clients(world) for size, world in worlds.items()}
    pages: dict[str, Any] = {}
    for label, role, template in PAGES:
        samples: dict[str, list[float]] = {"small": [], "large": []}
        cpu: dict[str, list[float]] = {"small": [], "large": []}
        queries: dict[str, int] = {}
        paths = {size: template.format(**worlds[size]["fields"]) for size in worlds}
        for size in worlds:
            queries[size] = _queries(clients[size][role], paths[size])
        for _ in range(REPETITIONS):
            for size in ("small", "large"):
                wall, used = _sample(clients[size][role], paths[size])
                samples[size] += wall
                cpu[size] += used
        pages[label] = {
            size: {
                "min": min(samples[size]),
                "median": common.median(samples[size]),
                "cpu_min": min(cpu[size]),
                "cpu_median": common.median(cpu[size]),
                "queries": queries[size],
                "samples": samples[size],
                "cpu_samples": cpu[size],
            }
            for size in samples
        }
        ratio = pages[label]["large"]["median"] / pages[label]["small"]["median"]
        _say(f"{label}: median ratio {ratio:.2f}x, queries {queries}")
    version = (
        ".".join(str(x) for x in connection.Database.sqlite_version_info)
        if vendor == "sqlite"
        else "PostgreSQL"
    )
    if url.startswith("postgres"):
        connection.close()
        pgdb.drop(url, PG_PREFIX)
    return {
        "database": f"SQLite {version}" if vendor == "sqlite" else version,
        "sizes": SIZES,
        "generate_seconds": generate_seconds,
        "pages": pages,
    }


def _sample(client: Any, path: str) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each load (CPU is steadier on a shared machine)."""
    assert client.get(path).status_code == 200, path
    wall, cpu = [], []
    with common.no_gc():
        for _ in range(RUNS):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            cpu.append(time.process_time() - start_cpu)
            wall.append(time.perf_counter() - start)
            assert response.status_code == 200, path
    return wall, cpu


def _queries(client: Any, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured)


def _organisation(slug: str, rows: int) -> dict[str, Any]:
    from vigil.accounts import actions

    created = actions.create_organisation(
        None, name=f"Bench {slug}", slug=f"bench-{slug}", country="UA", languages=["en"]
    )
    people = {
        role: common.staff_member(
            created.organisation, f"{slug}-{role}", role, created.private_key
        )[0]
        for role in ("coordinator", "caseworker")
    }
    world = {"org": created.organisation, "private": created.private_key, "people": people}
    _say(f"{slug}: {rows:,} reports")
    _reports(world, rows)
    _say(f"{slug}: {rows:,} audit events")
    cursor = _audit(world, rows)
    _say(f"{slug}: {rows:,} oversight bodies")
    _bodies(world, rows)
    _say(f"{slug}: {rows:,} incidents with cases")
    _incidents(world, rows)
    world["fields"] = {"audit_cursor": cursor}
    return world


def _reports(world: dict[str, Any], rows: int) -> None:
    from django.utils import timezone

    from vigil.intake.models import Submission, SubmissionStatus
    from vigil.vault import crypto, sealing
    from vigil.vault.keys import organisation_public_key

    thread_key = crypto.new_key()
    sealed_key = crypto.seal_to(organisation_public_key(world["org"]), thread_key)
    sealed = sealing.seal_json(thread_key, {"what": ["search"], "region": "UA-30"})
    now = timezone.now()
    user = world["people"]["caseworker"]
    batch = []
    for i in range(rows):
        new = i < NEW_REPORTS
        batch.append(
            Submission(
                organisation=world["org"],
                channel="web",
                status=SubmissionStatus.NEW if new else SubmissionStatus.REJECTED,
                sealed_key=sealed_key,
                sealed=sealed,
                urgent=i % 17 == 0,
                triaged_at=None if new else now - datetime.timedelta(minutes=i),
                triaged_by=None if new else user,
                reject_reason="" if new else "spam",
            )
        )
        if len(batch) == 5000:
            Submission.objects.bulk_create(batch)
            batch = []
    Submission.objects.bulk_create(batch)


def _audit(world: dict[str, Any], rows: int) -> str:
    """Events of this organisation (the page lists them; the chain is not checked here)."""
    from django.db.models import Max
    from django.utils import timezone

    from vigil.audit.models import AuditEvent
    from vigil.lib import paging

    start = (AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0) + 1_000_000
    now = timezone.now()
    batch = []
    for i in range(rows):
        batch.append(
            AuditEvent(
                seq=start + i,
                created_at=now,
                organisation=world["org"],
                actor=world["people"]["caseworker"],
                action="case.assign",
                target_type="cases.case",
                target_id=str(i),
                data={"users": []},
                prev_hash="0" * 64,
                hash="0" * 64,
            )
        )
        if len(batch) == 5000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    # A page in the middle of the log.
    return paging.encode([start + rows // 2])


def _bodies(world: dict[str, Any], rows: int) -> None:
    from vigil.complaints.models import OversightBody

    slug = world["org"].slug
    OversightBody.objects.bulk_create(
        (
            OversightBody(
                organisation=world["org"],
                slug=f"{slug}-{i}",
                country="UA",
                body_type="prosecutor",
                names={"en": f"Local prosecutor {i}"},
            )
            for i in range(rows)
        ),
        batch_size=5000,
    )


def _incidents(world: dict[str, Any], rows: int) -> None:
    from vigil.cases.models import Case, Task
    from vigil.incidents.demo import create_incidents
    from vigil.vault import crypto, sealing

    create_incidents(world["org"], world["private"], rows, seed=rows, acting_user=None)
    user = world["people"]["caseworker"]
    through = Case.assignees.through
    mine = list(Case.objects.filter(organisation=world["org"]).order_by("pk")[:MY_CASES])
    through.objects.bulk_create(
        [through(case_id=case.pk, user_id=user.pk) for case in mine], ignore_conflicts=True
    )
    tasks = []
    for n, case in enumerate(mine):
        assert case.sealed_key is not None
        key = crypto.unseal(world["private"], bytes(case.sealed_key))
        tasks.append(
            Task(
                case=case,
                sealed=sealing.seal_text(key, "call back"),
                due_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
                assignee=user,
                created_by=user,
            )
        )
    Task.objects.bulk_create(tasks)


def _clients(world: dict[str, Any]) -> dict[str, Any]:
    return {role: common.sign_in(user) for role, user in world["people"].items()}


def main(argv: list[str] | None = None) -> int:
    return common.worker_main("staff_pages", worker, argv)


if __name__ == "__main__":
    sys.exit(main())
