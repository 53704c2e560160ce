"""Cases and incidents group: list pages that cost the same at any data size.

For SQLite and then PostgreSQL this group builds a throw-away installation
in a subprocess of its own (``python -m bench.cases --worker``: a temporary
``VIGIL_VAR_DIR`` and SQLite file, or the database ``vigil_bench`` created
and dropped here; ``migrate``), creates two organisations with their staff,
*small* and *large*, and generates demo incidents for each with
``vigil.incidents.demo``: 1,000 and 100,000. A caseworker of each signs in
through the real views (password, then a TOTP code) and, with the Django test
client, the pages a caseworker opens all day (the filtered case and incident
lists, a blind-index search, an incident's and a case's detail page) are
loaded like a browser (redirects followed and counted), small and large
alternately, ``BENCH_CASES_RUNS`` times (default 15) after 3 warm-ups each.
It reports min and median server time at both sizes (the whole middleware
stack, no network), the median CPU time of the process, the query count
(CaptureQueriesContext), and the ratio large / small of medians with the
range of the per-repetition ratios.

``BENCH_CASES_SIZES`` (default ``1000,100000``) sets the two sizes,
``BENCH_CASES_DATABASES`` (default ``sqlite,postgres``) the databases and
``BENCH_CASES_PG_URL`` the PostgreSQL database (its name must start with
``vigil_bench``: it is dropped and created again). PostgreSQL is skipped if
the server cannot be reached. The worker sets ``VIGIL_TESTING=1`` (weak KDF
and password hashing, plain HTTP), which changes nothing on the pages timed.
"""

from __future__ import annotations

import functools
import os
import sys
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
RUNS = int(os.environ.get("BENCH_CASES_RUNS", "15"))
WARMUP = 3
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
    return common.run_worker("bench.cases", name, url)


def _tables(report: common.Report, result: dict[str, Any]) -> None:
    database = result["database"]
    steps = result["steps"]
    generation = common.Table(
        f"{database}: demo data generation (vigil.incidents.demo, batches of 2,000)",
        ["Organisation", "incidents", "cases", "time", "incidents/s"],
        note=(
            "One transaction per batch; rows through bulk_create and executemany; one data key "
            "per batch (see vigil/incidents/demo.py). Time includes ANALYZE after the step."
        ),
    )
    for size, step in zip(("small", "large"), steps, strict=True):
        generation.add(
            size,
            f"{step['counts']['events']:,}",
            f"{step['counts']['cases']:,}",
            f"{step['generate_seconds']:.1f} s",
            common.fmt_rate(step["rate"]),
        )
    report.tables.append(generation)

    small, large = (f"{step['total']:,}" for step in steps)
    pages = common.Table(
        f"{database}: server time per page, signed-in caseworker, {large} vs {small} "
        f"incidents ({RUNS} interleaved runs after {WARMUP} each; load average "
        f"{result['load_average']})",
        [
            "Page",
            "queries",
            f"min / median @{small}",
            f"min / median @{large}",
            "CPU median small / large",
            "ratio of medians (range)",
        ],
        note=(
            "Test client through every middleware (session, OTP, vault), no network, "
            f"redirects followed like a browser ({result['redirects']} followed in all); the "
            "function-call row is the duplicate-hint lookup alone. CPU: median CPU time of the "
            "benchmark process (Python, templates, crypto and, for SQLite, the database "
            "itself; PostgreSQL works in its own processes). Queries (same at both sizes "
            "unless two numbers are shown) include the session and membership lookups every "
            f"staff page makes. Lists show {25} rows; titles are decrypted per row (one "
            "unseal each). Range: the smallest and largest per-repetition ratio."
        ),
    )
    for label in [*(page[0] for page in PAGES), DUPLICATES]:
        page = result["pages"].get(label)
        if page is None:
            pages.add(label, "n/a", "n/a", "n/a", "n/a", "n/a")
            continue
        pair = page["pair"]
        queries = page["queries"]
        pages.add(
            label,
            str(queries["small"])
            if queries["small"] == queries["large"]
            else f"{queries['small']} / {queries['large']}",
            common.fmt_min_median(pair["baseline"], _ms),
            common.fmt_min_median(pair["measured"], _ms),
            f"{_ms(page['cpu']['small'])} / {_ms(page['cpu']['large'])}",
            common.fmt_paired_ratio(pair),
        )
    report.tables.append(pages)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


# --- worker: one database, both sizes ----------------------------------------------------------


