"""Statistics group: the dashboard against hand-written SQL, and the exports.

For SQLite and then PostgreSQL this group builds a throw-away installation in
a subprocess of its own (``python -m bench.stats --worker``: a temporary
``VIGIL_VAR_DIR`` and SQLite file, or the database ``vigil_report_bench``
dropped and created here; ``migrate``). It generates, with one
``INSERT ... SELECT`` per table (``generate_series`` on PostgreSQL, a
recursive CTE on SQLite), 1,000,000 acts in 400,000 incidents of two
organisations, with victims, perpetrators, cases, case links and
interventions: clear columns with real vocabulary terms, no sealed content
(the statistics never read it).

It then signs an analyst in through the real views (password, then a TOTP
code) and, alternating in the same run, times

* a full dashboard load (``GET /stats/``: the page's default, acts by month,
  act type, perpetrator type and region, key figures and response figures),
  through every middleware with the Django test client; and
* the raw SQL GROUP BY queries that page needs, written by hand below and
  executed with ``connection.cursor()``; their results are checked against the
  aggregation module's raw counts.

The goal is a dashboard at most 1.5 times the raw queries; the two alternate
(dashboard, raw, dashboard, raw ...) after one warm-up each, and the ratio of
medians is reported with the range of the per-repetition ratios. Exports: a
month x detailed act type table as CSV and XLSX through the views (the live
aggregation: this group never builds roll-ups), each alternating with its
baseline, the hand-written GROUP BY of the same table written by the same
writer; records per second and peak traced memory. Last, the two writers
alone on 1,000,000 synthetic rows (CSV, alternating with the standard
library's ``csv.writer`` on the same rows) and 200,000 (XLSX), 3 repetitions.

``BENCH_STATS_ACTS`` (default 1,000,000) sets the size, ``BENCH_STATS_DATABASES``
(default ``sqlite,postgres``) the databases and ``BENCH_STATS_PG_URL`` the
PostgreSQL database (its name must start with ``vigil_report_bench``: it is
dropped and created again). ``BENCH_STATS_KEEP=1`` keeps it (and
``BENCH_STATS_SQLITE=path`` keeps the SQLite file) and a later run reuses the
data when the counts match.
"""

# ruff: noqa: S608 - every SQL string in this file is a constant of the benchmark, no input
from __future__ import annotations

import os
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import common, pgdb

PG_PREFIX = "vigil_report_bench"

TITLE = "Statistics"

ROOT = Path(__file__).resolve().parent.parent
ACTS = int(os.environ.get("BENCH_STATS_ACTS", "1000000"))
DATABASES = [x for x in os.environ.get("BENCH_STATS_DATABASES", "sqlite,postgres").split(",") if x]
PG_URL = os.environ.get(
    "BENCH_STATS_PG_URL", "postgres://postgres@127.0.0.1:5432/vigil_report_bench"
)
KEEP = os.environ.get("BENCH_STATS_KEEP", "") == "1"
RUNS = int(os.environ.get("BENCH_STATS_RUNS", "7"))
EXPORT_RUNS = int(os.environ.get("BENCH_STATS_EXPORT_RUNS", "3"))
WRITER_RUNS = 3
WARMUP = 1
SLUG = "bench-stats"
GOAL = 1.5

# Shape of the generated data, per act.
EVENTS_PER_ACT = 0.4
PEOPLE_PER_ACT = 0.3
PERPETRATORS_PER_ACT = 0.5
CASES_PER_ACT = 0.12
INTERVENTIONS_PER_ACT = 0.2
DAYS = 1826  # 2021-01-01 .. 2025-12-31

EXPORT_QUERY = "rows=month&columns=act_type&depth=detail&unit=acts"
CSV_WRITER_ROWS = 1_000_000
XLSX_WRITER_ROWS = 200_000


# --- parent: one worker per database, then the tables ------------------------------------


def run() -> common.Report:
    report = common.Report(group="stats", title=TITLE)
    results: dict[str, Any] = {}
    for name in DATABASES:
        url = None if name == "sqlite" else PG_URL
        if url is not None and not pgdb.reachable(url):
            common.progress(f"stats: PostgreSQL at {urlsplit(url).hostname} unreachable; skipped")
            continue
        results[name] = _run_worker(name, url)
        _tables(report, results[name])
    common.setup_django()
    results["writers"] = _writers()
    _writer_table(report, results["writers"])
    report.data = results
    return report


