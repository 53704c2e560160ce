"""Demo year group: how long ``make run`` takes to load its demo data.

Each run is a fresh installation in a temporary ``VIGIL_VAR_DIR`` (SQLite):
``migrate``, then ``manage.py demo_data`` as ``make run`` calls it (``DEBUG=1``,
production key derivation and password hashing), timed as a subprocess's
wall-clock time. The full demo year (800 incidents per organisation, cases,
complaints) is compared with ``--small`` (accounts, keys and the few records
of the other features), so the ratio shows what the year itself adds; the
command's own lines give the seconds of the year per organisation.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import common

TITLE = "Demo data load (make run)"
ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_DEMO_RUNS", "3"))
GOAL_SECONDS = 120.0
YEAR_RE = re.compile(r"(\w+): a demo year of (\d+) incidents.* in ([\d.]+) s")


def _load(*extra: str) -> tuple[float, dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="vigil-demo-bench-") as var:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"VIGIL_TESTING", "DATABASE_URL"}
        }
        env.update({"VIGIL_VAR_DIR": var, "DEBUG": "1", "SECURE_COOKIES": "0"})
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run(  # noqa: S603 - fixed arguments
            [*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - fixed arguments
            [*manage, "demo_data", *extra],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
    years = {slug: float(s) for slug, _n, s in YEAR_RE.findall(done.stdout)}
    return seconds, years


def run() -> common.Report:
    report = common.Report("demo_year", TITLE)
    small: list[float] = []
    full: list[float] = []
    years: list[float] = []
    for i in range(RUNS):
        common.progress(f"demo_year: run {i + 1}/{RUNS}")
        small.append(_load("--small")[0])
        seconds, per_org = _load()
        full.append(seconds)
        years.append(sum(per_org.values()))
    table = common.Table(
        f"`manage.py demo_data`, fresh SQLite installation, median of {RUNS} runs",
        ["What", "Median wall time", "Ratio to --small", "Ratio to the 2-minute goal"],
    )
    s, f, y = common.median(small), common.median(full), common.median(years)
    table.add(
        "`--small` (accounts, keys, a few records)",
        f"{s:.1f} s",
        "1.00x",
        f"{s / GOAL_SECONDS:.2f}x",
    )
    table.add(
        "full demo year (default)",
        f"{f:.1f} s",
        common.fmt_ratio(f / s),
        f"{f / GOAL_SECONDS:.2f}x",
    )
    table.add(
        "of which the two demo years",
        f"{y:.1f} s",
        common.fmt_ratio(y / s),
        f"{y / GOAL_SECONDS:.2f}x",
    )
    report.tables.append(table)
    data: dict[str, Any] = {
        "small": common.summary(small),
        "full": common.summary(full),
        "years": common.summary(years),
    }
    report.data = data
    return report
