"""Matching group: OPRF entries per second end to end through the service on loopback.

Baseline: the bare OPRF evaluation by the key holder (one hash-to-group, one
scalar multiplication, one SHA-512), measured in the same run. End to end is
what Vigil does per identifier: blind, POST /v1/evaluate, finalize, derive the
tag, line and key, seal the entry to the counsel, POST /v1/entries; the
service (``matchsvc``, threaded wsgiref server, SQLite in WAL mode) runs in
this process on a free loopback port, so both sides share the 2 cores.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from bench import common

TITLE = "Matching: OPRF entries through the matching service"

ROUNDS = 5
ENTRIES_PER_ROUND = 200
BASELINE_LOOPS = 2000
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
        f"Entries per second, {ROUNDS} rounds of {ENTRIES_PER_ROUND} identifiers",
        ["Case", "per request", "median /s", "min /s", "max /s", "vs bare OPRF"],
        note=(
            "min /s is the slowest round. Every identifier is distinct, so every "
            "entry is a new tag; the quota is set out of the way."
        ),
    )
    counsel_public = crypto.new_keypair()[1]
    with tempfile.TemporaryDirectory() as folder:
        network = configure(Path(folder), daily_quota=10**9)
        token = network.add_member("bench")
        secret = keys.load(network.config.key_file)[network.slug]

        counter = iter(range(10**9))

        def bare() -> None:
            oprf.evaluate(secret, b"badge\x00UA\x00AB%06d" % next(counter))

        common.progress("matching: bare OPRF evaluation")
        per_op = common.per_op_us(bare, loops=BASELINE_LOOPS, rounds=ROUNDS)
        bare_rates = [1e6 / us for us in per_op]
        base = common.median(bare_rates)
        table.add("bare OPRF evaluation (baseline)", "-", *_rates(bare_rates), "1.00")
        data: dict[str, Any] = {"bare_per_second": common.summary(bare_rates)}

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

            for batch in BATCHES:
                common.progress(f"matching: end to end, {batch} per request")
                seconds = common.sample(functools.partial(entries, batch), ROUNDS)
                rates = [ENTRIES_PER_ROUND / s for s in seconds]
                data[f"end_to_end_batch_{batch}_per_second"] = common.summary(rates)
                table.add(
                    "end to end through the service",
                    str(batch),
                    *_rates(rates),
                    f"{common.median(rates) / base:.3f}",
                )
    report.tables.append(table)
    report.data = data
    return report


def _rates(rates: list[float]) -> list[str]:
    return [f"{common.median(rates):,.0f}", f"{min(rates):,.0f}", f"{max(rates):,.0f}"]
