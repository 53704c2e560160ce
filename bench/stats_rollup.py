"""Statistics dashboard at scale: the same dashboard at 1,000,000 acts and at 10,000.

For SQLite and then PostgreSQL this group builds a throw-away installation in a
subprocess (``python -m bench.stats_rollup --worker``: a temporary SQLite file, or
the database ``vigil_bench_rollup`` dropped and created here; ``migrate``) holding
two organisations: *big* with ``BENCH_ROLLUP_ACTS`` acts (default 1,000,000) and
*small* with a hundredth of that, each with its incidents, victims, perpetrators,
cases and interventions, generated with one ``INSERT ... SELECT`` per table (no
action functions). ``manage.py rebuild_rollups`` then builds the roll-ups (timed).

An analyst of each organisation signs in through the real views, and the two
dashboards (``GET /stats/``, the page's defaults) are loaded alternately,
``BENCH_ROLLUP_RUNS`` times (default 3) after one warm-up each; min and median of
each, and the ratio big / small (goal: at most 2x). Before timing, the big
organisation's key figures and acts by act type from the roll-ups are checked
against the live aggregation.

Exports through the views: the month x detailed act type table
(``bench.stats.EXPORT_QUERY``) as CSV and as XLSX, downloaded by each analyst
like a browser (redirects followed, the whole body read), big and small
alternately, ``BENCH_ROLLUP_RUNS`` times after one warm-up each: records per
second at each size, and the ratio big / small of medians with the spread of
the per-repetition ratios.
"""

# ruff: noqa: S608 - every SQL string in this file is a constant of the benchmark, no input
from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import common, pgdb
from bench.stats import DAYS, EXPORT_QUERY, Sql, _pick, _terms

