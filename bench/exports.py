"""Records export group: the export on the background worker against the old in-request build.

A worker process (``python -m bench.exports --worker``) builds a throw-away
SQLite installation (temporary ``VIGIL_VAR_DIR``, ``migrate``) with one
organisation per size in ``BENCH_EXPORT_SIZES`` (default 2,000 and 10,000
acts). Each holds incidents with one act, one victim (name, phone) and one
perpetrator (type, name, badge), sealed as the importer seals them: the first
``BENCH_EXPORT_SEED`` (2,000) are imported through ``imports.actions.run``,
the rest are copies of those rows (same ciphertext and sealed data keys, new
numbers), so every line costs the same to open. Then, per size,
``BENCH_EXPORT_REPEATS`` times (default 3), alternating the order:

* **job**: what the worker runs for a CSV export: ``actions.queue_export``
  (the organisation key sealed under a job key) and ``export_jobs.execute``:
  the job key opened, the job taken with a lease, the incidents read in
  chunks of 500 through ``exporter.rows``, the lines streamed into
  ``sealing.store_file`` (encrypted to disk), progress and lease after each
  chunk, the file recorded and the key wiped;
* **baseline**: the old request's work, ``exporter.csv_bytes(exporter.rows(...))``
  in memory, nothing stored.

The web request that starts an export does only ``policy.org_private_key``,
``actions.queue_export`` and ``tasks.run_export.enqueue`` (database task
backend); that part is timed on its own (``BENCH_EXPORT_STARTS`` calls, after
a warm-up) for each size, to show it does not grow with the data.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any

from bench import common

TITLE = "Records export on the worker"
SIZES = [int(s) for s in os.environ.get("BENCH_EXPORT_SIZES", "2000,10000").split(",")]
SEED = int(os.environ.get("BENCH_EXPORT_SEED", "2000"))
REPEATS = int(os.environ.get("BENCH_EXPORT_REPEATS", "3"))
STARTS = int(os.environ.get("BENCH_EXPORT_STARTS", "30"))


def run() -> common.Report:
    report = common.Report(group="exports", title=TITLE)
    (data,) = common.throwaway_sqlite_runs(
        "bench.exports", ("--worker", f"exporting {', '.join(map(str, SIZES))} acts")
    )
    report.data = data
    for size in SIZES:
        figures = data[str(size)]
        jobs, baselines = figures["job_s"], figures["baseline_s"]
        ratios = [b / j for j, b in zip(jobs, baselines, strict=True)]
        table = common.Table(
            f"CSV export of {size:,} acts (incident, act, victim, perpetrator), SQLite",
            ["measure", "min", "median"],
        )
        table.add(
            "job on the worker (sealed into storage, progress, lease), rows/s",
            f"{size / max(jobs):,.0f}",
            f"{size / common.median(jobs):,.0f}",
        )
        table.add(
            "baseline: exporter.rows + CSV in memory (the old request), rows/s",
            f"{size / max(baselines):,.0f}",
            f"{size / common.median(baselines):,.0f}",
        )
        table.add(
            "job / baseline (rows/s ratio)", f"{min(ratios):.2f}", f"{common.median(ratios):.2f}"
        )
        table.add(
            "web request's share: start an export (queue + enqueue), ms",
            f"{min(figures['start_ms']):.1f}",
            f"{common.median(figures['start_ms']):.1f}",
        )
        table.add(
            "the old request building the file, ms",
            f"{min(baselines) * 1000:,.0f}",
            f"{common.median(baselines) * 1000:,.0f}",
        )
        table.note = (
            f"{REPEATS} repeats, alternating order; min and median over repeats (rows/s: "
            f"from the slowest and the median run). Start: {STARTS} calls after a warm-up. "
            f"File: {figures['file_bytes']:,} bytes."
        )
        report.tables.append(table)
    return report


# --- worker ------------------------------------------------------------------------------


def _organisation(n: int) -> tuple[Any, Any, bytes]:
    return common.coordinated_organisation(f"bench-export-{n}", f"Bench export {n}")


def _seed(organisation: Any, user: Any, private: bytes, rows: int) -> None:
    from bench.imports import HEADERS, _csv
    from vigil.imports import actions, reads
    from vigil.imports.models import ImportMapping
    from vigil.vault.session import Vault

    mapping = ImportMapping.objects.create(
        organisation=organisation, name="bench", columns={h: h for h in HEADERS}
    )
    job = actions.upload(user, organisation, [_csv(rows)], mapping=mapping)
    vault = Vault({organisation.pk: private})
    plain = reads.source_bytes(job, vault)
    job.status = "running"
    job.save(update_fields=["status"])
    actions.run(user, job, plain, vault.index_key(organisation.pk))


def _grow(organisation: Any, size: int) -> None:
    """Copy the seeded incidents (same ciphertext, new numbers) up to ``size`` acts."""
    from copy import copy

    from django.db import transaction

    from vigil.incidents.models import Act, Event, Involvement, Perpetrator, Person

    events = list(Event.objects.filter(organisation=organisation).order_by("number"))
    seed = len(events)
    acts = {a.event_id: a for a in Act.objects.filter(event__organisation=organisation)}
    people = {p.pk: p for p in Person.objects.filter(organisation=organisation)}
    perpetrators = {p.event_id: p for p in Perpetrator.objects.filter(event__in=events)}
    round_ = 1
    while seed * (round_ + 1) <= size:
        new_events, new_people, new_acts, new_perps = [], [], [], []
        for event in events:
            clone = copy(event)
            clone.pk = None
            clone.number = event.number + round_ * seed
            new_events.append(clone)
            person = copy(people[acts[event.pk].victim_id])
            person.pk = None
            person.pseudonym = f"{person.pseudonym}-{round_}"
            new_people.append(person)
        with transaction.atomic():
            Event.objects.bulk_create(new_events)
            Person.objects.bulk_create(new_people)
            for event, clone, person in zip(events, new_events, new_people, strict=True):
                act = copy(acts[event.pk])
                act.pk, act.event_id, act.victim_id = None, clone.pk, person.pk
                new_acts.append(act)
                perpetrator = copy(perpetrators[event.pk])
                perpetrator.pk, perpetrator.event_id = None, clone.pk
                new_perps.append(perpetrator)
            Act.objects.bulk_create(new_acts)
            Perpetrator.objects.bulk_create(new_perps)
            Involvement.objects.bulk_create(
                Involvement(act=a, perpetrator=p) for a, p in zip(new_acts, new_perps, strict=True)
            )
        round_ += 1
    assert Act.objects.filter(event__organisation=organisation).count() == size


def _job_once(organisation: Any, user: Any, private: bytes) -> tuple[float, int]:
    from vigil.imports import actions, export_jobs
    from vigil.imports.models import ExportJob, ExportStatus
    from vigil.vault import sealing

    start = time.perf_counter()
    job, key = actions.queue_export(user, organisation, "csv", org_key=private)
    status = export_jobs.execute(job.pk, key)
    elapsed = time.perf_counter() - start
    assert status == ExportStatus.DONE, status
    job = ExportJob.objects.get(pk=job.pk)
    sealing.delete_file(job.stored_name)
    return elapsed, job.size


def _baseline_once(organisation: Any, user: Any, private: bytes) -> tuple[float, int]:
    from vigil import policy
    from vigil.imports import exporter
    from vigil.vault.session import Vault

    start = time.perf_counter()
    member = policy.exporting_member(organisation.pk, user.pk)
    assert member is not None
    events = policy.export_events_of(member)
    content, _count = exporter.csv_bytes(exporter.rows(events, Vault({organisation.pk: private})))
    return time.perf_counter() - start, len(content)


def _start_ms(organisation: Any, user: Any, private: bytes) -> list[float]:
    """The request's share: open nothing but the vault's key, queue, enqueue."""
    from django.db import transaction

    from vigil.imports import actions, tasks
    from vigil.imports.models import ExportJob
    from vigil.vault.session import Vault

    vault = Vault({organisation.pk: private})
    times = []
    for n in range(STARTS + 3):
        start = time.perf_counter()
        with transaction.atomic():
            job, key = actions.queue_export(
                user, organisation, "csv", org_key=vault.org_key(organisation.pk)
            )
            tasks.run_export.enqueue(job.pk, key.hex())
        if n >= 3:
            times.append((time.perf_counter() - start) * 1000)
    # Nobody runs them: cancel them so their keys go.
    for job in ExportJob.objects.filter(organisation=organisation, status="queued"):
        actions.cancel_export(user, job)
    return times


def worker() -> None:
    common.setup_django()
    from django.conf import settings

    settings.EXPORT_CHUNK_EVENTS = 500
    result: dict[str, Any] = {}
    for n, size in enumerate(SIZES):
        organisation, user, private = _organisation(n)
        common.progress(f"seeding {min(SEED, size)} incidents through the importer")
        _seed(organisation, user, private, min(SEED, size))
        common.progress(f"copying them up to {size} acts")
        _grow(organisation, size)
        jobs: list[float] = []
        baselines: list[float] = []
        sizes: list[int] = []
        for repeat in range(REPEATS):
            order = ["job", "baseline"] if repeat % 2 == 0 else ["baseline", "job"]
            for kind in order:
                if kind == "job":
                    seconds, stored = _job_once(organisation, user, private)
                    jobs.append(seconds)
                else:
                    seconds, built = _baseline_once(organisation, user, private)
                    baselines.append(seconds)
                    sizes.append(built)
                common.progress(f"{size} acts, repeat {repeat + 1}: {kind} {seconds:.1f} s")
        assert stored == sizes[-1], (stored, sizes[-1])  # the same bytes were written
        result[str(size)] = {
            "job_s": jobs,
            "baseline_s": baselines,
            "start_ms": _start_ms(organisation, user, private),
            "file_bytes": stored,
        }
    print(json.dumps(result))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    if parser.parse_args().worker:
        worker()
