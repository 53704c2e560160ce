"""Spreadsheet import group: rows per second against a plain bulk_create, and peak memory.

A worker process (``python -m bench.imports --worker``) builds a throw-away
SQLite installation (temporary ``VIGIL_VAR_DIR``, ``migrate``), one
organisation with a coordinator, and a CSV of ``BENCH_IMPORT_ROWS`` lines
(default 100,000): each an incident with one act, one victim (name and phone)
and one perpetrator (type, name, badge). Then, ``BENCH_IMPORT_REPEATS`` times
(default 3), alternating the order:

* **import**: ``imports.actions.run`` on the sealed upload, as the command and
  the progress page run it: parsing, checking every cell, term lookups, a data
  key sealed to the organisation per incident and per person, sealed JSON,
  blind indexes (name, phone, badge, external id), chunks of 500 lines
  committed with their cursor and one audit event each;
* **baseline**: the same incidents, people, acts, perpetrators and
  involvements written with ``bulk_create`` in chunks of 500, from values
  prepared beforehand: no parsing, no checks, no sealing, no indexes, no audit.

Each repeat uses a fresh organisation so both start from the same numbering.
Peak memory is the worker's maximum resident set size (``ru_maxrss``), which
bounds both.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from typing import Any

from bench import common

TITLE = "Spreadsheet import"
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
REPEATS = int(os.environ.get("BENCH_IMPORT_REPEATS", "3"))
CHUNK = 500


def run() -> common.Report:
    report = common.Report(group="imports", title=TITLE)
    data, memory = common.throwaway_sqlite_runs(
        "bench.imports",
        ("--worker", f"importing {ROWS} rows x {REPEATS}"),
        ("--memory", f"peak memory of a fresh process importing {ROWS} rows"),
    )
    data.update(memory)
    report.data = data
    imports, baselines = data["import_s"], data["baseline_s"]
    ratios = [b / i for i, b in zip(imports, baselines, strict=True)]
    table = common.Table(
        f"Import of {ROWS:,} rows (incident, act, victim, perpetrator), SQLite",
        ["measure", "min", "median"],
    )
    table.add(
        "import (sealed, indexed, checked, audited), rows/s",
        f"{ROWS / max(imports):,.0f}",
        f"{ROWS / common.median(imports):,.0f}",
    )
    table.add(
        "bulk_create baseline, rows/s",
        f"{ROWS / max(baselines):,.0f}",
        f"{ROWS / common.median(baselines):,.0f}",
    )
    table.add(
        "import / baseline (rows/s ratio)", f"{min(ratios):.2f}", f"{common.median(ratios):.2f}"
    )
    table.add(
        "peak resident memory of the worker (imports and baselines), MB",
        f"{data['peak_mb']:.0f}",
        "",
    )
    table.add(
        "peak resident memory of a fresh process running one import, MB",
        f"{data['import_peak_mb']:.0f}",
        "",
    )
    table.note = (
        f"{REPEATS} repeats, alternating order; min and median over repeats. The fresh "
        f"process held {data['before_import_mb']:.0f} MB (Python, Django, the CSV) before "
        "the import started; the worker's figure also holds the baselines' prepared rows."
    )
    report.tables.append(table)
    return report


# --- worker ------------------------------------------------------------------------------


def _setup(n: int) -> tuple[Any, Any, bytes]:
    return common.coordinated_organisation(f"bench-import-{n}", f"Bench {n}")


HEADERS = [
    "external_id",
    "date",
    "region",
    "act_type",
    "perpetrator_type",
    "perpetrator_name",
    "perpetrator_badge",
    "victim_name",
    "victim_phone",
    "narrative",
]


def _csv(rows: int) -> bytes:
    import csv
    import io

    acts = ["ACT.PHYS.BEATING", "ACT.EXT.BRIBE", "Избиение", "ACT.DET.SEARCH"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    for n in range(rows):
        writer.writerow(
            [
                f"OLD-{n:07d}",
                f"{n % 28 + 1:02d}.{n % 12 + 1:02d}.2023",
                "UA-30",
                acts[n % 4],
                "PERP.POLICE",
                f"Иванов Иван {n}",
                f"КВ-{n:06d}",
                f"Оксана Петренко {n}",
                f"+380 50 {n:07d}",
                f"Задержали у аптеки, история номер {n}",
            ]
        )
    return buffer.getvalue().encode("cp1251")


def _import_once(n: int, data: bytes) -> float:
    from vigil.imports import actions, reads
    from vigil.imports.models import ImportMapping
    from vigil.vault.session import Vault

    organisation, user, private = _setup(n)
    mapping = ImportMapping.objects.create(
        organisation=organisation, name="bench", columns={h: h for h in HEADERS}
    )
    job = actions.upload(user, organisation, [data], mapping=mapping)
    vault = Vault({organisation.pk: private})
    plain = reads.source_bytes(job, vault)
    job.status = "running"
    job.save(update_fields=["status"])
    start = time.perf_counter()
    actions.run(user, job, plain, vault.index_key(organisation.pk))
    elapsed = time.perf_counter() - start
    job.refresh_from_db()
    assert job.imported == ROWS, job.imported
    return elapsed


def _baseline_once(n: int) -> float:
    import datetime

    from django.db import transaction

    from vigil.incidents.models import Act, Event, Involvement, Perpetrator, Person
    from vigil.vocab.models import Term

    organisation, user, _private = _setup(n)
    codes = ["ACT.PHYS.BEATING", "ACT.EXT.BRIBE", "ACT.PHYS.BEATING", "ACT.DET.SEARCH"]
    terms = {t.code: t.pk for t in Term.objects.filter(code__in=[*codes, "PERP.POLICE"])}
    prepared = [
        (
            datetime.date(2023, i % 12 + 1, i % 28 + 1),
            terms[codes[i % 4]],
        )
        for i in range(ROWS)
    ]
    start = time.perf_counter()
    for first in range(0, ROWS, CHUNK):
        part = prepared[first : first + CHUNK]
        with transaction.atomic():
            events = Event.objects.bulk_create(
                Event(
                    organisation=organisation,
                    number=first + i + 1,
                    status="recorded",
                    start_date=day,
                    region="UA-30",
                    source_channel="import",
                    created_by=user,
                )
                for i, (day, _act) in enumerate(part)
            )
            people = Person.objects.bulk_create(
                Person(organisation=organisation, pseudonym=f"V-{first + i}", created_by=user)
                for i in range(len(part))
            )
            acts = Act.objects.bulk_create(
                Act(event=e, victim=p, act_type_id=act)
                for e, p, (_day, act) in zip(events, people, part, strict=True)
            )
            perpetrators = Perpetrator.objects.bulk_create(
                Perpetrator(event=e, perpetrator_type_id=terms["PERP.POLICE"]) for e in events
            )
            Involvement.objects.bulk_create(
                Involvement(act=a, perpetrator=p) for a, p in zip(acts, perpetrators, strict=True)
            )
    return time.perf_counter() - start


def worker() -> None:
    common.setup_django()
    from django.conf import settings

    settings.IMPORT_CHUNK_ROWS = CHUNK
    data = _csv(ROWS)
    imports: list[float] = []
    baselines: list[float] = []
    for repeat in range(REPEATS):
        order = ["import", "baseline"] if repeat % 2 == 0 else ["baseline", "import"]
        for kind in order:
            if kind == "import":
                imports.append(_import_once(repeat * 2, data))
            else:
                baselines.append(_baseline_once(repeat * 2 + 1))
            common.progress(f"repeat {repeat + 1}: {kind} done")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "rows": ROWS,
                "import_s": imports,
                "baseline_s": baselines,
                "peak_mb": peak_kb / 1024,
                "file_bytes": len(data),
            }
        )
    )


def memory() -> None:
    """One import in a fresh process: its peak resident set, and what it held before."""
    common.setup_django()
    from django.conf import settings

    settings.IMPORT_CHUNK_ROWS = CHUNK
    data = _csv(ROWS)
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _import_once(99, data)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"import_peak_mb": peak_kb / 1024, "before_import_mb": before_kb / 1024}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--memory", action="store_true")
    arguments = parser.parse_args()
    if arguments.worker:
        worker()
    elif arguments.memory:
        memory()
