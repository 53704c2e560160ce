"""Cases and incidents group: list pages that cost the same at any data size.

For SQLite and then PostgreSQL this group builds a throw-away installation
in a subprocess of its own (``python -m bench.cases --worker``: a temporary
``VIGIL_VAR_DIR`` and SQLite file, or the database ``vigil_bench`` created
and dropped here; ``migrate``), creates one organisation with its staff, and
generates demo incidents with ``vigil.incidents.demo`` in two steps: up to
1,000, then up to 100,000. After each step it signs a caseworker in through
the real views (password, then a TOTP code) and times, with the Django test
client, the pages a caseworker opens all day: the filtered case and incident
lists, a blind-index search and an incident's detail page. It reports the
median and p95 server time of each (the whole middleware stack, no network)
and its query count (CaptureQueriesContext), at both sizes.

``BENCH_CASES_SIZES`` (default ``1000,100000``) sets the steps,
``BENCH_CASES_DATABASES`` (default ``sqlite,postgres``) the databases and
``BENCH_CASES_PG_URL`` the PostgreSQL database (its name must start with
``vigil_bench``: it is dropped and created again). PostgreSQL is skipped if
the server cannot be reached. The worker sets ``VIGIL_TESTING=1`` (weak KDF
and password hashing, plain HTTP), which changes nothing on the pages timed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import common, pgdb

PG_PREFIX = "vigil_bench"

TITLE = "Cases and incidents"

ROOT = Path(__file__).resolve().parent.parent
SIZES = [int(x) for x in os.environ.get("BENCH_CASES_SIZES", "1000,100000").split(",") if x]
DATABASES = [x for x in os.environ.get("BENCH_CASES_DATABASES", "sqlite,postgres").split(",") if x]
PG_URL = os.environ.get("BENCH_CASES_PG_URL", "postgres://postgres@127.0.0.1:5432/vigil_bench")
RUNS = 25
WARMUP = 3
PASSWORD = "bench password 42 correct horse"
SLUG = "bench-cases"

# (label, method, path template): path fields filled in by the worker.
PAGES = [
    ("Case list: status=active & region (Kyiv)", "GET", "/cases/?status=active&region=UA-30"),
    (
        "Case list: act type (parent level) & assigned to me",
        "GET",
        "/cases/?act_type={act}&mine=on",
    ),
    ("Case list: no filter", "GET", "/cases/"),
    (
        "Incident list: region & act type (parent level)",
        "GET",
        "/incidents/?region=UA-30&act_type={act}",
    ),
    ("Incident list: no filter, page 2", "GET", "/incidents/?page=2"),
    ("Search: a badge number (POST)", "POST", "/search/"),
    ("Incident detail (with duplicate hints if shown)", "GET", "/incidents/{event}/"),
    ("Case detail", "GET", "/cases/{case}/"),
]


DUPLICATES = "possible_duplicates() for that incident (function call)"


# --- parent: run one worker per database, build the tables ------------------------------------


def run() -> common.Report:
    report = common.Report(group="cases", title=TITLE)
    results: dict[str, Any] = {}
    for name in DATABASES:
        url = None if name == "sqlite" else PG_URL
        if url is not None and not pgdb.reachable(url):
            common.progress(f"cases: PostgreSQL at {urlsplit(url).hostname} unreachable; skipped")
            continue
        results[name] = _run_worker(name, url)
        _tables(report, results[name])
    report.data = results
    return report


def _run_worker(name: str, url: str | None) -> dict[str, Any]:
    common.progress(f"cases: {name} worker, sizes {', '.join(f'{s:,}' for s in SIZES)}")
    with tempfile.TemporaryDirectory(prefix="vigil-bench-cases-") as tmp:
        env = {
            **os.environ,
            "VIGIL_TESTING": "1",
            "VIGIL_VAR_DIR": tmp,
            "DATABASE_URL": url or f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "vigil.settings",
        }
        command = [sys.executable, "-m", "bench.cases", "--worker", "--name", name]
        done = subprocess.run(  # noqa: S603 - our own interpreter and module
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, check=True, text=True
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _tables(report: common.Report, result: dict[str, Any]) -> None:
    database = result["database"]
    steps = result["steps"]
    generation = common.Table(
        f"{database}: demo data generation (vigil.incidents.demo, batches of 2,000)",
        ["Step", "incidents added", "total incidents", "total cases", "time", "incidents/s"],
        note=(
            "One transaction per batch; rows through bulk_create and executemany; one data key "
            "per batch (see vigil/incidents/demo.py). Time includes ANALYZE after the step."
        ),
    )
    for step in steps:
        generation.add(
            f"up to {step['total']:,}",
            f"{step['added']:,}",
            f"{step['total']:,}",
            f"{step['counts']['cases']:,}",
            f"{step['generate_seconds']:.1f} s",
            common.fmt_rate(step["rate"]),
        )
    report.tables.append(generation)

    columns = ["Page"]
    for step in steps:
        size = f"{step['total']:,}"
        columns += [f"queries @{size}", f"median @{size}", f"CPU @{size}"]
    if len(steps) > 1:
        columns.append("median ratio")
    pages = common.Table(
        f"{database}: server time per page, signed-in caseworker ({RUNS} runs after {WARMUP})",
        columns,
        note=(
            "Test client through every middleware (session, OTP, vault), no network; the "
            "function-call row is the duplicate-hint lookup alone. median: wall-clock median; "
            "CPU: median CPU time of the benchmark process (Python, templates, crypto and, "
            "for SQLite, the database itself; PostgreSQL works in its own processes). "
            "Queries include the session and membership lookups every staff page makes. "
            f"Lists show {25} rows; titles are decrypted per row (one unseal each)."
        ),
    )
    for label in [*(page[0] for page in PAGES), DUPLICATES]:
        row = [label]
        medians = []
        for step in steps:
            page = step["pages"].get(label)
            if page is None:
                row += ["n/a", "n/a", "n/a"]
                continue
            medians.append(page["median"])
            row += [str(page["queries"]), _ms(page["median"]), _ms(page["cpu_median"])]
        if len(steps) > 1:
            row.append(common.fmt_ratio(medians[-1] / medians[0]) if len(medians) > 1 else "")
        pages.add(*row)
    report.tables.append(pages)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


# --- worker: one database, every step ----------------------------------------------------------


def worker(name: str) -> dict[str, Any]:
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        pgdb.recreate(url, PG_PREFIX)
    common.setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # The test client's host; setup_test_environment() would also instrument template
    # rendering, which the pages measured here should not pay.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    _say(name, "migrate")
    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    version = (
        ".".join(str(x) for x in connection.Database.sqlite_version_info)
        if vendor == "sqlite"
        else _pg_version(connection)
    )
    label = f"{'SQLite' if vendor == 'sqlite' else 'PostgreSQL'} {version}"
    world = _setup()
    steps = []
    total = 0
    for size in SIZES:
        step = _grow(name, world, total, size)
        total = size
        step["pages"] = _measure(name, world)
        steps.append(step)
    if url.startswith("postgres") and not os.environ.get("BENCH_CASES_KEEP"):
        connection.close()
        pgdb.drop(url, PG_PREFIX)
    return {"database": label, "steps": steps}


def _say(name: str, message: str) -> None:
    common.progress(f"cases/{name}: {message}")


def _pg_version(connection: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0]).split()[0]


def _setup() -> dict[str, Any]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vigil.accounts import actions

    created = actions.create_organisation(
        None, name="Bench", slug=SLUG, country="UA", languages=["uk", "ru", "en"]
    )
    people = {}
    for role in ("coordinator", "caseworker", "lawyer", "hotline"):
        member = actions.add_member(
            None,
            created.organisation,
            username=f"bench-{role}",
            role=role,
            password=PASSWORD,
            org_private=created.private_key,
        )
        user = member.membership.user
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
        people[role] = user
    device = TOTPDevice.objects.create(user=people["caseworker"], name="bench", confirmed=True)
    return {
        "org": created.organisation,
        "private": created.private_key,
        "user": people["caseworker"],
        "device": device,
    }


def _grow(name: str, world: dict[str, Any], current: int, target: int) -> dict[str, Any]:
    from django.db import connection

    from vigil.cases.models import Case
    from vigil.incidents.demo import create_incidents
    from vigil.incidents.models import Act, Event

    added = target - current
    started = time.perf_counter()
    last = [started]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 10 or done == total:
            rate = done / (now - started)
            _say(name, f"generated {current + done:,} / {target:,} incidents ({rate:,.0f}/s)")
            last[0] = now

    result = create_incidents(
        world["org"], world["private"], added, progress, seed=target, acting_user=None
    )
    with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would give
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    return {
        "added": added,
        "total": target,
        "generate_seconds": seconds,
        "rate": added / seconds,
        "create_seconds": result.seconds,
        "counts": {
            "events": Event.objects.count(),
            "acts": Act.objects.count(),
            "cases": Case.objects.count(),
        },
    }


def _sign_in(world: dict[str, Any]) -> Any:
    from django.test import Client
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = world["device"]
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # a fresh code may be reused
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": world["user"].username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    response = client.post("/accounts/2fa/", {"token": code})
    assert response.status_code == 302, response.status_code
    return client


def _targets(world: dict[str, Any]) -> dict[str, Any]:
    """The same incident and case at every size: the first with a case and a perpetrator."""
    from vigil.cases.models import Case
    from vigil.incidents.models import Event, Perpetrator
    from vigil.vault import crypto
    from vigil.vocab.models import Term

    if "event" not in world:
        event = (
            Event.objects.filter(organisation=world["org"], cases__isnull=False)
            .filter(pk__in=Perpetrator.objects.exclude(badge_bidx="").values("event_id"))
            .order_by("number")
            .first()
        )
        assert event is not None
        perpetrator = event.perpetrators.exclude(badge_bidx="").first()
        key = crypto.unseal(world["private"], bytes(event.sealed_key))
        world["badge"] = crypto.decrypt_json(key, bytes(perpetrator.sealed))["badge"]
        world["event"] = event.pk
        world["case"] = Case.objects.filter(incidents=event).values_list("pk", flat=True)[0]
    return {
        "event": world["event"],
        "case": world["case"],
        "act": Term.objects.get(code="ACT.DET").pk,
        "badge": world["badge"],
    }


def _measure(name: str, world: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _sign_in(world)
    targets = _targets(world)
    pages: dict[str, Any] = {}
    for label, method, template in PAGES:
        path = template.format(**targets)
        if method == "GET":
            call: Callable[[], Any] = lambda path=path: client.get(path)  # noqa: E731
        else:
            call = lambda path=path: client.post(path, {"q": targets["badge"]})  # noqa: E731
        first = call()
        if first.status_code == 404 and "{" in template:
            _say(name, f"{label}: page not found, skipped")
            continue
        assert first.status_code == 200, (label, first.status_code)

        def ok(call: Callable[[], Any] = call) -> None:
            assert call().status_code == 200

        wall, cpu = _sample(ok)
        with CaptureQueriesContext(connection) as captured:
            ok()
        pages[label] = {
            "path": path,
            **_stats(wall, cpu),
            "queries": len(captured),
            "sql_seconds": sum(float(q["time"]) for q in captured.captured_queries),
        }
        _say(name, f"{label}: {common.median(wall) * 1000:.1f} ms, {len(captured)} queries")
    pages[DUPLICATES] = _measure_duplicates(world, targets["event"])
    return pages


def _measure_duplicates(world: dict[str, Any], event_id: int) -> dict[str, Any]:
    """possible_duplicates() alone, as a detail page would call it (not yet included there)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vigil.incidents.duplicates import possible_duplicates
    from vigil.incidents.models import Event

    event = Event.objects.get(pk=event_id)
    visible = Event.objects.filter(organisation=world["org"])
    wall, cpu = _sample(lambda: possible_duplicates(event, within=visible))
    with CaptureQueriesContext(connection) as captured:
        hints = possible_duplicates(event, within=visible)
    return {**_stats(wall, cpu), "queries": len(captured), "hints": len(hints)}


def _sample(fn: Callable[[], object]) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of this process per call (CPU is steadier on a busy machine)."""
    for _ in range(WARMUP):
        fn()
    wall, cpu = [], []
    with common.no_gc():
        for _ in range(RUNS):
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            cpu.append(time.process_time() - start_cpu)
            wall.append(time.perf_counter() - start)
    return wall, cpu


def _stats(wall: list[float], cpu: list[float]) -> dict[str, Any]:
    return {
        "median": common.median(wall),
        "p95": common.percentile(wall, 95),
        "cpu_median": common.median(cpu),
        "samples": wall,
        "cpu_samples": cpu,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cases")
    parser.add_argument("--worker", action="store_true", help="internal: run one database")
    parser.add_argument("--name", default="sqlite")
    args = parser.parse_args(argv)
    if args.worker:
        result = worker(args.name)
        print(json.dumps(result, ensure_ascii=False))  # the parent reads the last line
        return 0
    from bench.__main__ import main as bench_main

    return bench_main(["cases"])


if __name__ == "__main__":
    sys.exit(main())
