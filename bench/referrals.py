"""Referral funnel group: the funnel over 100,000 referrals against hand-written SQL.

For SQLite and then PostgreSQL this group builds a throw-away installation in
a subprocess (``python -m bench.referrals --worker``: a temporary SQLite file,
or the database ``vigil_referrals_bench`` created and dropped here), migrates
it, creates one organisation with three programmes and generates
``BENCH_REFERRALS_N`` (default 100,000) referrals over five years, in twelve
districts, with a realistic drop-out at each stage (clear columns only: the
funnel never reads sealed data).

It then times, in the same process and run, ``referrals.funnel.funnel`` (the
one GROUP BY with a conditional count per stage, the merge of months into
quarters and the disclosure control: everything the pages and exports do
except the medians) against one hand-written SQL statement returning the same
counts, and checks that both give the same totals. Each is run
``BENCH_REFERRALS_RUNS`` times (default 7) after one warm-up, interleaved
(SQL, funnel, SQL, ...); min and median are reported, with the ratio of
medians (goal: at most 1.5x). The full funnel with its two medians (two more
GROUP BY queries returning histograms) is timed too, for information.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import common, pgdb

PG_PREFIX = "vigil_referrals_bench"
TITLE = "Referral funnel"
ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("BENCH_REFERRALS_N", "100000"))
DATABASES = [
    x for x in os.environ.get("BENCH_REFERRALS_DATABASES", "sqlite,postgres").split(",") if x
]
PG_URL = os.environ.get(
    "BENCH_REFERRALS_PG_URL", "postgres://postgres@127.0.0.1:5432/vigil_referrals_bench"
)
RUNS = int(os.environ.get("BENCH_REFERRALS_RUNS", "7"))
GOAL = 1.5
BATCH = 5000

# (label, breakdown, hand SQL group columns for sqlite, for postgres)
CASES = [
    ("Whole funnel (no breakdown)", (), [], []),
    (
        "By quarter",
        ("quarter",),
        ["date(referred_on, 'start of month')"],
        ["DATE_TRUNC('month', referred_on)::date"],
    ),
    (
        "By quarter and district (police liaison page)",
        ("quarter", "district"),
        ["date(referred_on, 'start of month')", "region", "district"],
        ["DATE_TRUNC('month', referred_on)::date", "region", "district"],
    ),
    ("By programme and route", ("programme", "route"), ["programme_id", "route"], None),
]

STAGE_SQL = """
    COUNT(*) AS referred,
    COUNT(*) FILTER (WHERE contacted_at IS NOT NULL) AS contacted,
    COUNT(*) FILTER (WHERE assessed_at IS NOT NULL) AS assessed,
    COUNT(*) FILTER (WHERE admitted_on IS NOT NULL AND service_kind = 'ost') AS admitted_ost,
    COUNT(*) FILTER (WHERE admitted_on IS NOT NULL AND NOT service_kind = 'ost') AS admitted_other,
    COUNT(*) FILTER (WHERE retained_30) AS retained_30,
    COUNT(*) FILTER (WHERE retained_90) AS retained_90
