"""SQLite durability: intake with ``synchronous=FULL`` against ``NORMAL`` (WAL), in one run.

With ``synchronous=NORMAL`` in WAL mode a commit survives a crash of the
process but not a power cut: the last transactions may be lost after the
report's receipt was shown. ``FULL`` (the setting) syncs the WAL at every
commit. This group measures what that costs a reporter.

A throw-away installation (``python -m bench.sqlite_sync --worker``: a
temporary ``VIGIL_VAR_DIR`` on the same disk as the SQLite file, ``migrate``,
one organisation) takes complete anonymous reports through the Django test
client (every step, the review POST that stores the report and its pending
receipt, the receipt page; each step's session write is a commit too), with
the production receipt KDF. The connection's ``synchronous`` is switched
between phases; phases alternate FULL, NORMAL for 3 repetitions of
``BENCH_SYNC_REPORTS`` (default 40) reports each. Reported: reports per
second of each phase, min and median per mode, and NORMAL / FULL.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import common

TITLE = "SQLite durability: synchronous=FULL against NORMAL"
ROOT = Path(__file__).resolve().parent.parent
REPETITIONS = 3
REPORTS = int(os.environ.get("BENCH_SYNC_REPORTS", "40"))
MODES = ("FULL", "NORMAL")
STEPS = [
    ("what", {"what": ["search"], "story": "stopped near the metro and searched"}),
    ("when", {"when": "this_week", "region": "UA-30", "place": "transport"}),
    ("who", {"who": "police", "uniform": "yes"}),
    ("help", {"needs": ["legal"]}),
    ("consent", {"consents": ["follow_up"]}),
    ("contact", {"method": "phone", "contact": "+380 50 111 2233"}),
]


def run() -> common.Report:
    report = common.Report(group="sqlite_sync", title=TITLE)
    # On the disk, not a tmpfs: syncing a file in memory costs nothing.
    base = ROOT / "bench" / "results"
    base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vigil-bench-sync-", dir=base) as tmp:
        env = {
            **os.environ,
            "VIGIL_TESTING": "1",
            "VIGIL_VAR_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "vigil.settings",
        }
        done = subprocess.run(
            [sys.executable, "-m", "bench.sqlite_sync", "--worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            check=True,
            text=True,
        )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    report.data = result
    table = common.Table(
        f"Complete reports through the test client, {REPETITIONS} alternating repetitions "
        f"x {REPORTS} reports, production receipt KDF",
        ["synchronous", "reports/s per phase", "min", "median", "vs FULL (median)"],
    )
    full = common.median(result["rates"]["FULL"])
    for mode in MODES:
        rates = result["rates"][mode]
        table.add(
            mode,
            ", ".join(f"{r:.1f}" for r in rates),
            f"{min(rates):.1f}",
            f"{common.median(rates):.1f}",
            common.fmt_ratio(common.median(rates) / full),
        )
    table.note = (
        f"{result['writes_per_report']} write statements per report; "
        f"SQLite {result['sqlite']}, journal_mode={result['journal_mode']}."
    )
    report.tables.append(table)
    return report


def _report(client: Any) -> None:
    client.post("/report/bench-sync/")
    for step, data in STEPS:
        assert client.post(f"/report/bench-sync/{step}/", data).status_code == 302, step
    response = client.post("/report/bench-sync/review/", {"website": ""})
    assert response.status_code == 302 and response["Location"] == "/report/receipt/"
    assert client.get("/report/receipt/").status_code == 200
    assert client.post("/report/receipt/", {"saved": "on"}).status_code == 200


def worker() -> dict[str, Any]:
    common.setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from vigil.accounts import actions
    from vigil.intake.models import Submission

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.REPORT_MIN_FILL_SECONDS = 0
    settings.REPORT_SESSION_LIMIT_PER_HOUR = 10**6
    settings.REPORT_GLOBAL_LIMIT_PER_MINUTE = 10**6
    # The production receipt cost (settings.py defaults outside tests).
    settings.RECEIPT_KDF_OPSLIMIT = 2
    settings.RECEIPT_KDF_MEMLIMIT = 16 * 1024 * 1024
    call_command("migrate", verbosity=0)
    actions.create_organisation(
        None, name="Bench sync", slug="bench-sync", country="UA", languages=["en"]
    )
    _report(Client())  # warm-up
    with CaptureQueriesContext(connection) as captured:
        _report(Client())
    writes = sum(
        1
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    )
    rates: dict[str, list[float]] = {mode: [] for mode in MODES}
    for repetition in range(REPETITIONS):
        for mode in MODES:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA synchronous={mode}")
            start = time.perf_counter()
            for _ in range(REPORTS):
                _report(Client())
            rates[mode].append(REPORTS / (time.perf_counter() - start))
            common.progress(f"sqlite_sync: {repetition + 1}/{REPETITIONS} {mode}")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
    return {
        "rates": rates,
        "reports": Submission.objects.count(),
        "writes_per_report": writes,
        "journal_mode": journal,
        "sqlite": ".".join(str(x) for x in connection.Database.sqlite_version_info),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sqlite_sync")
    parser.add_argument("--worker", action="store_true", help="internal: run the phases")
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker()))  # the parent reads the last line
        return 0
    from bench.__main__ import main as bench_main

    return bench_main(["sqlite_sync"])


if __name__ == "__main__":
    sys.exit(main())