TITLE = "Statistics dashboard at scale (roll-ups)"
ROOT = Path(__file__).resolve().parent.parent
PG_PREFIX = "vigil_bench_rollup"
PG_URL = os.environ.get(
    "BENCH_ROLLUP_PG_URL", "postgres://postgres@127.0.0.1:5432/vigil_bench_rollup"
)
ACTS = int(os.environ.get("BENCH_ROLLUP_ACTS", "1000000"))
SMALL = max(ACTS // 100, 100)
RUNS = int(os.environ.get("BENCH_ROLLUP_RUNS", "3"))
DATABASES = [x for x in os.environ.get("BENCH_ROLLUP_DATABASES", "sqlite,postgres").split(",") if x]
GOAL = 2.0
EXPORT_FORMATS = ("csv", "xlsx")


def run() -> common.Report:
    report = common.Report(group="stats_rollup", title=TITLE)
    results: dict[str, Any] = {}
    for name in DATABASES:
        url = None if name == "sqlite" else PG_URL
        if url is not None and not pgdb.reachable(url):
            common.progress(f"stats_rollup: PostgreSQL {urlsplit(url).hostname} unreachable")
            continue
        results[name] = _run_worker(name, url)
        _table(report, results[name])
    report.data = results
    return report


def _run_worker(name: str, url: str | None) -> dict[str, Any]:
    common.progress(f"stats_rollup: {name} worker, {ACTS:,} and {SMALL:,} acts")
    return common.run_worker("bench.stats_rollup", name, url)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _table(report: common.Report, result: dict[str, Any]) -> None:
    _export_table(report, result)
    big, small = result["big"], result["small"]
    pair = result["dashboard"]
    ratio = pair["ratio"]
    table = common.Table(
        f"{result['database']}: dashboard at {ACTS:,} acts vs at {SMALL:,} acts "
        f"({RUNS} interleaved runs after one warm-up each; load average "
        f"{result['load_average']})",
        ["Dashboard (GET /stats/)", "acts", "min", "median", "queries"],
        note=(
            f"Ratio of medians big / small: {common.fmt_paired_ratio(pair)} (per-repetition "
            f"range in brackets), of minima {pair['ratio_of_minima']:.2f}x (goal at most {GOAL}x: "
            f"{'met' if ratio <= GOAL else 'missed'}). Data generated with INSERT ... SELECT in "
            f"{result['generate_seconds']:.0f} s; rebuild_rollups for both organisations took "
            f"{result['rebuild_seconds']:.0f} s. Roll-ups equal the live aggregation on the big "
            f"organisation (key figures, acts by act type): "
            f"{'yes' if result['equal'] else 'NO'}. The worker's refresh after one change "
            f"(one incident of the big organisation: its month, victims and case) took "
            f"{_ms(result['refresh']['median'])} (median of {RUNS}, min "
            f"{_ms(result['refresh']['min'])})."
        ),
    )
    for label, row, acts in (("big", big, ACTS), ("small", small, SMALL)):
        table.add(label, f"{acts:,}", _ms(row["min"]), _ms(row["median"]), str(row["queries"]))
    report.tables.append(table)


def _export_table(report: common.Report, result: dict[str, Any]) -> None:
    table = common.Table(
        f"{result['database']}: exports through the views at {ACTS:,} acts vs at {SMALL:,} "
        f"({EXPORT_QUERY}; {RUNS} interleaved runs after one warm-up each; load average "
        f"{result['load_average']})",
        [
            "Export",
            "records",
            "records/s big (min / median time)",
            "records/s small (min / median time)",
            "time ratio big / small (range)",
            "records/s ratio big / small",
            "queries big / small",
            "SQL time big / small",
        ],
        note=(
            "GET /stats/export.<format> as a signed-in analyst (password and TOTP), "
            "redirects followed like a browser (none were needed: "
            f"{result['exports_redirects']} redirects), whole body read; records are the "
            "long-format rows of the file (totals included) as its audit entry records them, "
            "records/s = records / median time. Served from the roll-ups: the big "
            "organisation's export makes the same queries as the small one's."
        ),
    )
    for fmt in EXPORT_FORMATS:
        row = result["exports"][fmt]
        pair = row["pair"]
        big, small = pair["measured"], pair["baseline"]
        rates = {
            "big": row["records"]["big"] / big["median"],
            "small": row["records"]["small"] / small["median"],
        }
        table.add(
            fmt.upper(),
            f"{row['records']['big']:,} / {row['records']['small']:,}",
            f"{common.fmt_rate(row['records']['big'] / big['median'])} "
            f"({_ms(big['min'])} / {_ms(big['median'])})",
            f"{common.fmt_rate(row['records']['small'] / small['median'])} "
            f"({_ms(small['min'])} / {_ms(small['median'])})",
            common.fmt_paired_ratio(pair),
            common.fmt_ratio(rates["big"] / rates["small"]),
            f"{row['queries']['big']} / {row['queries']['small']}",
            f"{_ms(row['sql_seconds']['big'])} / {_ms(row['sql_seconds']['small'])}",
        )
    report.tables.append(table)


# --- worker -----------------------------------------------------------------------------------


def _say(name: str, message: str) -> None:
    common.progress(f"stats_rollup/{name}: {message}")


def worker(name: str) -> dict[str, Any]:
    url = common.worker_database(PG_PREFIX)
    from django.core.management import call_command
    from django.db import connection

    label = common.db_label(connection)
    big, small = _organisation("big"), _organisation("small")
    started = time.perf_counter()
    offset = _generate(name, big, ACTS, 0)
    _generate(name, small, SMALL, offset)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    generate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    out = io.StringIO()
    call_command("rebuild_rollups", stdout=out)
    for line in out.getvalue().splitlines():
        _say(name, line)
    rebuild_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    equal = _check(big)
    _say(name, f"roll-ups equal live: {equal}")
    clients = {
        "big": common.sign_in(big["user"], big["device"]),
        "small": common.sign_in(small["user"], small["device"]),
    }
    timings = _interleave(name, clients)
    exports, redirects = _exports(name, clients, {"big": big, "small": small})
    refresh = _refresh(name, big)
    result = {
        "load_average": common.load_average(),
        "exports": exports,
        "exports_redirects": redirects,
        "refresh": refresh,
        "database": label,
        "generate_seconds": generate_seconds,
        "rebuild_seconds": rebuild_seconds,
        "equal": equal,
        **timings,
    }
    if url.startswith("postgres"):
        connection.close()
        pgdb.drop(url, PG_PREFIX)
    return result


def _organisation(slug: str) -> dict[str, Any]:
    from vigil.accounts import actions

    created = actions.create_organisation(
        None, name=f"Bench {slug}", slug=f"bench-{slug}", country="UA", languages=["uk", "en"]
    )
    user, device = common.staff_member(created.organisation, f"bench-{slug}", "analyst")
    return {"org": created.organisation, "user": user, "device": device}


def _generate(name: str, world: dict[str, Any], acts: int, offset: int) -> int:
    """Rows of one organisation with ids above ``offset``; returns the next offset."""
    from django.db import connection, transaction

    from vigil.incidents import regions

    sql = Sql(connection.vendor)
    org, user, o = world["org"].pk, world["user"].pk, offset
    e, p, c = int(acts * 0.4), int(acts * 0.3), int(acts * 0.12)
    n_perp, n_intv = int(acts * 0.5), int(acts * 0.2)
    regions_ua = [code for code, _label in regions.choices("UA")]
    day = f"({DAYS - 1} - ((i * 37) % {DAYS}) * ((i * 11) % {DAYS}) / {DAYS})"
    date = sql.plus_days("e.start_date", "s.i % 40")
    statements = [
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
                f"i + {o}",
                str(org),
                "i",
                "CASE WHEN i % 20 = 3 THEN 'draft' ELSE 'recorded' END",
                "'done'",
                sql.day(day),
                "'exact'",
                "'UA'",
                _pick(regions_ua, "i * 13 + i / 101"),
                _pick(_terms("place_type"), "i * 17 + i / 7"),
                _pick(["outreach", "outreach", "hotline", "web", "partner"], "i * 19"),
                sql.true("i % 7 <> 5"),
                sql.moment(f"{day} + i % 5"),
                sql.moment(f"{day} + i % 5"),
            ],
            e,
        ),
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
                f"i + {o}",
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
        sql.insert(
            "incidents_act",
            ["id", "event_id", "victim_id", "act_type_id"],
            [
                f"i + {o}",
                f"(i * 7) % {e} + 1 + {o}",
                f"((((i * 7) % {e}) * 2654435761) % 1000003 + (i % 2) * 7) % {p} + 1 + {o}",
                _pick(_terms("act_type"), "i * 31 + (i / 3) * (i % 5)"),
            ],
            acts,
        ),
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
                f"i + {o}",
                f"(i * 3) % {e} + 1 + {o}",
                _pick(_terms("perpetrator_type"), "i * 23 + i / 11"),
                "''",
                "''",
                "''",
                "''",
            ],
            n_perp,
        ),
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
                f"i + {o}",
                str(org),
                "i",
                f"(i * 17) % {p} + 1 + {o}",
                "'active'",
                "'{}'",
                f"CASE WHEN i % 3 = 0 THEN {_pick(_terms('case_outcome'), 'i / 3')} END",
                sql.now(),
                sql.now(),
            ],
            c,
        ),
        sql.insert(
            "cases_case_incidents",
            ["id", "case_id", "event_id"],
            [f"i + {o}", f"i + {o}", f"(i * 3) % {e} + 1 + {o}"],
            c,
        ),
    ]
    columns = "id, case_id, intervention_type_id, date, by_id, created_at"
    kinds = _pick(_terms("intervention_type"), "s.i * 29 + s.i / 17")
    select = f"s.i + {o}, ci.case_id, {kinds}, {date}, {user}, {sql.now()}"
    join = (
        f"JOIN cases_case_incidents ci ON ci.id = (s.i % {c}) + 1 + {o} "
        "JOIN incidents_event e ON e.id = ci.event_id"
    )
    if sql.pg:
        statements.append(
            f"INSERT INTO cases_intervention ({columns}) SELECT {select} "
            f"FROM generate_series(1::bigint, {n_intv}::bigint) AS s(i) {join}"
        )
    else:
        statements.append(
            f"INSERT INTO cases_intervention ({columns}) WITH RECURSIVE s(i) AS "
            f"(SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n_intv}) "
            f"SELECT {select} FROM s {join}"
        )
    tables = [
        "incidents_event",
        "incidents_person",
        "incidents_act",
        "incidents_perpetrator",
        "cases_case",
        "cases_case_incidents",
        "cases_intervention",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for table, statement in zip(tables, statements, strict=True):
            step = time.perf_counter()
            cursor.execute(statement)
            _say(name, f"{table}: {cursor.rowcount:,} rows in {time.perf_counter() - step:.1f} s")
        if sql.pg:
            for table in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
    return o + acts + 1


def _check(world: dict[str, Any]) -> bool:
    from vigil.stats import aggregate
    from vigil.stats.aggregate import Dim, Filters, Group, Scope, Unit

    scope = Scope.for_organisation(world["org"])
    stored = (
        aggregate.key_figures(scope, Filters(), 1),
        aggregate.count(scope, Unit.ACTS, Group(Dim.ACT_TYPE, 0)),
    )
    with aggregate.counted_live():
        live = (
            aggregate.key_figures(scope, Filters(), 1),
            aggregate.count(scope, Unit.ACTS, Group(Dim.ACT_TYPE, 0)),
        )
    return stored == live


def _refresh(name: str, world: dict[str, Any]) -> dict[str, Any]:
    """What the worker does after one change: refresh one incident of the big organisation
    (its month's cells and its victims' and cases' first-seen rows)."""
    from vigil.incidents.models import Event
    from vigil.stats import rollup

    org = world["org"].pk
    event = (
        Event.objects.filter(organisation_id=org, status="recorded", stats_consent=True)
        .exclude(cases=None)
        .order_by("-pk")
        .first()
    )
    assert event is not None
    times = [common.time_once(lambda: rollup.refresh(org, [event.pk])) for _ in range(RUNS)]
    _say(name, f"refresh of one incident: {', '.join(f'{t * 1000:,.0f} ms' for t in times)}")
    return {"min": min(times), "median": common.median(times), "samples": times}


def _interleave(name: str, clients: dict[str, Any]) -> dict[str, Any]:
    """GET /stats/ big, small, big, small ... after one warm-up each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fns = {
        label: (lambda client=client: common.browse(client, "GET", "/stats/"))
        for label, client in clients.items()
    }
    times = common.interleave(fns, RUNS, on_run=_reporter(name, "dashboard"))
    result: dict[str, Any] = {"dashboard": common.paired(times["big"], times["small"])}
    for label, client in clients.items():
        with CaptureQueriesContext(connection) as captured:
            common.browse(client, "GET", "/stats/")
        result[label] = {
            "min": min(times[label]),
            "median": common.median(times[label]),
            "samples": times[label],
            "queries": len(captured),
        }
    return result


def _exports(
    name: str, clients: dict[str, Any], worlds: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any], int]:
    """Each format through its view, big and small interleaved; records from the audit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vigil.audit.models import AuditEvent

    results: dict[str, Any] = {}
    redirects = 0
    for fmt in EXPORT_FORMATS:
        url = f"/stats/export.{fmt}?{EXPORT_QUERY}"
        records, queries, sql = {}, {}, {}
        for label, client in clients.items():
            with CaptureQueriesContext(connection) as captured:
                _response, followed = common.browse(client, "GET", url)
            redirects += followed
            queries[label] = len(captured)
            sql[label] = sum(float(q["time"]) for q in captured.captured_queries)
            _say(
                name,
                f"export {fmt} {label}: SQL {sql[label] * 1000:,.0f} ms in {len(captured)} queries",
            )
            if os.environ.get("BENCH_ROLLUP_PROFILE"):
                _profile(name, lambda client=client, url=url: common.browse(client, "GET", url))
            entry = AuditEvent.objects.filter(
                action="stats.export", organisation=worlds[label]["org"], data__format=fmt
            ).latest("seq")
            records[label] = int(entry.data["row_count"])
        fns = {
            label: (lambda client=client, url=url: common.browse(client, "GET", url))
            for label, client in clients.items()
        }
        times = common.interleave(fns, RUNS, on_run=_reporter(name, f"export {fmt}"))
        pair = common.paired(times["big"], times["small"])
        results[fmt] = {"records": records, "queries": queries, "sql_seconds": sql, "pair": pair}
        _say(name, f"export {fmt}: {records} records, ratio {common.fmt_paired_ratio(pair)}")
    return results, redirects


def _profile(name: str, fn: Any) -> None:
    """cProfile of one call, the top functions by own time (BENCH_ROLLUP_PROFILE=1)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(fn)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    _say(name, out.getvalue())


def _reporter(name: str, what: str) -> Any:
    def report(index: int, last: dict[str, float]) -> None:
        _say(
            name,
            f"{what} run {index + 1}/{RUNS}: "
            + ", ".join(f"{label} {seconds * 1000:,.0f} ms" for label, seconds in last.items()),
        )

    return report


def main(argv: list[str] | None = None) -> int:
    return common.worker_main("stats_rollup", worker, argv)


if __name__ == "__main__":
    sys.exit(main())