"""


def run() -> common.Report:
    report = common.Report(group="referrals", title=TITLE)
    results: dict[str, Any] = {}
    for name in DATABASES:
        url = None if name == "sqlite" else PG_URL
        if url is not None and not pgdb.reachable(url):
            common.progress(f"referrals: PostgreSQL at {urlsplit(url).hostname} unreachable")
            continue
        results[name] = _run_worker(name, url)
        _table(report, results[name])
    report.data = results
    return report


def _run_worker(name: str, url: str | None) -> dict[str, Any]:
    common.progress(f"referrals: {name} worker, {N:,} referrals")
    return common.run_worker("bench.referrals", name, url)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _table(report: common.Report, result: dict[str, Any]) -> None:
    table = common.Table(
        f"{result['database']}: {result['n']:,} referrals, {RUNS} interleaved runs after 1 "
        f"warm-up each (load average {result.get('load_average', 'not recorded')})",
        [
            "Funnel",
            "groups",
            "hand SQL min",
            "hand SQL median",
            "funnel() min",
            "funnel() median",
            "ratio (medians; per-run range)",
            "ratio (mins)",
            "with medians, median",
        ],
        note=(
            f"Generation of {result['n']:,} referrals: {result['generate_seconds']:.1f} s. "
            f"Goal: funnel() within {GOAL}x of the hand-written SQL. Counts checked equal."
        ),
    )
    for case in result["cases"]:
        table.add(
            case["label"],
            f"{case['groups']:,}",
            _ms(case["sql"]["min"]),
            _ms(case["sql"]["median"]),
            _ms(case["orm"]["min"]),
            _ms(case["orm"]["median"]),
            common.fmt_paired_ratio(case["pair"]),
            common.fmt_ratio(case["orm"]["min"] / case["sql"]["min"]),
            _ms(case["full"]["median"]),
        )
    report.tables.append(table)


# --- worker ----------------------------------------------------------------------------


def _say(name: str, message: str) -> None:
    common.progress(f"referrals/{name}: {message}")


def worker(name: str) -> dict[str, Any]:
    url = common.worker_database(PG_PREFIX)
    from django.db import connection

    vendor = connection.vendor
    label = common.db_label(connection)
    organisation_id, seconds = _generate(name)
    cases = [_measure(name, vendor, organisation_id, case) for case in CASES]
    if url.startswith("postgres"):
        connection.close()
        pgdb.drop(url, PG_PREFIX)
    return {
        "database": label,
        "n": N,
        "generate_seconds": seconds,
        "cases": cases,
        "load_average": common.load_average(),
    }


def _generate(name: str) -> tuple[int, float]:
    import time

    from django.db import connection, transaction
    from django.utils import timezone

    from vigil.accounts import actions as account_actions
    from vigil.referrals.models import HealthService, Need, Programme, Referral, Route

    start = time.perf_counter()
    created = account_actions.create_organisation(
        None, name="Bench", slug="bench-referrals", country="UA", languages=["uk"]
    )
    organisation = created.organisation
    ost = HealthService.objects.create(organisation=organisation, name="OST", kind=Need.OST)
    nsp = HealthService.objects.create(organisation=organisation, name="NSP", kind=Need.NSP)
    programmes = [
        Programme.objects.create(
            organisation=organisation,
            name=f"Programme {i}",
            starts_on=datetime.date(2021, 1, 1),
            routes=[r.value for r in Route],
        )
        for i in range(3)
    ]
    rng = random.Random(5)  # noqa: S311 - benchmark data, not secrets
    districts = [("UA-30", f"District {i}") for i in range(8)] + [
        ("UA-46", f"Lviv {i}") for i in range(4)
    ]
    routes = [r.value for r in Route]
    first = datetime.date(2021, 1, 1)
    made = 0
    while made < N:
        rows = []
        for _ in range(min(BATCH, N - made)):
            day = first + datetime.timedelta(days=rng.randrange(1826))
            called = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
            region, district = rng.choice(districts)
            contacted = rng.random() < 0.8
            assessed = contacted and rng.random() < 0.85
            admitted = assessed and rng.random() < 0.6
            service = ost if rng.random() < 0.8 else nsp
            retained_30 = admitted and rng.random() < 0.8
            rows.append(
                Referral(
                    organisation=organisation,
                    programme=rng.choice(programmes),
                    code=f"{made + len(rows):08d}",
                    route=rng.choice(routes),
                    referred_on=day,
                    referred_hour=12,
                    region=region,
                    district=district,
                    reasons=["possession"],
                    contact_agreed=True,
                    created_at=called,
                    arrived_at=called + datetime.timedelta(minutes=rng.randint(10, 90))
                    if contacted
                    else None,
                    contacted_at=called if contacted else None,
                    assessed_at=called if assessed else None,
                    service=service if admitted else None,
                    service_kind=service.kind if admitted else "",
                    admitted_on=day + datetime.timedelta(days=rng.randint(1, 20))
                    if admitted
                    else None,
                    retained_30=retained_30 if admitted else None,
                    retained_90=(retained_30 and rng.random() < 0.8) if admitted else None,
                )
            )
        with transaction.atomic():
            Referral.objects.bulk_create(rows)
        made += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - start
    _say(name, f"generated {N:,} referrals in {seconds:.1f} s")
    return organisation.pk, seconds


def _hand_sql(vendor: str, organisation_id: int, columns: list[str]) -> list[tuple[Any, ...]]:
    from django.db import connection

    group = ", ".join(columns)
    select = f"{group}, {STAGE_SQL}" if columns else STAGE_SQL
    sql = f"SELECT {select} FROM referrals_referral WHERE organisation_id = %s"  # noqa: S608 - constant columns
    if columns:
        sql += f" GROUP BY {group}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation_id])
        return cursor.fetchall()


def _measure(name: str, vendor: str, organisation_id: int, case: Any) -> dict[str, Any]:
    from vigil.referrals import funnel

    label, by, sqlite_columns, pg_columns = case
    columns = sqlite_columns if vendor == "sqlite" or pg_columns is None else pg_columns
    filters = funnel.FunnelFilters((organisation_id,))

    def orm() -> funnel.Funnel:
        return funnel.funnel(filters, by, threshold=5, with_medians=False)

    def sql() -> list[tuple[Any, ...]]:
        return _hand_sql(vendor, organisation_id, columns)

    def full() -> funnel.Funnel:
        return funnel.funnel(filters, by, threshold=5)

    result, rows = orm(), sql()
    width = len(columns)
    totals = [sum(int(row[width + j]) for row in rows) for j in range(len(funnel.STAGES))]
    raw_total = funnel.funnel(filters, by, threshold=0, with_medians=False).total.counts
    assert totals == raw_total, (label, totals, raw_total)
    # Interleaved, so that load from other processes falls on both alike.
    times = common.interleave({"sql": sql, "orm": orm}, RUNS)
    sql_times, orm_times = times["sql"], times["orm"]
    full_times = common.sample(full, max(3, RUNS // 2))
    pair = common.paired(orm_times, sql_times)
    ratio = pair["ratio"]
    _say(name, f"{label}: ratio {common.fmt_paired_ratio(pair)}")
    return {
        "pair": pair,
        "label": label,
        "groups": max(len(result.rows), 1),
        "sql_rows": len(rows),
        "sql": common.summary(sql_times),
        "orm": common.summary(orm_times),
        "full": common.summary(full_times),
        "ratio": ratio,
    }


def main(argv: list[str] | None = None) -> int:
    return common.worker_main("referrals", worker, argv)


if __name__ == "__main__":
    sys.exit(main())
