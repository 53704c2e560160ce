"""Shared helpers for the benchmark groups: Django setup, timing, statistics, reporting."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench password 42 correct horse"


def setup_django() -> None:
    """Configure Django from the environment (``make bench`` sets VIGIL_TESTING=1)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
    import django

    django.setup()


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- timing -------------------------------------------------------------------


@contextmanager
def no_gc() -> Iterator[None]:
    """Keep the cyclic garbage collector out of a timed section, as timeit does."""
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def time_once(fn: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    with no_gc():
        start = time.perf_counter_ns()
        fn()
        return (time.perf_counter_ns() - start) / 1e9


def sample(fn: Callable[[], object], runs: int, warmup: int = 1) -> list[float]:
    """Seconds per call for ``runs`` calls, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    return [time_once(fn) for _ in range(runs)]


def per_op_us(fn: Callable[[], object], loops: int, rounds: int, warmup: int = 200) -> list[float]:
    """Mean microseconds per call in each of ``rounds`` rounds of ``loops`` calls."""
    for _ in range(warmup):
        fn()
    result = []
    for _ in range(rounds):
        with no_gc():
            start = time.perf_counter_ns()
            for _ in range(loops):
                fn()
            elapsed = time.perf_counter_ns() - start
        result.append(elapsed / loops / 1000)
    return result


def interleave(
    fns: dict[str, Callable[[], object]],
    runs: int,
    warmup: int = 1,
    on_run: Callable[[int, dict[str, float]], None] | None = None,
    cpu: dict[str, list[float]] | None = None,
) -> dict[str, list[float]]:
    """Seconds per call of each function, interleaved: ``warmup`` untimed calls of each,
    then ``runs`` repetitions of A B C ... so that load from other processes on a shared
    machine falls on all of them alike. ``on_run(index, last)`` reports each repetition;
    ``cpu``, if given, receives this process's CPU seconds per call too."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {label: [] for label in fns}
    for index in range(runs):
        for label, fn in fns.items():
            if cpu is None:
                times[label].append(time_once(fn))
                continue
            with no_gc():
                start, start_cpu = time.perf_counter(), time.process_time()
                fn()
                cpu.setdefault(label, []).append(time.process_time() - start_cpu)
                times[label].append(time.perf_counter() - start)
        if on_run is not None:
            on_run(index, {label: values[-1] for label, values in times.items()})
    return times


def paired(measured: Sequence[float], baseline: Sequence[float]) -> dict[str, Any]:
    """A figure against its interleaved baseline: min and median of both, the ratio of
    medians and of minima, and the spread of the per-repetition ratios."""
    if len(measured) != len(baseline) or not measured:
        raise ValueError("paired samples of equal, non-zero length expected")
    ratios = [m / b for m, b in zip(measured, baseline, strict=True)]
    return {
        "measured": summary(measured),
        "baseline": summary(baseline),
        "ratio": median(measured) / median(baseline),
        "ratio_of_minima": min(measured) / min(baseline),
        "ratios": ratios,
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
    }


def fmt_paired_ratio(pair: dict[str, Any]) -> str:
    """``1.03x (0.98-1.10x)``: ratio of medians, then the per-repetition range."""
    return f"{pair['ratio']:.2f}x ({pair['ratio_min']:.2f}-{pair['ratio_max']:.2f}x)"


def fmt_min_median(values: dict[str, Any], fmt: Callable[[float], str] | None = None) -> str:
    """``min / median`` of a ``summary()``."""
    f = fmt or fmt_ms
    return f"{f(values['min'])} / {f(values['median'])}"


# --- statistics ---------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default method)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values: Sequence[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "median": median(values),
        "p95": percentile(values, 95),
        "min": min(values),
        "max": max(values),
        "samples": list(values),
    }


# --- reporting ----------------------------------------------------------------


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""

    def add(self, *cells: str) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(list(cells))

    def markdown(self) -> str:
        lines = [
            f"#### {self.title}",
            "",
            "| " + " | ".join(self.columns) + " |",
            "|" + "|".join("---" if i == 0 else "---:" for i in range(len(self.columns))) + "|",
        ]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        if self.note:
            lines += ["", self.note]
        return "\n".join(lines)


@dataclass
class Report:
    """What a group returns: tables for people, ``data`` for machines."""

    group: str
    title: str
    tables: list[Table] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def markdown(self) -> str:
        parts = [f"### {self.title}", ""]
        parts += [table.markdown() + "\n" for table in self.tables]
        parts.append(f"_Group run time: {self.seconds:.1f} s._")
        return "\n".join(parts)

    def write_json(self, directory: Path = RESULTS_DIR) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{self.group}.json"
        payload = {
            "group": self.group,
            "title": self.title,
            "machine": machine(),
            "seconds": round(self.seconds, 3),
            "results": self.data,
        }
        path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return path


def machine() -> dict[str, Any]:
    return {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "vigil_testing": os.environ.get("VIGIL_TESTING", ""),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


# --- formatting -----------------------------------------------------------------


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def fmt_us(microseconds: float) -> str:
    return f"{microseconds:,.1f} µs"


def fmt_rate(value: float) -> str:
    return f"{value:,.0f}"


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}x"


