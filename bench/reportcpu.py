"""Server CPU of one complete anonymous report against its unavoidable cost.

A throw-away SQLite installation (as ``bench.intake`` builds it, production
settings, production receipt KDF) is served by gunicorn on loopback. Two
kinds of operation alternate, ``REPETITIONS`` times each, in the same server:

- a complete report walked as a browser walks it without JavaScript
  (``bench.intake.full_flow``: 18 requests, every redirect followed, the
  receipt page and the "I have saved it" POST);
- the baseline ``POST /bench/sealed/`` (``bench/_baseline_urls.py``): one
  receipt Argon2id at the same settings, a thread key sealed to the
  organisation, ``seal_json`` of a report-sized payload and one ``INSERT``.

Server CPU (user + system of the gunicorn master and workers, from /proc) is
divided by the operations of each phase; the figure is report / baseline,
min and median over the repetitions. The load average is recorded next to
each phase because the machine may be shared.

Then, in a child process with the same settings, the Django test client
walks ``PROFILE_WALKS`` reports under cProfile (top functions by cumulative
and by own time) and once more with a query counter.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import common, intake

TITLE = "Cost of one complete anonymous report (browser walk vs one Argon2id + sealed insert)"

REPETITIONS = int(os.environ.get("BENCH_REPORTCPU_REPETITIONS", "3"))
WALKS = int(os.environ.get("BENCH_REPORTCPU_WALKS", "30"))
BASELINE_OPS = int(os.environ.get("BENCH_REPORTCPU_BASELINE", "60"))
THREADS = 2
PHASE_SECONDS = 120.0  # an upper bound; the count limits end each phase first
PROFILE_WALKS = int(os.environ.get("BENCH_REPORTCPU_PROFILE_WALKS", "20"))
TOP_LINES = 25


def run() -> common.Report:
    report = common.Report(group="reportcpu", title=TITLE)
    secret_key = secrets.token_urlsafe(48)
    data: dict[str, Any] = {
        "settings": {
            "repetitions": REPETITIONS,
            "walks_per_phase": WALKS,
            "baseline_ops_per_phase": BASELINE_OPS,
            "threads": THREADS,
            "workers": intake.WORKERS,
        },
        "phases": [],
    }
    with tempfile.TemporaryDirectory(prefix="vigil-bench-reportcpu-") as tmp:
        var_dir = Path(tmp)
        env = intake.server_env(var_dir, secret_key, None, intake.KDF_PRODUCTION)
        common.progress("reportcpu: collectstatic, migrate, organisation")
        intake.manage(env, "collectstatic", "--noinput", "-v", "0")
        intake.manage(env, "migrate", "--noinput", "-v", "0")
        intake.child(env, "setup")
        with intake.Server(env, var_dir) as server:
            intake.drive("warm-up", server.port, intake.full_flow, 30, 6, THREADS)
            intake.drive("warm-up", server.port, sealed_op, 30, 6, THREADS)
            for repetition in range(REPETITIONS):
                for kind, task, count in (
                    ("report", intake.full_flow, WALKS),
                    ("baseline", sealed_op, BASELINE_OPS),
                ):
                    load = os.getloadavg()[0]
                    phase = intake.drive(
                        f"{kind} {repetition + 1}",
                        server.port,
                        task,
                        PHASE_SECONDS,
                        count,
                        THREADS,
                        probe=server.cpu,
                    )
                    cpu = sum(phase.server_cpu_s.values())
                    entry = {
                        "repetition": repetition + 1,
                        "kind": kind,
                        "ok": phase.ok,
                        "failed": sum(phase.failures.values()),
                        "failures": dict(phase.failures),
                        "requests": phase.requests,
                        "server_cpu_s": cpu,
                        "cpu_ms_per_op": cpu / max(phase.ok, 1) * 1000,
                        "loadavg_1min": load,
                    }
                    data["phases"].append(entry)
                    common.progress(
                        f"reportcpu: {kind} {repetition + 1}: {phase.ok} ok, "
                        f"{entry['failed']} failed, {entry['cpu_ms_per_op']:.1f} ms CPU/op, "
                        f"load {load:.1f}"
                    )
        common.progress(f"reportcpu: cProfile of {PROFILE_WALKS} walks in process")
        data["profile"] = json.loads(child(env, "profile").splitlines()[-1])
    _tables(report, data)
    report.data = data
    return report


def sealed_op(browser: intake.Browser) -> dict[str, float]:
    start = time.perf_counter()
    browser.expect("POST", "/bench/sealed/", 204, {})
    return {"request": time.perf_counter() - start}


def child(env: dict[str, str], command: str) -> str:
    code = "import sys; from bench import reportcpu; sys.exit(reportcpu.child_main(sys.argv[1:]))"
    done = subprocess.run(  # noqa: S603 - fixed argv: this interpreter and our code
        [sys.executable, "-c", code, command],
        cwd=intake.ROOT,
        env=env,
        check=True,
        timeout=600,
        capture_output=True,
        text=True,
    )
    return done.stdout


def child_main(argv: list[str]) -> int:
    import django

    django.setup()
    if argv != ["profile"]:
        raise SystemExit(f"unknown child command {argv}")
    print(json.dumps(_child_profile()))
    return 0


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def walk(client: Any, timings: dict[str, list[float]] | None = None) -> None:
    """One complete report through the Django test client, redirects followed, CSRF enforced."""
    slug = intake.SLUG

    def send(label: str, method: str, path: str, fields: dict[str, Any] | None = None) -> Any:
        cpu = time.process_time()
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, {**(fields or {}), "csrfmiddlewaretoken": token})
        if timings is not None:
            timings.setdefault(label, []).append(time.process_time() - cpu)
        return response

    token = ""
    page = send("GET start page", "GET", f"/report/{slug}/")
    token = CSRF.search(page.content.decode()).group(1)  # type: ignore[union-attr]
    response = send("POST start", "POST", f"/report/{slug}/")
    while True:
        assert response.status_code == 302, response.status_code
        location = response["Location"]
        page = send("GET step or review page", "GET", location)
        assert page.status_code == 200, (location, page.status_code)
        step = location.rstrip("/").rsplit("/", 1)[-1]
        if step == "review":
            break
        answers = dict(intake.STEPS)[step]
        response = send("POST step", "POST", location, answers)
    response = send("POST review (stores)", "POST", location, {"website": ""})
    assert response["Location"] == "/report/receipt/", response.status_code
    page = send("GET receipt page", "GET", "/report/receipt/")
    assert intake.RECEIPT_RE.search(page.content), "no receipt"
    done = send("POST 'I saved it'", "POST", "/report/receipt/", {"saved": "on"})
    assert done.status_code == 200 and not intake.RECEIPT_RE.search(done.content)


def _child_profile() -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    def client() -> Any:
        return Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

    for _ in range(3):  # warm-up: templates, translations, imports
        walk(client())
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        walk(client())
    timings: dict[str, list[float]] = {}
    cpu = time.process_time()
    for _ in range(PROFILE_WALKS):
        walk(client(), timings)
    walk_cpu = (time.process_time() - cpu) / PROFILE_WALKS
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILE_WALKS):
        walk(client())
    profiler.disable()
    return {
        "walks": PROFILE_WALKS,
        "queries_per_walk": len(queries),
        "queries": [sql[:160] for sql in queries],
        "walk_cpu_ms": walk_cpu * 1000,
        "per_request_cpu_ms": {
            label: {"count_per_walk": len(v) / PROFILE_WALKS, "median": common.median(v) * 1000}
            for label, v in timings.items()
        },
        "top_cumulative": _top(profiler, "cumulative"),
        "top_own": _top(profiler, "tottime"),
    }


def _top(profiler: cProfile.Profile, key: str) -> list[str]:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(key).print_stats(TOP_LINES)
    site = str(Path(os.__file__).parent)
    lines = []
    for line in out.getvalue().splitlines():
        if re.match(r"\s*\d", line):
            line = line.replace(str(intake.ROOT) + "/", "").replace(site + "/", "")
            lines.append(re.sub(r"\S*site-packages/", "", line))
    return lines


def _tables(report: common.Report, data: dict[str, Any]) -> None:
    phases = data["phases"]
    table = common.Table(
        "Server CPU per operation, interleaved phases (SQLite, production KDF)",
        ["repetition", "operation", "ok", "failed", "requests", "server CPU / op", "load avg"],
    )
    for p in phases:
        table.add(
            str(p["repetition"]),
            p["kind"],
            str(p["ok"]),
            str(p["failed"]),
            str(p["requests"]),
            f"{p['cpu_ms_per_op']:.1f} ms",
            f"{p['loadavg_1min']:.1f}",
        )
    ratios = []
    for repetition in range(1, REPETITIONS + 1):
        pair = {p["kind"]: p for p in phases if p["repetition"] == repetition}
        if pair.get("baseline", {}).get("cpu_ms_per_op"):
            ratios.append(pair["report"]["cpu_ms_per_op"] / pair["baseline"]["cpu_ms_per_op"])
    data["ratios"] = ratios
    reports = [p["cpu_ms_per_op"] for p in phases if p["kind"] == "report"]
    baselines = [p["cpu_ms_per_op"] for p in phases if p["kind"] == "baseline"]
    if ratios:
        table.note = (
            f"Report: min {min(reports):.1f} ms, median {common.median(reports):.1f} ms. "
            f"Baseline: min {min(baselines):.1f} ms, median {common.median(baselines):.1f} ms. "
            f"Ratio report / baseline per repetition: "
            f"{', '.join(f'{r:.2f}x' for r in ratios)} (min {min(ratios):.2f}x, "
            f"median {common.median(ratios):.2f}x; goal at most 3x)."
        )
    report.tables.append(table)
    profile = data["profile"]
    per = common.Table(
        f"In process, Django test client: CPU per request kind ({profile['walks']} walks)",
        ["request", "per walk", "CPU median"],
        note=(
            f"Whole walk: {profile['walk_cpu_ms']:.1f} ms CPU, "
            f"{profile['queries_per_walk']} SQL queries."
        ),
    )
    for label, row in profile["per_request_cpu_ms"].items():
        per.add(label, f"{row['count_per_walk']:.0f}", f"{row['median']:.2f} ms")
    report.tables.append(per)
    for key, title in (("top_cumulative", "cumulative"), ("top_own", "own time")):
        top = common.Table(f"cProfile of {profile['walks']} walks, top by {title}", ["line"])
        for line in profile[key]:
            top.add(f"`{line.strip()}`")
        report.tables.append(top)