def _run_worker(name: str, url: str | None) -> dict[str, Any]:
    common.progress(f"stats: {name} worker, {ACTS:,} acts")
    keep = os.environ.get("BENCH_STATS_SQLITE")
    extra = {"DATABASE_URL": f"sqlite:///{keep}"} if keep and url is None else {}
    return common.run_worker("bench.stats", name, url, **extra)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _mib(size: float) -> str:
    return f"{size / 2**20:,.1f} MiB"


def _tables(report: common.Report, result: dict[str, Any]) -> None:
    database = result["database"]
    counts = result["counts"]
    generation = common.Table(
        f"{database}: generated data",
        ["Table", "rows"],
        note=(
            f"Generated with INSERT ... SELECT in {result['generate_seconds']:.1f} s (then "
            f"ANALYZE, {result['analyze_seconds']:.1f} s). Counted by the statistics: "
            f"{result['counted']['incidents']:,} incidents, {result['counted']['acts']:,} acts, "
            f"{result['counted']['victims']:,} victims (recorded, with consent, the benchmark "
            "organisation only)."
        ),
    )
    for table, n in counts.items():
        generation.add(table, f"{n:,}")
    report.tables.append(generation)

    dash = result["dashboard"]
    raw = result["raw"]
    pair = result["dashboard_pair"]
    verdict = "met" if pair["ratio"] <= GOAL else "missed"
    comparison = common.Table(
        f"{database}: full dashboard load against its raw GROUP BY queries "
        f"({RUNS} alternating runs after {WARMUP}; load average {result['load_average']})",
        ["Measure", "median", "p95", "min", "queries", "SQL time"],
        note=(
            f"Ratio of medians: {common.fmt_paired_ratio(pair)} (range of the per-repetition "
            f"ratios in brackets; goal at most {GOAL}x: {verdict}). The dashboard "
            "row is GET /stats/ as a signed-in analyst through every middleware (session, OTP, "
            "membership), page rendering included; SQL time is the sum of its queries' "
            "durations in one load (CaptureQueriesContext). The raw row runs the hand-written "
            f"queries below one after the other. Raw results equal the aggregation module's "
            f"counts: {'yes' if result['raw_equal'] else 'NO'}."
        ),
    )
    comparison.add(
        "dashboard (GET /stats/)",
        _ms(dash["median"]),
        _ms(dash["p95"]),
        _ms(dash["min"]),
        str(dash["queries"]),
        _ms(dash["sql_seconds"]),
    )
    comparison.add(
        "raw SQL, all queries",
        _ms(raw["median"]),
        _ms(raw["p95"]),
        _ms(raw["min"]),
        str(len(raw["queries"])),
        _ms(raw["median"]),
    )
    report.tables.append(comparison)

    per_query = common.Table(
        f"{database}: the raw queries (median of {RUNS})",
        ["Query", "median"],
    )
    for label, seconds in raw["queries"].items():
        per_query.add(label, _ms(seconds))
    report.tables.append(per_query)

    exports = common.Table(
        f"{database}: exports through the views ({EXPORT_QUERY}) against the hand-written "
        f"GROUP BY through the same writer ({EXPORT_RUNS} alternating runs after 1)",
        [
            "Format",
            "records",
            "view min / median",
            "records/s (view)",
            "baseline min / median",
            "ratio view / baseline (range)",
            "peak traced memory",
        ],
        note=(
            "Records: data rows of the long-format table (totals included). The view's time "
            "includes the aggregation queries (live: this group builds no roll-ups) and "
            "reading the whole response, redirects followed like a browser "
            f"({result['export_redirects']} were needed). Baseline: one hand-written GROUP BY "
            "(month x act type) and its row and grand totals, written by the same "
            "vigil.stats.exports writer. Peak memory is tracemalloc's peak over one more "
            "download (Python allocations only)."
        ),
    )
    for fmt, row in result["exports"].items():
        p = row["pair"]
        exports.add(
            fmt.upper(),
            f"{row['records']:,}",
            common.fmt_min_median(p["measured"]),
            common.fmt_rate(row["records"] / p["measured"]["median"]),
            common.fmt_min_median(p["baseline"]),
            common.fmt_paired_ratio(p),
            _mib(row["peak_bytes"]),
        )
    report.tables.append(exports)


