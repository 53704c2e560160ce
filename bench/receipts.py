"""Receipt guessing: can a real reporter open her mailbox during a flood?

A throw-away SQLite installation served by gunicorn on loopback (the same
server as the intake group: ``WORKERS`` sync workers, production settings and
receipt KDF). One report is filed and its receipt kept. Then, for each phase,
``GUESSERS`` threads guess receipts for ``PHASE_SECONDS`` while the reporter
opens her mailbox every ``REPORTER_EVERY`` seconds (page, then the receipt
POST, then the thread page), each opening timed from the page request to the
thread page received, minus the moment a person takes to type the code (the
ticket's minimum age, spent waiting, not counted).

Phases:

* ``quiet``: no guessers (the baseline of the same run);
* ``no ticket``: guessers that skip the page and post codes as fast as the
  server answers (the slow lane, refused cheaply once it is full);
* ``fresh tickets``: guessers that load the page for every guess and wait
  out the ticket, the most a script gets through without being refused.

The three phases run in turn ``REPETITIONS`` times (default 3,
``BENCH_RECEIPTS_REPETITIONS``), so each flood phase is compared with the
quiet phase of its own repetition; the table gives min and median over the
repetitions. ``BENCH_RECEIPTS_SCALE`` scales the phase durations (default
1: 60 s).
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench import common
from bench.intake import (
    KDF_PRODUCTION,
    WORKERS,
    Browser,
    FlowError,
    Server,
    _token,
    child,
    fill_draft,
    manage,
    send,
    server_env,
)

TITLE = "Receipt guessing: a reporter opens her mailbox during a flood"

GUESSERS = 16
SCALE = float(os.environ.get("BENCH_RECEIPTS_SCALE", "1"))
PHASE_SECONDS = 60 * SCALE
QUIET_SECONDS = 20 * SCALE
REPORTER_EVERY = 4.0
TICKET_SECONDS = 2.0  # the server default RECEIPT_TICKET_MIN_SECONDS
TICKET_RE = re.compile(rb'name="ticket" value="([^"]+)"')
RECEIPT_RE = re.compile(rb'id="receipt">([\d ]{19})<')
WRONG = "1234 5678 9012 3456"
GOAL_SECONDS = 2.0
REPETITIONS = int(os.environ.get("BENCH_RECEIPTS_REPETITIONS", "3"))


def _ticket(response: bytes) -> str:
    match = TICKET_RE.search(response)
    if not match:
        raise FlowError("no ticket on the mailbox page")
    return match.group(1).decode()


def file_one_report(port: int) -> str:
    browser = Browser(port)
    draft = fill_draft(browser)
    send(browser, draft)
    page = browser.expect("GET", "/report/receipt/", 200)
    match = RECEIPT_RE.search(page.body)
    if not match:
        raise FlowError("no receipt")
    return match.group(1).decode()


def open_mailbox(port: int, receipt: str) -> tuple[float, bool]:
    """Seconds the server took for her to get from the page to her thread; success."""
    browser = Browser(port)
    try:
        start = time.perf_counter()
        page = browser.expect("GET", "/report/status/", 200)
        loaded = time.perf_counter()
        time.sleep(TICKET_SECONDS)  # she types her code; not the server's time
        fields = {
            "receipt": receipt,
            "ticket": _ticket(page.body),
            "csrfmiddlewaretoken": _token(page),
        }
        sent = time.perf_counter()
        answer = browser.fetch("POST", "/report/status/", fields)
        if answer.status != 302:
            return (loaded - start) + (time.perf_counter() - sent), False
        browser.expect("GET", "/report/status/thread/", 200)
        return (loaded - start) + (time.perf_counter() - sent), True
    except FlowError:
        return float("inf"), False
    finally:
        browser.close()


def guess_without_ticket(port: int, stop: float, counts: dict[str, int]) -> None:
    browser = Browser(port)
    try:
        token = _token(browser.expect("GET", "/report/status/", 200))
        while time.monotonic() < stop:
            reply = browser.fetch(
                "POST", "/report/status/", {"receipt": WRONG, "csrfmiddlewaretoken": token}
            )
            counts[str(reply.status)] = counts.get(str(reply.status), 0) + 1
    except FlowError:
        counts["error"] = counts.get("error", 0) + 1
    finally:
        browser.close()


def guess_with_fresh_tickets(port: int, stop: float, counts: dict[str, int]) -> None:
    browser = Browser(port)
    try:
        while time.monotonic() < stop:
            page = browser.expect("GET", "/report/status/", 200)
            time.sleep(TICKET_SECONDS)
            fields = {
                "receipt": f"{secrets.randbelow(10**16):016d}",
                "ticket": _ticket(page.body),
                "csrfmiddlewaretoken": _token(page),
            }
            reply = browser.fetch("POST", "/report/status/", fields)
            counts[str(reply.status)] = counts.get(str(reply.status), 0) + 1
    except FlowError:
        counts["error"] = counts.get("error", 0) + 1
    finally:
        browser.close()


def phase(port: int, receipt: str, seconds: float, guesser: object | None) -> dict[str, object]:
    stop = time.monotonic() + seconds
    counts: dict[str, int] = {}
    threads = [
        threading.Thread(target=guesser, args=(port, stop, counts), daemon=True)  # type: ignore[arg-type]
        for _ in range(GUESSERS if guesser else 0)
    ]
    for thread in threads:
        thread.start()
    time.sleep(min(2.0, seconds / 4))  # let the flood build up
    openings: list[tuple[float, bool]] = []
    while time.monotonic() < stop - TICKET_SECONDS - 1:
        openings.append(open_mailbox(port, receipt))
        time.sleep(max(0.0, REPORTER_EVERY - TICKET_SECONDS))
    for thread in threads:
        thread.join(timeout=60)
    times = [t for t, ok in openings if ok]
    return {
        "openings": len(openings),
        "opened": len(times),
        "seconds": common.summary(times) if times else None,
        "guesses": counts,
        "guess_rate": sum(counts.values()) / seconds,
    }


PHASES = [
    ("quiet (baseline)", None, QUIET_SECONDS),
    ("16 guessers, no ticket", guess_without_ticket, PHASE_SECONDS),
    ("16 guessers, fresh ticket each guess", guess_with_fresh_tickets, PHASE_SECONDS),
]


def run() -> common.Report:
    report = common.Report(group="receipts", title=TITLE)
    results: dict[str, object] = {
        "workers": WORKERS,
        "guessers": GUESSERS,
        "repetitions": REPETITIONS,
        "phases": {label: [] for label, _guesser, _seconds in PHASES},
    }
    with tempfile.TemporaryDirectory(prefix="vigil-bench-receipts-") as tmp:
        var_dir = Path(tmp)
        env = server_env(var_dir, secrets.token_urlsafe(48), None, KDF_PRODUCTION)
        common.progress("receipts: collectstatic, migrate, organisation")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(env, "migrate", "--noinput", "-v", "0")
        child(env, "setup")
        with Server(env, var_dir) as server:
            receipt = file_one_report(server.port)
            for repetition in range(1, REPETITIONS + 1):
                for label, guesser, seconds in PHASES:
                    common.progress(f"receipts: {label}, {seconds:.0f} s (repetition {repetition})")
                    measured = phase(server.port, receipt, seconds, guesser)
                    measured["load_average"] = os.getloadavg()[0]
                    results["phases"][label].append(measured)  # type: ignore[index]
    report.data = results
    _table(report, results)
    return report


def _table(report: common.Report, results: dict[str, object]) -> None:
    table = common.Table(
        f"Reporter opening her mailbox (SQLite, {WORKERS} sync workers, production KDF, "
        f"{REPETITIONS} interleaved repetitions)",
        [
            "phase",
            "openings ok",
            "median opening: min / median over repetitions",
            "slowest opening",
            "median / quiet of the same repetition: min / median",
            "guesses/s: min / median",
            "guess answers (all repetitions)",
            "load avg",
        ],
        note=(
            f"Goal: every opening under {GOAL_SECONDS:.0f} s. Opening = page GET + receipt "
            "POST + thread GET as the server answers them (her typing time excluded). "
            "Each repetition runs the quiet phase (the baseline) and then both floods."
        ),
    )
    phases: dict[str, list[dict[str, Any]]] = results["phases"]  # type: ignore[assignment]
    quiet = phases[PHASES[0][0]]
    for label, runs in phases.items():
        opened = sum(r["opened"] for r in runs)
        openings = sum(r["openings"] for r in runs)
        medians = [r["seconds"]["median"] for r in runs if r["seconds"]]
        if not medians:
            table.add(label, f"0/{openings}", "-", "-", "-", "-", "-", "-")
            continue
        ratios = [
            r["seconds"]["median"] / q["seconds"]["median"]
            for r, q in zip(runs, quiet, strict=True)
            if r["seconds"] and q["seconds"]
        ]
        rates = [r["guess_rate"] for r in runs]
        answers: dict[str, int] = {}
        for r in runs:
            for key, value in r["guesses"].items():
                answers[key] = answers.get(key, 0) + value
        loads = [r["load_average"] for r in runs]
        table.add(
            label,
            f"{opened}/{openings}",
            f"{common.fmt_ms(min(medians))} / {common.fmt_ms(common.median(medians))}",
            common.fmt_ms(max(r["seconds"]["max"] for r in runs if r["seconds"])),
            f"{common.fmt_ratio(min(ratios))} / {common.fmt_ratio(common.median(ratios))}"
            if ratios
            else "-",
            f"{min(rates):.1f} / {common.median(rates):.1f}",
            ", ".join(f"{k}: {v}" for k, v in sorted(answers.items())) or "-",
            f"{min(loads):.1f}-{max(loads):.1f}",
        )
    report.tables.append(table)