# --- workers, databases, signed-in clients ---------------------------------------------------


def run_worker(module: str, name: str, url: str | None, **extra_env: str) -> dict[str, Any]:
    """Run ``python -m <module> --worker --name <name>`` against a throw-away installation
    (a temporary ``VIGIL_VAR_DIR``; a SQLite file in it unless ``url`` is given;
    ``extra_env`` overrides any variable) and return the JSON of its last line."""
    short = module.rsplit(".", 1)[-1]
    with tempfile.TemporaryDirectory(prefix=f"vigil-bench-{short}-") as tmp:
        env = {
            **os.environ,
            "VIGIL_TESTING": "1",
            "VIGIL_VAR_DIR": tmp,
            "DATABASE_URL": url or f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "vigil.settings",
            **extra_env,
        }
        command = [sys.executable, "-m", module, "--worker", "--name", name]
        done = subprocess.run(  # noqa: S603 - our own interpreter and module
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, check=True, text=True
        )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def db_label(connection: Any) -> str:
    """``SQLite 3.40.1`` or ``PostgreSQL 15.20``: the server actually measured."""
    if connection.vendor == "sqlite":
        return "SQLite " + ".".join(str(x) for x in connection.Database.sqlite_version_info)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return "PostgreSQL " + str(cursor.fetchone()[0]).split()[0]


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (``uptime``), to print next to figures."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def staff_member(
    organisation: Any, username: str, role: str, private: Any = None
) -> tuple[Any, Any]:
    """A member who can sign in at once (no forced password change) and a TOTP device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vigil.accounts import actions

    extra = {"org_private": private} if private is not None else {}
    member = actions.add_member(
        None, organisation, username=username, role=role, password=PASSWORD, **extra
    )
    user = member.membership.user
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user, device


def throwaway_sqlite_runs(module: str, *steps: tuple[str, str]) -> list[dict[str, Any]]:
    """Run ``python -m <module> <flag>`` for each (flag, what it does) in one throw-away,
    migrated SQLite installation; return the JSON each run printed last."""
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "VIGIL_VAR_DIR": folder, "VIGIL_TESTING": "1"}
        env.pop("DATABASE_URL", None)
        progress("migrating a throw-away SQLite database")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        results = []
        for flag, doing in steps:
            progress(doing)
            out = subprocess.run(  # noqa: S603 - this interpreter running our own module
                [sys.executable, "-m", module, flag],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def coordinated_organisation(slug: str, name: str) -> tuple[Any, Any, bytes]:
    """A Ukrainian organisation, its coordinator (holding the organisation key) and
    that key, as the import and export benchmarks need them."""
    from vigil.accounts import actions

    made = actions.create_organisation(None, name=name, slug=slug, country="UA", languages=["uk"])
    member = actions.add_member(
        None,
        made.organisation,
        username=slug,
        role="coordinator",
        password=PASSWORD,
        org_private=made.private_key,
    )
    return made.organisation, member.membership.user, made.private_key


def sign_in(user: Any, device: Any = None) -> Any:
    """A test client signed in through the real views: password, then a TOTP code."""
    from django.test import Client
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if device is None:
        device = TOTPDevice.objects.get(user=user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # a fresh code may be reused
    device.refresh_from_db()
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    response = client.post("/accounts/2fa/", {"token": code})
    assert response.status_code == 302, response.status_code
    return client


def browse(client: Any, method: str, path: str, data: Any = None) -> tuple[Any, int]:
    """One request as a browser makes it: redirects followed (GET after each), the final
    answer must be 200. Returns the final response (its streamed body consumed) and the
    number of redirects followed."""
    call = client.get if method == "GET" else client.post
    response = call(path, data, follow=True) if data is not None else call(path, follow=True)
    assert response.status_code == 200, (path, response.status_code)
    if getattr(response, "streaming", False):
        for _chunk in response.streaming_content:
            pass
    return response, len(response.redirect_chain)


def worker_database(prefix: str, *, keep_existing: bool = False) -> str:
    """In a worker process: the throw-away PostgreSQL database (re)created (its name must
    start with ``prefix``; kept if ``keep_existing`` and it exists), Django set up with the
    test client's host allowed, ``migrate`` run. Returns ``DATABASE_URL``."""
    from bench import pgdb

    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres") and not (keep_existing and pgdb.exists(url, prefix)):
        pgdb.recreate(url, prefix)
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    # The test client's host; setup_test_environment() would also instrument template
    # rendering, which the pages measured should not pay.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    progress("worker: migrate")
    call_command("migrate", verbosity=0)
    return url


def worker_main(group: str, worker: Callable[[str], Any], argv: list[str] | None) -> int:
    """``python -m bench.<group>``: the group, or with ``--worker`` one database of it
    (its result printed as JSON on the last line, which the parent reads)."""
    parser = argparse.ArgumentParser(prog=f"python -m bench.{group}")
    parser.add_argument("--worker", action="store_true", help="internal: run one database")
    parser.add_argument("--name", default="sqlite")
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.name), ensure_ascii=False, default=str))
        return 0
    from bench.__main__ import main as bench_main

    return bench_main([group])