def _writer_table(report: common.Report, writers: dict[str, Any]) -> None:
    table = common.Table(
        "Export writers alone (vigil.stats.exports), synthetic long-format rows "
        f"({WRITER_RUNS} alternating runs after 1; load average {writers['load_average']})",
        ["Writer", "rows", "min / median", "rows/s (median)", "peak traced memory", "output"],
        note=(
            "Rows like an export's (code, label, code, label, value). CSV: csv_chunks consumed "
            "as a response would be; its baseline, the standard library's csv.writer on the "
            f"same rows into a discarded buffer: {common.fmt_paired_ratio(writers['csv_pair'])} "
            "(ratio of medians, per-repetition range). XLSX: openpyxl write-only workbook to a "
            "temporary file. Time without tracemalloc; peak memory from one more run under "
            "tracemalloc."
        ),
    )
    for name, row in writers["writers"].items():
        table.add(
            name,
            f"{row['rows']:,}",
            common.fmt_min_median(row["seconds"], _s),
            common.fmt_rate(row["rows"] / row["seconds"]["median"]),
            _mib(row["peak_bytes"]) if "peak_bytes" in row else "",
            _mib(row["output_bytes"]),
        )
    report.tables.append(table)


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _synthetic(n: int) -> Iterator[list[Any]]:
    for i in range(n):
        yield [f"2025-{i % 12 + 1:02d}", "Month label", f"ACT.CODE.{i % 44}", "Act label", i % 97]


