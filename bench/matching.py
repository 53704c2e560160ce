"""Matching group: OPRF entries per second end to end through the service on loopback.

Baseline: the bare OPRF evaluation by the key holder (one hash-to-group, one
scalar multiplication, one SHA-512), measured in the same run. End to end is
what Vigil does per identifier: blind, POST /v1/evaluate, finalize, derive the
tag, line and key, seal the entry to the counsel, POST /v1/entries; the
service (``matchsvc``, threaded wsgiref server, SQLite in WAL mode) runs in
this process on a free loopback port, so both sides share the 2 cores.

The baseline and the three batch sizes are interleaved: after one warm-up
round of each, ``ROUNDS`` repetitions of (bare, batch 1, batch 10, batch 50),
so that load from other processes falls on all alike. Reported: min and
median rate of each, and per batch size the cost of one entry relative to one
bare evaluation (ratio of medians, with the range of the per-repetition
ratios).
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import common

TITLE = "Matching: OPRF entries through the matching service"

ROUNDS = 5
ENTRIES_PER_ROUND = 200
BASELINE_LOOPS = 2000
BARE = "bare OPRF evaluation (baseline)"
BATCHES = [1, 10, 50]


def run() -> common.Report:
    common.setup_django()
    from django.conf import settings

    from matchsvc import keys, oprf
    from matchsvc.testing import configure, serving
    from vigil.matching import client, escrow
    from vigil.vault import crypto

    report = common.Report(group="matching", title=TITLE)
    table = common.Table(
        f"Entries per second, {ROUNDS} interleaved rounds of {ENTRIES_PER_ROUND} identifiers "
        f"(bare: {BASELINE_LOOPS} evaluations a round) after one warm-up round each",
        ["Case", "per request", "median /s", "min /s", "cost per entry vs bare (range)"],
        note=(
            "min /s is the slowest round. Cost per entry vs bare: the median time of one "
            "entry end to end over the median time of one bare evaluation, in rounds run side "
            "by side (bare, 1, 10, 50, bare, ...), with the smallest and largest "
            "per-round ratio. Every identifier is distinct, so every entry is a new tag; the "
            "quota is set out of the way."
        ),
    )
    counsel_public = crypto.new_keypair()[1]
    with tempfile.TemporaryDirectory() as folder:
        network = configure(Path(folder), daily_quota=10**9)
        token = network.add_member("bench")
        secret = keys.load(network.config.key_file)[network.slug]

        counter = iter(range(10**9))

        def bare() -> None:
            for _ in range(BASELINE_LOOPS):
                oprf.evaluate(secret, b"badge\x00UA\x00AB%06d" % next(counter))

        with serving(network.config) as url:
            settings.MATCHING_SERVICE_URL = url

            def entries(batch: int) -> None:
                for start in range(0, ENTRIES_PER_ROUND, batch):
                    values = [
                        b"badge\x00UA\x00%08d" % next(counter)
                        for _ in range(min(batch, ENTRIES_PER_ROUND - start))
                    ]
                    hidden = [oprf.blind(v) for v in values]
                    evaluated, point, threshold = client.evaluate(
                        token, [h.element for h in hidden]
                    )
                    payload = []
                    for value, h, answer in zip(values, hidden, evaluated, strict=True):
                        derived = escrow.derive(oprf.finalize(value, h.blind, answer), threshold)
                        sealed = escrow.seal_entry(
                            counsel_public, derived, point, {"i": value.hex()}
                        )
                        payload.append(
                            {
                                "tag": client.b64(derived.tag),
                                "sealed": client.b64(sealed),
                                "month": "2026-03",
                                "withdraw_hash": client.b64(
                                    hashlib.sha256(os.urandom(32)).digest()
                                ),
                            }
                        )
                    client.add_entries(token, payload)

            fns: dict[str, Any] = {BARE: bare}
            per_round = {BARE: BASELINE_LOOPS}
            for batch in BATCHES:
                fns[f"batch {batch}"] = functools.partial(entries, batch)
                per_round[f"batch {batch}"] = ENTRIES_PER_ROUND

            def say(index: int, last: dict[str, float]) -> None:
                common.progress(
                    f"matching: round {index + 1}/{ROUNDS}: "
                    + ", ".join(f"{k} {per_round[k] / v:,.0f}/s" for k, v in last.items())
                )

            started = time.perf_counter()
            times = common.interleave(fns, ROUNDS, on_run=say)
            common.progress(f"matching: {time.perf_counter() - started:.0f} s")
    per_entry = {k: [t / per_round[k] for t in v] for k, v in times.items()}
    bare_rates = [1 / t for t in per_entry[BARE]]
    table.add(BARE, "-", *_rates(bare_rates), "1.00x")
    data: dict[str, Any] = {
        "bare_per_second": common.summary(bare_rates),
        "load_average": common.load_average(),
    }
    for batch in BATCHES:
        label = f"batch {batch}"
        rates = [1 / t for t in per_entry[label]]
        pair = common.paired(per_entry[label], per_entry[BARE])
        data[f"end_to_end_batch_{batch}_per_second"] = common.summary(rates)
        data[f"end_to_end_batch_{batch}_vs_bare"] = pair
        table.add(
            "end to end through the service",
            str(batch),
            *_rates(rates),
            common.fmt_paired_ratio(pair),
        )
    table.note += f" Load average at the end: {data['load_average']}."
    report.tables.append(table)
    report.data = data
    return report


def _rates(rates: list[float]) -> list[str]:
    return [f"{common.median(rates):,.0f}", f"{min(rates):,.0f}"]