def worker(name: str) -> dict[str, Any]:
    url = common.worker_database(PG_PREFIX)
    from django.db import connection

    label = common.db_label(connection)
    worlds = {"small": _setup("small"), "large": _setup("large")}
    steps = [_grow(name, worlds[size], 0, n) for size, n in zip(worlds, SIZES, strict=True)]
    pages, redirects = _measure(name, worlds)
    if url.startswith("postgres") and not os.environ.get("BENCH_CASES_KEEP"):
        connection.close()
        pgdb.drop(url, PG_PREFIX)
    return {
        "database": label,
        "steps": steps,
        "pages": pages,
        "redirects": redirects,
        "load_average": common.load_average(),
    }


def _say(name: str, message: str) -> None:
    common.progress(f"cases/{name}: {message}")


def _setup(size: str) -> dict[str, Any]:
    from vigil.accounts import actions

    created = actions.create_organisation(
        None,
        name=f"Bench {size}",
        slug=f"{SLUG}-{size}",
        country="UA",
        languages=["uk", "ru", "en"],
    )
    people = {
        role: common.staff_member(
            created.organisation, f"bench-{size}-{role}", role, created.private_key
        )
        for role in ("coordinator", "caseworker", "lawyer", "hotline")
    }
    user, device = people["caseworker"]
    return {
        "org": created.organisation,
        "private": created.private_key,
        "user": user,
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
    org = world["org"]
    return {
        "added": added,
        "total": target,
        "generate_seconds": seconds,
        "rate": added / seconds,
        "create_seconds": result.seconds,
        "counts": {
            "events": Event.objects.filter(organisation=org).count(),
            "acts": Act.objects.filter(event__organisation=org).count(),
            "cases": Case.objects.filter(organisation=org).count(),
        },
    }


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


def _measure(name: str, worlds: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], int]:
    """Every page at both sizes, small and large alternately, like a browser."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients = {size: common.sign_in(w["user"], w["device"]) for size, w in worlds.items()}
    targets = {size: _targets(w) for size, w in worlds.items()}
    pages: dict[str, Any] = {}
    redirects = 0
    for label, method, template in PAGES:
        calls: dict[str, Callable[[], Any]] = {}
        missing = False
        for size, client in clients.items():
            path = template.format(**targets[size])
            data = {"q": targets[size]["badge"]} if method == "POST" else None
            call = functools.partial(common.browse, client, method, path, data)
            try:
                redirects += call()[1]
            except AssertionError:
                missing = True
            calls[size] = call
        if missing:
            _say(name, f"{label}: page not answered with 200 at one size, skipped")
            continue
        queries = {}
        for size, call in calls.items():
            with CaptureQueriesContext(connection) as captured:
                call()
            queries[size] = len(captured)
        cpu: dict[str, list[float]] = {}
        times = common.interleave(calls, RUNS, WARMUP, cpu=cpu)
        pages[label] = _page(times, cpu, queries)
        _say(name, f"{label}: {common.fmt_paired_ratio(pages[label]['pair'])}, {queries}")
    pages[DUPLICATES] = _measure_duplicates(worlds, targets)
    return pages, redirects


def _page(
    times: dict[str, list[float]], cpu: dict[str, list[float]], queries: dict[str, int]
) -> dict[str, Any]:
    return {
        "pair": common.paired(times["large"], times["small"]),
        "cpu": {size: common.median(values) for size, values in cpu.items()},
        "cpu_samples": cpu,
        "queries": queries,
    }


def _measure_duplicates(
    worlds: dict[str, dict[str, Any]], targets: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """possible_duplicates() alone, as a detail page would call it, at both sizes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vigil.incidents.duplicates import possible_duplicates
    from vigil.incidents.models import Event

    calls: dict[str, Callable[[], Any]] = {}
    for size, world in worlds.items():
        event = Event.objects.get(pk=targets[size]["event"])
        visible = Event.objects.filter(organisation=world["org"])
        calls[size] = functools.partial(possible_duplicates, event, within=visible)
    queries = {}
    for size, call in calls.items():
        with CaptureQueriesContext(connection) as captured:
            call()
        queries[size] = len(captured)
    cpu: dict[str, list[float]] = {}
    times = common.interleave(calls, RUNS, WARMUP, cpu=cpu)
    return _page(times, cpu, queries)


def main(argv: list[str] | None = None) -> int:
    return common.worker_main("cases", worker, argv)


if __name__ == "__main__":
    sys.exit(main())