def _writers() -> dict[str, Any]:
    import csv

    from vigil.stats import exports

    header = ["month_code", "Month", "act_type_code", "Act type", "Acts"]
    output: dict[str, int] = {}

    class _Sink:
        def __init__(self) -> None:
            self.size = 0

        def write(self, text: str) -> None:
            self.size += len(text.encode())

    def csv_run(n: int = CSV_WRITER_ROWS) -> int:
        output["CSV (csv_chunks, consumed as a response)"] = size = sum(
            len(chunk) for chunk in exports.csv_chunks(header, _synthetic(n))
        )
        return size

    def stdlib_run(n: int = CSV_WRITER_ROWS) -> int:
        sink = _Sink()
        writer = csv.writer(sink)
        writer.writerow(header)
        for row in _synthetic(n):
            writer.writerow(row)
        output["CSV baseline (stdlib csv.writer)"] = sink.size
        return sink.size

    def xlsx_run(n: int = XLSX_WRITER_ROWS) -> int:
        handle = exports.xlsx_file(header, _synthetic(n), title="Bench")
        handle.seek(0, os.SEEK_END)
        output["XLSX (openpyxl write-only, temporary file)"] = size = handle.tell()
        handle.close()
        return size

    fns = {
        "CSV (csv_chunks, consumed as a response)": (csv_run, CSV_WRITER_ROWS),
        "CSV baseline (stdlib csv.writer)": (stdlib_run, CSV_WRITER_ROWS),
        "XLSX (openpyxl write-only, temporary file)": (xlsx_run, XLSX_WRITER_ROWS),
    }
    common.progress(f"stats: writers, {WRITER_RUNS} alternating runs")
    times = common.interleave({label: fn for label, (fn, _n) in fns.items()}, WRITER_RUNS)
    results: dict[str, Any] = {}
    for label, (fn, n) in fns.items():
        results[label] = {"rows": n, "seconds": common.summary(times[label])}
        results[label]["output_bytes"] = output[label]
        if "baseline" not in label:
            tracemalloc.start()
            fn()
            results[label]["peak_bytes"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    labels = list(fns)
    return {
        "writers": results,
        "csv_pair": common.paired(times[labels[0]], times[labels[1]]),
        "load_average": common.load_average(),
    }


# --- worker: one database -------------------------------------------------------------------


def _say(name: str, message: str) -> None:
    common.progress(f"stats/{name}: {message}")


def worker(name: str) -> dict[str, Any]:
    url = common.worker_database(PG_PREFIX, keep_existing=KEEP)
    from django.db import connection

    label = common.db_label(connection)
    world = _setup()
    generated = _generate(name, world)
    result: dict[str, Any] = {"database": label, **generated}
    client = common.sign_in(world["user"], world["device"])
    result["counted"], result["raw_equal"] = _check(world)
    result["dashboard"], result["raw"], result["dashboard_pair"] = _compare(name, world, client)
    result["exports"], result["export_redirects"] = _exports(name, world, client)
    result["load_average"] = common.load_average()
    if url.startswith("postgres") and not KEEP:
        connection.close()
        pgdb.drop(url, PG_PREFIX)
    return result


def _setup() -> dict[str, Any]:
    """The benchmark organisation (and a second one whose rows must not count), an analyst."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vigil.accounts import actions
    from vigil.accounts.models import Membership, Organisation

    existing = Organisation.objects.filter(slug=SLUG).first()
    if existing is not None:  # a kept database: reuse its people
        membership = Membership.objects.select_related("user").get(
            organisation=existing, role="analyst"
        )
        device = TOTPDevice.objects.get(user=membership.user)
        other = Organisation.objects.get(slug=f"{SLUG}-other")
        return {"org": existing, "other": other, "user": membership.user, "device": device}
    created = actions.create_organisation(
        None, name="Bench statistics", slug=SLUG, country="UA", languages=["uk", "ru", "en"]
    )
    other = actions.create_organisation(
        None, name="Other", slug=f"{SLUG}-other", country="UA", languages=["uk"]
    )
    user, device = common.staff_member(created.organisation, "bench-analyst", "analyst")
    return {
        "org": created.organisation,
        "other": other.organisation,
        "user": user,
        "device": device,
    }


# --- data generation --------------------------------------------------------------------------


class Sql:
    """The few expressions that differ between PostgreSQL and SQLite."""

    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def insert(self, table: str, columns: list[str], exprs: list[str], n: int) -> str:
        cols = ", ".join(columns)
        select = ", ".join(exprs)
        if self.pg:
            return (
                f"INSERT INTO {table} ({cols}) SELECT {select} "
                f"FROM generate_series(1::bigint, {n}::bigint) AS s(i)"
            )
        return (
            f"INSERT INTO {table} ({cols}) WITH RECURSIVE s(i) AS "
            f"(SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT {select} FROM s"
        )

    def day(self, offset: str) -> str:
        if self.pg:
            return f"(DATE '2021-01-01' + ({offset})::int)"
        return f"date('2021-01-01', '+' || ({offset}) || ' days')"

    def moment(self, offset: str) -> str:
        if self.pg:
            return f"((DATE '2021-01-01' + ({offset})::int)::timestamp AT TIME ZONE 'UTC')"
        return f"datetime('2021-01-01', '+' || ({offset}) || ' days')"

    def plus_days(self, day: str, offset: str) -> str:
        if self.pg:
            return f"({day} + ({offset})::int)"
        return f"date({day}, '+' || ({offset}) || ' days')"

    def now(self) -> str:
        return "now()" if self.pg else "datetime('now')"

    def true(self, condition: str) -> str:
        return f"({condition})"


def _pick(values: list[Any], expr: str) -> str:
    """A deterministic choice among ``values`` driven by an integer expression."""
    whens = " ".join(
        f"WHEN {k} THEN {v if isinstance(v, int) else repr(v)}" for k, v in enumerate(values)
    )
    return f"(CASE (({expr}) % {len(values)}) {whens} END)"


def _terms(term_list: str, *, leaves: bool = True) -> list[int]:
    from vigil.vocab.models import Term

    qs = Term.objects.filter(list=term_list, organisation__isnull=True)
    if leaves:
        qs = qs.filter(children__isnull=True)
    return list(qs.order_by("code").values_list("pk", flat=True))


def _sizes() -> dict[str, int]:
    return {
        "acts": ACTS,
        "events": int(ACTS * EVENTS_PER_ACT),
        "people": int(ACTS * PEOPLE_PER_ACT),
        "perpetrators": int(ACTS * PERPETRATORS_PER_ACT),
        "cases": int(ACTS * CASES_PER_ACT),
        "interventions": int(ACTS * INTERVENTIONS_PER_ACT),
    }


def _counts() -> dict[str, int]:
    from vigil.cases.models import Case, Intervention
    from vigil.incidents.models import Act, Event, Perpetrator, Person

    return {
        "incidents_event": Event.objects.count(),
        "incidents_act": Act.objects.count(),
        "incidents_person": Person.objects.count(),
        "incidents_perpetrator": Perpetrator.objects.count(),
        "cases_case": Case.objects.count(),
        "cases_case_incidents": Case.incidents.through.objects.count(),
        "cases_intervention": Intervention.objects.count(),
    }


def _generate(name: str, world: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection, transaction

    from vigil.incidents import regions

    size = _sizes()
    counts = _counts()
    if counts["incidents_act"] == size["acts"] and counts["incidents_event"] == size["events"]:
        _say(name, "data already there (kept database); not generated again")
        return {"counts": counts, "generate_seconds": 0.0, "analyze_seconds": 0.0}
    if counts["incidents_act"]:
        raise SystemExit("the kept database holds other data; drop it first")
    sql = Sql(connection.vendor)
    org, other, user = world["org"].pk, world["other"].pk, world["user"].pk
    e, p, c = size["events"], size["people"], size["cases"]
    region_codes = [code for code, _label in regions.choices("UA")]
    # Skewed towards recent days: 1825 minus the product of two uniform draws.
    day = f"({DAYS - 1} - ((i * 37) % {DAYS}) * ((i * 11) % {DAYS}) / {DAYS})"
    statements = [
        (
            "incidents_event",
            sql.insert(
                "incidents_event",
                [
                    "id",
                    "organisation_id",
                    "number",
                    "status",
                    "wizard_step",
                    "start_date",
                    "start_precision",
                    "country",
                    "region",
                    "place_type_id",
                    "source_channel",
                    "stats_consent",
                    "created_at",
                    "updated_at",
                ],
                [
                    "i",
                    f"CASE WHEN i % 10 = 0 THEN {other} ELSE {org} END",
                    "i",
                    "CASE WHEN i % 20 = 3 THEN 'draft' ELSE 'recorded' END",
                    "'done'",
                    sql.day(day),
                    "'exact'",
                    "'UA'",
                    _pick(region_codes, "i * 13 + i / 101"),
                    _pick(_terms("place_type"), "i * 17 + i / 7"),
                    _pick(["outreach", "outreach", "hotline", "web", "partner"], "i * 19"),
                    sql.true("i % 7 <> 5"),
                    sql.moment(f"{day} + i % 5"),
                    sql.moment(f"{day} + i % 5"),
                ],
                e,
            ),
        ),
        (
            "incidents_person",
            sql.insert(
                "incidents_person",
                [
                    "id",
                    "organisation_id",
                    "pseudonym",
                    "name_bidx",
                    "phone_bidx",
                    "sex",
                    "age_band",
                    "primary_group_id",
                    "created_at",
                ],
                [
                    "i",
                    str(org),
                    "'P' || i",
                    "''",
                    "''",
                    "'f'",
                    _pick(["18-24", "25-34", "25-34", "35-44", "35-44", "45-54", ""], "i * 3"),
                    _pick(_terms("characteristic", leaves=False), "i * 7 + i / 13"),
                    sql.now(),
                ],
                p,
            ),
        ),
        (
            "incidents_act",
            sql.insert(
                "incidents_act",
                ["id", "event_id", "victim_id", "act_type_id"],
                [
                    "i",
                    f"(i * 7) % {e} + 1",
                    # Two victims per incident at most, spread over the people.
                    f"((((i * 7) % {e}) * 2654435761) % 1000003 + (i % 2) * 7) % {p} + 1",
                    _pick(_terms("act_type"), "i * 31 + (i / 3) * (i % 5)"),
                ],
                size["acts"],
            ),
        ),
        (
            "incidents_perpetrator",
            sql.insert(
                "incidents_perpetrator",
                [
                    "id",
                    "event_id",
                    "perpetrator_type_id",
                    "name_bidx",
                    "badge_bidx",
                    "plate_bidx",
                    "phone_bidx",
                ],
                [
                    "i",
                    f"(i * 3) % {e} + 1",
                    _pick(_terms("perpetrator_type"), "i * 23 + i / 11"),
                    "''",
                    "''",
                    "''",
                    "''",
                ],
                size["perpetrators"],
            ),
        ),
        (
            "cases_case",
            sql.insert(
                "cases_case",
                [
                    "id",
                    "organisation_id",
                    "number",
                    "client_id",
                    "status",
                    "closure_checklist",
                    "outcome_id",
                    "opened_at",
                    "updated_at",
                ],
                [
                    "i",
                    str(org),
                    "i",
                    f"(i * 17) % {p} + 1",
                    "'active'",
                    "'{}'",
                    f"CASE WHEN i % 3 = 0 THEN {_pick(_terms('case_outcome'), 'i / 3')} END",
                    sql.now(),
                    sql.now(),
                ],
                c,
            ),
        ),
        (
            "cases_case_incidents",
            sql.insert(
                "cases_case_incidents",
                ["id", "case_id", "event_id"],
                ["i", "i", f"(i * 3) % {e} + 1"],
                c,
            ),
        ),
    ]
    intervention_types = _terms("intervention_type")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, statement in statements:
            step = time.perf_counter()
            cursor.execute(statement)
            _say(name, f"{table}: {cursor.rowcount:,} rows in {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()
        cursor.execute(_interventions(sql, size, intervention_types, user))
        _say(
            name,
            f"cases_intervention: {cursor.rowcount:,} rows in {time.perf_counter() - step:.1f} s",
        )
        if sql.pg:
            for table in [t for t, _s in statements] + ["cases_intervention"]:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
    generate_seconds = time.perf_counter() - started
    step = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if sql.pg else "ANALYZE")
    analyze_seconds = time.perf_counter() - step
    _say(name, f"generated in {generate_seconds:.1f} s, analysed in {analyze_seconds:.1f} s")
    return {
        "counts": _counts(),
        "generate_seconds": generate_seconds,
        "analyze_seconds": analyze_seconds,
    }


def _interventions(sql: Sql, size: dict[str, int], types: list[int], user: int) -> str:
    """Interventions 0 to 39 days after their case's incident (the response figures)."""
    n, c = size["interventions"], size["cases"]
    date = sql.plus_days("e.start_date", "s.i % 40")
    columns = "id, case_id, intervention_type_id, date, by_id, created_at"
    select = f"s.i, ci.case_id, {_pick(types, 's.i * 29 + s.i / 17')}, {date}, {user}, {sql.now()}"
    join = (
        f"JOIN cases_case_incidents ci ON ci.id = (s.i % {c}) + 1 "
        "JOIN incidents_event e ON e.id = ci.event_id"
    )
    if sql.pg:
        return (
            f"INSERT INTO cases_intervention ({columns}) SELECT {select} "
            f"FROM generate_series(1::bigint, {n}::bigint) AS s(i) {join}"
        )
    return (
        f"INSERT INTO cases_intervention ({columns}) WITH RECURSIVE s(i) AS "
        f"(SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT {select} FROM s {join}"
    )


# --- the raw queries the dashboard needs ----------------------------------------------------------

COUNTED = "e.organisation_id = %s AND e.status = 'recorded' AND e.stats_consent = %s"
LEGAL = ("INTV.LEGAL_ADVICE", "INTV.COMPLAINT", "INTV.LITIGATION")
TOP = "COALESCE(pt.parent_id, t.parent_id, t.id)"  # the top-level term of t


def raw_queries(vendor: str, org: int) -> list[tuple[str, str, list[Any]]]:
    """(label, SQL, params): what GET /stats/ needs, written by hand.

    Acts by a column of the act or its incident need COUNT(*) (one row per act);
    dimensions reached through a one-to-many join (perpetrators, interventions)
    need COUNT(DISTINCT). The top-level term is COALESCE(grandparent, parent, self):
    the lists have at most three levels.
    """
    pg = vendor == "postgresql"
    month = "date_trunc('month', e.start_date)" if pg else "strftime('%%Y-%%m', e.start_date)"
    delta = (
        "f.first - COALESCE(e.start_date, (e.created_at AT TIME ZONE 'UTC')::date)"
        if pg
        else "CAST(julianday(f.first) - julianday(COALESCE(e.start_date, date(e.created_at))) "
        "AS INTEGER)"
    )
    base = [org, True]
    acts = f"FROM incidents_act a JOIN incidents_event e ON e.id = a.event_id WHERE {COUNTED}"
    first = (
        "(SELECT ci.event_id, MIN(i.date) AS first FROM cases_case_incidents ci "
        "JOIN cases_intervention i ON i.case_id = ci.case_id GROUP BY ci.event_id) f"
    )
    legal_in = ", ".join(["%s"] * len(LEGAL))
    return [
        (
            "key figures: incidents",
            f"SELECT COUNT(*) FROM incidents_event e WHERE {COUNTED}",
            base,
        ),
        (
            "key figures: acts and victims",
            f"SELECT COUNT(*), COUNT(DISTINCT a.victim_id) {acts}",
            base,
        ),
        ("acts by month", f"SELECT {month} AS m, COUNT(*) {acts} GROUP BY m", base),
        (
            "acts by act type (top level)",
            f"SELECT {TOP} AS k, COUNT(*) FROM incidents_act a "
            "JOIN incidents_event e ON e.id = a.event_id "
            "JOIN vocab_term t ON t.id = a.act_type_id "
            f"LEFT JOIN vocab_term pt ON pt.id = t.parent_id WHERE {COUNTED} GROUP BY k",
            base,
        ),
        (
            "acts by perpetrator type (top level)",
            f"SELECT {TOP} AS k, COUNT(DISTINCT a.id) FROM incidents_act a "
            "JOIN incidents_event e ON e.id = a.event_id "
            "LEFT JOIN incidents_perpetrator p ON p.event_id = e.id "
            "LEFT JOIN vocab_term t ON t.id = p.perpetrator_type_id "
            f"LEFT JOIN vocab_term pt ON pt.id = t.parent_id WHERE {COUNTED} GROUP BY k",
            base,
        ),
        ("acts by region", f"SELECT e.region, COUNT(*) {acts} GROUP BY e.region", base),
        (
            "days to first contact (histogram)",
            f"SELECT {delta} AS delta, COUNT(*) FROM incidents_event e "
            f"JOIN {first} ON f.event_id = e.id WHERE {COUNTED} GROUP BY delta",
            base,
        ),
        (
            "cases with / without legal support",
            "SELECT EXISTS (SELECT 1 FROM cases_intervention i JOIN vocab_term t "
            f"ON t.id = i.intervention_type_id WHERE i.case_id = c.id AND t.code IN ({legal_in})) "
            "AS legal, COUNT(*) FROM cases_case c WHERE c.id IN (SELECT ci.case_id FROM "
            "cases_case_incidents ci JOIN incidents_event e ON e.id = ci.event_id "
            f"WHERE {COUNTED}) GROUP BY legal",
            [*LEGAL, *base],
        ),
        (
            "incidents by response type (top level)",
            f"SELECT {TOP} AS k, COUNT(DISTINCT e.id) FROM incidents_event e "
            "LEFT JOIN cases_case_incidents ci ON ci.event_id = e.id "
            "LEFT JOIN cases_intervention i ON i.case_id = ci.case_id "
            "LEFT JOIN vocab_term t ON t.id = i.intervention_type_id "
            f"LEFT JOIN vocab_term pt ON pt.id = t.parent_id WHERE {COUNTED} GROUP BY k",
            base,
        ),
        (
            "incidents by case outcome (top level)",
            f"SELECT {TOP} AS k, COUNT(DISTINCT e.id) FROM incidents_event e "
            "LEFT JOIN cases_case_incidents ci ON ci.event_id = e.id "
            "LEFT JOIN cases_case c ON c.id = ci.case_id "
            "LEFT JOIN vocab_term t ON t.id = c.outcome_id "
            f"LEFT JOIN vocab_term pt ON pt.id = t.parent_id WHERE {COUNTED} GROUP BY k",
            base,
        ),
    ]


def _run_raw(queries: list[tuple[str, str, list[Any]]]) -> dict[str, list[tuple]]:
    from django.db import connection

    results = {}
    with connection.cursor() as cursor:
        for label, statement, params in queries:
            cursor.execute(statement, params)
            results[label] = cursor.fetchall()
    return results


def _check(world: dict[str, Any]) -> tuple[dict[str, int], bool]:
    """Raw results equal the aggregation module's raw counts (same numbers, same keys)."""
    import datetime

    from django.db import connection

    from vigil.stats import aggregate
    from vigil.stats.aggregate import Dim, Filters, Group, Scope, Unit

    scope = Scope.for_organisation(world["org"])
    raw = _run_raw(raw_queries(connection.vendor, world["org"].pk))

    def month_key(value: Any) -> str:
        if isinstance(value, datetime.date | datetime.datetime):
            return value.isoformat()[:7]
        return str(value)

    def module(unit: Unit, dim: Dim) -> dict[Any, int]:
        table = aggregate.count(scope, unit, Group(dim, 0))
        return {k: n for (k, _c), n in table.cells.items() if n}

    checks: list[tuple[Any, Any]] = [
        (
            {month_key(k): n for k, n in raw["acts by month"]},
            {month_key(k): n for k, n in module(Unit.ACTS, Dim.MONTH).items()},
        ),
        (dict(raw["acts by act type (top level)"]), module(Unit.ACTS, Dim.ACT_TYPE)),
        (
            dict(raw["acts by perpetrator type (top level)"]),
            module(Unit.ACTS, Dim.PERPETRATOR_TYPE),
        ),
        (dict(raw["acts by region"]), module(Unit.ACTS, Dim.REGION)),
        (
            dict(raw["incidents by case outcome (top level)"]),
            module(Unit.INCIDENTS, Dim.CASE_OUTCOME),
        ),
    ]
    incidents = raw["key figures: incidents"][0][0]
    acts, victims = raw["key figures: acts and victims"][0]
    counted = {"incidents": incidents, "acts": acts, "victims": victims}
    figures = aggregate.key_figures(scope)
    checks.append(
        (
            [incidents, acts, victims],
            [figures[Unit.INCIDENTS], figures[Unit.ACTS], figures[Unit.VICTIMS]],
        )
    )
    histogram = {int(k): n for k, n in raw["days to first contact (histogram)"]}
    checks.append((histogram, aggregate._contact_histogram(scope, Filters())))
    equal = all(a == b for a, b in checks)
    for a, b in checks:
        if a != b:
            common.progress(f"stats: MISMATCH raw {str(a)[:200]} != module {str(b)[:200]}")
    return counted, equal


def _compare(name: str, world: dict[str, Any], client: Any) -> tuple[dict, dict, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries = raw_queries(connection.vendor, world["org"].pk)

    def dashboard() -> None:
        common.browse(client, "GET", "/stats/")

    per_query: dict[str, list[float]] = {label: [] for label, _s, _p in queries}

    def raw() -> None:
        with connection.cursor() as cursor:
            for label, statement, params in queries:
                start = time.perf_counter()
                cursor.execute(statement, params)
                cursor.fetchall()
                per_query[label].append(time.perf_counter() - start)

    def say(index: int, last: dict[str, float]) -> None:
        if index == 0:  # the warm-up's per-query times are not kept
            for values in per_query.values():
                del values[0]
        _say(
            name,
            f"run {index + 1}/{RUNS}: dashboard {last['dashboard'] * 1000:,.0f} ms, "
            f"raw {last['raw'] * 1000:,.0f} ms",
        )

    times = common.interleave({"dashboard": dashboard, "raw": raw}, RUNS, WARMUP, on_run=say)
    with CaptureQueriesContext(connection) as captured:
        dashboard()
    dash = {
        **common.summary(times["dashboard"]),
        "queries": len(captured),
        "sql_seconds": sum(float(q["time"]) for q in captured.captured_queries),
    }
    raw_summary = {
        **common.summary(times["raw"]),
        "queries": {label: common.median(values) for label, values in per_query.items()},
    }
    return dash, raw_summary, common.paired(times["dashboard"], times["raw"])


def _export_baseline(world: dict[str, Any], fmt: str) -> Any:
    """The month x detailed act type table by hand: one GROUP BY, the row totals and the
    grand total in Python, written in long format by the export's own writer."""
    from django.db import connection

    from vigil.stats import exports

    pg = connection.vendor == "postgresql"
    month = "to_char(e.start_date, 'YYYY-MM')" if pg else "strftime('%%Y-%%m', e.start_date)"
    statement = (
        f"SELECT {month} AS m, a.act_type_id, COUNT(*) FROM incidents_act a "
        f"JOIN incidents_event e ON e.id = a.event_id WHERE {COUNTED} GROUP BY m, a.act_type_id"
    )
    header = ["month_code", "Month", "act_type_code", "Act type", "Acts"]

    def rows() -> Iterator[list[Any]]:
        with connection.cursor() as cursor:
            cursor.execute(statement, [world["org"].pk, True])
            cells = cursor.fetchall()
        totals: dict[str, int] = {}
        for m, act, n in sorted(cells, key=lambda c: (c[0], c[1])):
            totals[m] = totals.get(m, 0) + n
            yield [m, m, act, act, n]
        for m, n in totals.items():
            yield [m, m, "", "Total", n]
        yield ["", "Total", "", "Total", sum(totals.values())]

    def run() -> int:
        if fmt == "csv":
            return sum(len(chunk) for chunk in exports.csv_chunks(header, rows()))
        handle = exports.xlsx_file(header, rows(), title="Bench")
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.close()
        return size

    return run


def _exports(name: str, world: dict[str, Any], client: Any) -> tuple[dict[str, Any], int]:
    results = {}
    redirects = 0
    for fmt in ("csv", "xlsx"):
        url = f"/stats/export.{fmt}?{EXPORT_QUERY}"
        _response, followed = common.browse(client, "GET", url)
        redirects += followed
        records = _records(fmt)
        times = common.interleave(
            {
                "view": lambda url=url: common.browse(client, "GET", url),
                "baseline": _export_baseline(world, fmt),
            },
            EXPORT_RUNS,
        )
        tracemalloc.start()
        common.browse(client, "GET", url)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        pair = common.paired(times["view"], times["baseline"])
        results[fmt] = {"records": records, "pair": pair, "peak_bytes": peak}
        _say(
            name,
            f"export {fmt}: {records:,} records, view {pair['measured']['median'] * 1000:,.0f} "
            f"ms, ratio to baseline {common.fmt_paired_ratio(pair)}",
        )
    return results, redirects


def _records(fmt: str) -> int:
    """Data rows of the last download (the export's audit entry records them)."""
    from vigil.audit.models import AuditEvent

    entry = AuditEvent.objects.filter(action="stats.export", data__format=fmt).latest("seq")
    return int(entry.data["row_count"])


def main(argv: list[str] | None = None) -> int:
    return common.worker_main("stats", worker, argv)


if __name__ == "__main__":
    sys.exit(main())
