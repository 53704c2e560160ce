"""Intake group: the anonymous reporting flow under load, over real HTTP.

For SQLite and then PostgreSQL this group builds a throw-away installation
(temporary ``VIGIL_VAR_DIR``, ``migrate``, ``collectstatic``, one
organisation), serves it with gunicorn on 127.0.0.1 (sync workers, no access
log, production settings apart from HTTPS and the abuse limits) and drives
it with a bounded load generator in this process: ``REPORTERS`` threads,
each with its own cookie jar and an ``http.client`` connection, stopping by
themselves at a count or a time limit, whichever comes first.

Measured: complete reports (every page and post a reporter's browser sends
without JavaScript, including the GET that follows each redirect), the final
review POST alone (the one that stores the report) against a bare insert
view (``bench/_baseline_urls.py``) on the same server, the weight of the
public pages with their assets, and a cProfile breakdown of one review POST.
Submission rows are counted in the database after each phase and compared
with the stores the load generator saw.

PostgreSQL runs in the database ``vigil_benchintake``, created and dropped
here with ``psql``; it is skipped if the server cannot be reached.
``BENCH_INTAKE_SCALE`` (default 1) scales every phase duration and
``BENCH_INTAKE_WORKERS`` the gunicorn worker count, for quick trials.
"""

from __future__ import annotations

import cProfile
import functools
import gzip
import http.client
import json
import os
import pstats
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from bench import common

TITLE = "Anonymous reporting"

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-org"
PG_URL = os.environ.get(
    "BENCH_INTAKE_PG_URL", "postgres://postgres@127.0.0.1:5432/vigil_benchintake"
)
DATABASES: list[tuple[str, str | None]] = [
    (label, url)
    for label, url in (("SQLite", None), ("PostgreSQL", PG_URL))
    if label.lower() in os.environ.get("BENCH_INTAKE_DATABASES", "sqlite,postgresql").lower()
]

MIB = 1024 * 1024
# Receipt KDF: the production default of vigil/settings.py, and the test values
# (one pass over 8 KiB: practically free) to show what Argon2id costs.
KDF_PRODUCTION = ("production (ops 2, 16 MiB)", 2, 16 * MIB)
KDF_MINIMAL = ("minimal (ops 1, 8 KiB)", 1, 8192)

WORKERS = int(os.environ.get("BENCH_INTAKE_WORKERS", "3"))
REPORTERS = 8
SCALE = float(os.environ.get("BENCH_INTAKE_SCALE", "1"))
WARMUP_SECONDS = 3 * SCALE
FLOW_SECONDS = 30 * SCALE
EXTRA_FLOW_SECONDS = 10 * SCALE  # full flows with the minimal KDF
SUBMIT_SECONDS = 10 * SCALE
DRAFT_SECONDS = 20 * SCALE  # unmeasured preparation of drafts for the review-only phase
MAX_DRAFTS = 1_000
BASELINE_SECONDS = 10 * SCALE
MAX_FLOWS = 5_000
# Every measured phase runs this many times, interleaved with its baseline
# (flow, review-only, baseline insert; then again), on each server.
REPETITIONS = int(os.environ.get("BENCH_INTAKE_REPETITIONS", "3"))
MAX_BASELINE = 50_000
HTTP_TIMEOUT = 20.0
PROFILE_RUNS = 10

STEPS: list[tuple[str, dict[str, Any]]] = [
    ("what", {"what": ["search", "children"], "story": "Меня остановили у метро и обыскали"}),
    ("when", {"when": "this_week", "region": "UA-30", "place": "transport"}),
    ("who", {"who": "police", "uniform": "yes", "badge": "КВ-4471"}),
    ("help", {"needs": ["legal", "ost"]}),
    ("consent", {"consents": ["follow_up", "statistics", "matching"]}),
    ("contact", {"method": "phone", "contact": "+380 50 111 2233"}),
]
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIPT_RE = re.compile(rb'id="receipt">([\d ]{19})<')


def run() -> common.Report:
    report = common.Report(group="intake", title=TITLE)
    data: dict[str, Any] = {
        "settings": {
            "workers": WORKERS,
            "worker_class": "sync",
            "reporters": REPORTERS,
            "flow_seconds": FLOW_SECONDS,
            "submit_seconds": SUBMIT_SECONDS,
            "baseline_seconds": BASELINE_SECONDS,
            "http_timeout": HTTP_TIMEOUT,
        },
        "databases": {},
    }
    secret_key = secrets.token_urlsafe(48)
    with tempfile.TemporaryDirectory(prefix="vigil-bench-intake-") as tmp:
        var_dir = Path(tmp)
        base = server_env(var_dir, secret_key, None, KDF_PRODUCTION)
        common.progress("intake: collectstatic (whitenoise compressed manifest)")
        manage(base, "collectstatic", "--noinput", "-v", "0")
        for label, url in DATABASES:
            if url is not None and not create_pg_database(url):
                common.progress(f"intake: PostgreSQL at {url} not reachable; skipped")
                continue
            try:
                data["databases"][label] = bench_database(label, url, var_dir, secret_key)
            finally:
                if url is not None:
                    drop_pg_database(url)
    _tables(report, data)
    report.data = data
    return report


def bench_database(label: str, url: str | None, var_dir: Path, secret_key: str) -> dict[str, Any]:
    db = Database(label, url, var_dir)
    env = server_env(var_dir, secret_key, url, KDF_PRODUCTION)
    common.progress(f"intake [{label}]: migrate and create the organisation")
    manage(env, "migrate", "--noinput", "-v", "0")
    child(env, "setup")
    result: dict[str, Any] = {"runs": {}}
    runs = result["runs"]
    with Server(env, var_dir) as server:
        drive(f"{label} warm-up", server.port, full_flow, WARMUP_SECONDS, 4 * REPORTERS)
        for _ in range(REPETITIONS):
            for key, kind, kdf in (
                ("flow_production", "flow", KDF_PRODUCTION),
                ("submit_production", "submit", KDF_PRODUCTION),
                ("baseline", "baseline", None),
            ):
                runs.setdefault(f"{key}_all", []).append(measured(db, kind, label, server, kdf))
        if url is None:
            result["page_weight"] = page_weight(server.port)
    with Server(server_env(var_dir, secret_key, url, KDF_MINIMAL), var_dir) as server:
        drive(f"{label} warm-up", server.port, full_flow, WARMUP_SECONDS, 4 * REPORTERS)
        for _ in range(REPETITIONS):
            for key, kind, kdf in (
                ("flow_minimal", "flow", KDF_MINIMAL),
                ("submit_minimal", "submit", KDF_MINIMAL),
                ("baseline_minimal", "baseline", None),
            ):
                runs.setdefault(f"{key}_all", []).append(measured(db, kind, label, server, kdf))
    _median_runs(runs)
    common.progress(f"intake [{label}]: cProfile of the review POST ({PROFILE_RUNS} runs)")
    result["profile"] = json.loads(child(env, "profile").splitlines()[-1])
    return result


def _median_runs(runs: dict[str, Any]) -> None:
    """``runs[key]``: the repetition with the median server CPU per operation, with the
    per-repetition CPU figures (``cpu_ms_all``) and, for the measured endpoints, the
    CPU ratio to the baseline phase of the same repetition (``cpu_ratio_all``)."""
    for key in [k for k in runs if k.endswith("_all")]:
        repetitions = runs[key]
        ordered = sorted(repetitions, key=lambda r: r["server_cpu_ms_per_request"])
        chosen = dict(ordered[(len(ordered) - 1) // 2])
        chosen["cpu_ms_per_op_all"] = [r["server_cpu_ms_per_op"] for r in repetitions]
        chosen["cpu_ms_per_request_all"] = [r["server_cpu_ms_per_request"] for r in repetitions]
        runs[key.removesuffix("_all")] = chosen
    for key, base in (
        ("submit_production", "baseline"),
        ("submit_minimal", "baseline_minimal"),
    ):
        if key in runs and base in runs:
            runs[key]["cpu_ratio_all"] = [
                b / r if r else 0.0
                for r, b in zip(
                    runs[key]["cpu_ms_per_request_all"],
                    runs[base]["cpu_ms_per_request_all"],
                    strict=True,
                )
            ]


def _min_median(values: list[float], unit: str = " ms") -> str:
    if not values:
        return "-"
    digits = 2 if unit == "x" else 1
    return f"{min(values):.{digits}f}{unit} / {common.median(values):.{digits}f}{unit}"


# --- environment, server, database ----------------------------------------------


def server_env(
    var_dir: Path, secret_key: str, database_url: str | None, kdf: tuple[str, int, int]
) -> dict[str, str]:
    """Production settings, except plain HTTP on loopback and no abuse limits."""
    dropped = {"VIGIL_TESTING", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.endswith("_FILE")}
    env.update(
        DJANGO_SETTINGS_MODULE="bench._baseline_settings",
        VIGIL_VAR_DIR=str(var_dir),
        DEBUG="0",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",
        SECURE_SSL_REDIRECT="0",
        REPORT_MIN_FILL_SECONDS="0",
        REPORT_SESSION_LIMIT_PER_HOUR="1000000",
        REPORT_GLOBAL_LIMIT_PER_MINUTE="1000000",
        RECEIPT_KDF_OPSLIMIT=str(kdf[1]),
        RECEIPT_KDF_MEMLIMIT=str(kdf[2]),
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300)  # noqa: S603 - our own argv


def child(env: dict[str, str], command: str) -> str:
    """Run ``child_main(command)`` in a fresh interpreter with the server's settings."""
    code = "import sys; from bench import intake; sys.exit(intake.child_main(sys.argv[1:]))"
    done = subprocess.run(  # noqa: S603 - fixed argv: this interpreter and our code
        [sys.executable, "-c", code, command],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _psql(url: str, sql: str) -> bool:
    parts = urlsplit(url)
    command = [
        "psql",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        "-d",
        "postgres",
        "-v",
        "ON_ERROR_STOP=1",
        "-qc",
        sql,
    ]
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = parts.password
    try:
        subprocess.run(  # noqa: S603 - psql with a vigil_* name checked by _db_name
            command, env=env, check=True, timeout=60, capture_output=True
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def _db_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"vigil_\w+", name):
        raise ValueError(f"refusing to create or drop {name!r}: not a vigil_* database")
    return name


def create_pg_database(url: str) -> bool:
    name = _db_name(url)
    common.progress(f"intake: (re)create PostgreSQL database {name}")
    return _psql(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)") and _psql(
        url, f"CREATE DATABASE {name}"
    )


def drop_pg_database(url: str) -> None:
    common.progress(f"intake: drop PostgreSQL database {_db_name(url)}")
    _psql(url, f"DROP DATABASE IF EXISTS {_db_name(url)} WITH (FORCE)")


@dataclass
class Database:
    """Row counts read straight from the database, outside the server."""

    label: str
    url: str | None
    var_dir: Path

    def count(self, table: str) -> int:
        query = f"SELECT COUNT(*) FROM {table}"  # noqa: S608 - fixed table names, no input
        if self.url is None:
            with sqlite3.connect(self.var_dir / "vigil.sqlite3", timeout=20) as connection:
                return int(connection.execute(query).fetchone()[0])
        import psycopg

        with psycopg.connect(self.url, connect_timeout=10) as connection:
            row = connection.execute(query).fetchone()
            return int(row[0]) if row else 0


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu(master: int, database: bytes) -> dict[int, tuple[str, float]]:
    """pid -> (kind, user + system CPU seconds) for the server's processes, read from /proc.

    Only reads: the gunicorn master and its children, and PostgreSQL backends
    whose title names ``database`` (so other people's databases are not counted).
    """
    found: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            ppid, seconds = int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            pid = int(entry.name)
            if pid == master or ppid == master:
                found[pid] = ("gunicorn", seconds)
            elif database and b"postgres" in stat.encode():
                title = (entry / "cmdline").read_bytes()
                if database in title.split():
                    found[pid] = ("postgres", seconds)
        except (OSError, ValueError, IndexError):
            continue
    return found


def cpu_delta(
    before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]
) -> dict[str, float]:
    totals: dict[str, float] = {"gunicorn": 0.0, "postgres": 0.0}
    for pid, (kind, seconds) in after.items():
        totals[kind] += seconds - before.get(pid, (kind, 0.0))[1]
    return totals


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """gunicorn on a free loopback port: sync workers, no access log; stopped on exit."""

    def __init__(self, env: dict[str, str], var_dir: Path) -> None:
        self.env = env
        self.port = free_port()
        self.log_path = var_dir / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def cpu(self) -> dict[int, tuple[str, float]]:
        """CPU seconds of the gunicorn master and workers, and of this database's backends."""
        if self.process is None:
            return {}
        database = urlsplit(self.env.get("DATABASE_URL", "")).path.lstrip("/").encode()
        return process_cpu(self.process.pid, database)

    def __enter__(self) -> Server:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "vigil.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ]
        common.progress(
            f"intake: gunicorn on 127.0.0.1:{self.port}, {WORKERS} sync workers, "
            f"receipt KDF ops {self.env['RECEIPT_KDF_OPSLIMIT']}, "
            f"mem {int(self.env['RECEIPT_KDF_MEMLIMIT']) // 1024} KiB"
        )
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - this interpreter running gunicorn
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if Browser(self.port).fetch("GET", f"/report/{SLUG}/").status == 200:
                    return self
            except FlowError:
                pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not start:\n{self.log_path.read_text()[-3000:]}")

    def __exit__(self, *exc: object) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        errors = [
            line
            for line in self.log_path.read_text(errors="replace").splitlines()
            if "Traceback" in line or "ERROR" in line
        ]
        if errors:
            common.progress(f"intake: gunicorn log has {len(errors)} error line(s): {errors[:3]}")
        self.process = None


# --- the load generator ------------------------------------------------------------


class FlowError(Exception):
    """A response the flow did not expect, or a connection failure."""


@dataclass
class Response:
    status: int
    location: str
    body: bytes
    headers: dict[str, str]


class Browser:
    """One reporter: a cookie jar and a connection (sync workers close it after each reply)."""

    def __init__(self, port: int) -> None:
        self.host = f"127.0.0.1:{port}"
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
        self.cookies: dict[str, str] = {}
        self.requests = 0
        self.stored = 0

    def fetch(
        self,
        method: str,
        path: str,
        fields: dict[str, Any] | None = None,
        encoding: str = "identity",
    ) -> Response:
        headers = {"Host": self.host, "Accept-Encoding": encoding, "Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.host}"
        self.requests += 1
        try:
            self.connection.request(method, path, body=body, headers=headers)
            reply = self.connection.getresponse()
            data = reply.read()
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()
            raise FlowError(f"{method} {path}: {type(exc).__name__}") from exc
        for header in reply.msg.get_all("Set-Cookie") or []:
            self._remember(header)
        return Response(
            reply.status,
            reply.getheader("Location", ""),
            data,
            {k.lower(): v for k, v in reply.getheaders()},
        )

    def expect(
        self,
        method: str,
        path: str,
        status: int,
        fields: dict[str, Any] | None = None,
        location: str | None = None,
    ) -> Response:
        response = self.fetch(method, path, fields)
        if response.status != status or (location is not None and response.location != location):
            raise FlowError(f"{method} {path}: {response.status} {response.location}".strip())
        return response

    def _remember(self, header: str) -> None:
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def close(self) -> None:
        self.connection.close()


def _token(response: Response) -> str:
    match = CSRF_RE.search(response.body)
    if not match:
        raise FlowError("no CSRF token on the page")
    return match.group(1).decode()


@dataclass
class Draft:
    """A reporter who has answered every step and not yet sent: cookies and CSRF token."""

    cookies: dict[str, str]
    token: str


def fill_draft(browser: Browser) -> Draft:
    """Start page, start POST, the six step POSTs, each redirect followed like a browser.

    That is what a reporter's browser sends before the review POST: 15
    requests (the GET of every page a POST redirects to, up to the review page).
    """
    browser.cookies = {}
    token = _token(browser.expect("GET", f"/report/{SLUG}/", 200))
    first = f"/report/{SLUG}/{STEPS[0][0]}/"
    browser.expect("POST", f"/report/{SLUG}/", 302, {"csrfmiddlewaretoken": token}, first)
    browser.expect("GET", first, 200)
    for index, (step, answers) in enumerate(STEPS):
        following = (
            f"/report/{SLUG}/{STEPS[index + 1][0]}/"
            if index + 1 < len(STEPS)
            else f"/report/{SLUG}/review/"
        )
        fields = {**answers, "csrfmiddlewaretoken": token}
        browser.expect("POST", f"/report/{SLUG}/{step}/", 302, fields, following)
        browser.expect("GET", following, 200)
    return Draft(dict(browser.cookies), token)


def send(browser: Browser, draft: Draft) -> float:
    """The review POST that stores the report; its seconds."""
    browser.cookies = dict(draft.cookies)
    fields = {"website": "", "csrfmiddlewaretoken": draft.token}
    start = time.perf_counter()
    browser.expect("POST", f"/report/{SLUG}/review/", 302, fields, "/report/receipt/")
    elapsed = time.perf_counter() - start
    browser.stored += 1
    return elapsed


def full_flow(browser: Browser) -> dict[str, float]:
    """Everything a browser sends from the start page to 'I have saved my code' (18 requests).

    Every redirect is followed with a GET, as a browser does: 15 requests up to
    the review page, the review POST, the receipt page it redirects to, and the
    "I have saved it" POST (answered 200, no redirect).
    """
    start = time.perf_counter()
    draft = fill_draft(browser)
    review = send(browser, draft)
    page = browser.expect("GET", "/report/receipt/", 200)
    if not RECEIPT_RE.search(page.body):
        raise FlowError("no receipt on the receipt page")
    fields = {"saved": "on", "csrfmiddlewaretoken": draft.token}
    thanks = browser.expect("POST", "/report/receipt/", 200, fields)
    if RECEIPT_RE.search(thanks.body):
        raise FlowError("receipt still shown after 'saved'")
    return {"flow": time.perf_counter() - start, "review": review}


def baseline_insert(browser: Browser) -> dict[str, float]:
    start = time.perf_counter()
    browser.expect("POST", "/bench/insert/", 204, {})
    return {"request": time.perf_counter() - start}


@dataclass
class Phase:
    name: str
    seconds_limit: float
    count_limit: int
    ok: int = 0
    stored: int = 0
    requests: int = 0
    elapsed: float = 0.0
    failures: Counter[str] = field(default_factory=Counter)
    timings: dict[str, list[float]] = field(default_factory=dict)
    client_cpu: float = 0.0
    machine_busy: float = 0.0
    stuck_threads: int = 0
    client_cpu_s: float = 0.0
    wall_s: float = 0.0
    server_cpu_s: dict[str, float] = field(default_factory=dict)


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


def drive(
    name: str,
    port: int,
    task: Callable[[Browser], dict[str, float] | None],
    seconds: float,
    count_limit: int,
    threads: int = REPORTERS,
    probe: Callable[[], dict[int, tuple[str, float]]] | None = None,
) -> Phase:
    """Run ``task`` in ``threads`` loops until the time or the count limit; None ends a loop."""
    phase = Phase(name, seconds, count_limit)
    lock = threading.Lock()
    issued = 0
    start = time.perf_counter()
    deadline = start + seconds
    last_end = start

    def loop() -> None:
        nonlocal issued, last_end
        browser = Browser(port)
        try:
            while True:
                with lock:
                    if time.perf_counter() >= deadline or issued >= count_limit:
                        return
                    issued += 1
                try:
                    result = task(browser)
                except FlowError as exc:
                    with lock:
                        phase.failures[str(exc)] += 1
                        last_end = time.perf_counter()
                    continue
                if result is None:
                    return
                with lock:
                    phase.ok += 1
                    last_end = time.perf_counter()
                    for key, value in result.items():
                        phase.timings.setdefault(key, []).append(value)
        finally:
            browser.close()
            with lock:
                phase.requests += browser.requests
                phase.stored += browser.stored

    snapshot = probe() if probe else {}
    busy0, total0 = _cpu_ticks()
    cpu0 = time.process_time()
    workers = [threading.Thread(target=loop, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    hard_stop = deadline + HTTP_TIMEOUT + 5
    next_note = start + 10
    while any(w.is_alive() for w in workers) and time.perf_counter() < hard_stop:
        for worker in workers:
            worker.join(timeout=0.5)
        if time.perf_counter() >= next_note:
            next_note += 10
            with lock:
                done, failed = phase.ok, sum(phase.failures.values())
            common.progress(
                f"intake: {name}: {time.perf_counter() - start:.0f} s, {done} done, {failed} failed"
            )
    phase.stuck_threads = sum(w.is_alive() for w in workers)
    busy1, total1 = _cpu_ticks()
    phase.client_cpu_s = time.process_time() - cpu0
    phase.server_cpu_s = cpu_delta(snapshot, probe()) if probe else {}
    phase.wall_s = time.perf_counter() - start
    phase.elapsed = max(last_end - start, 1e-9)
    phase.client_cpu = phase.client_cpu_s / phase.elapsed
    phase.machine_busy = (busy1 - busy0) / (total1 - total0) if total1 > total0 else 0.0
    return phase


def measured(
    db: Database, kind: str, label: str, server: Server, kdf: tuple[str, int, int] | None
) -> dict[str, Any]:
    """One measured phase with row counts before and after it."""
    kdf_name = kdf[0] if kdf else "-"
    table = "bench_row" if kind == "baseline" else "intake_submission"
    before = db.count(table)
    if kind == "flow":
        seconds = FLOW_SECONDS if kdf is KDF_PRODUCTION else EXTRA_FLOW_SECONDS
        common.progress(f"intake [{label}]: full flows, {REPORTERS} reporters, {seconds:.0f} s")
        phase = drive(
            f"{label} flows", server.port, full_flow, seconds, MAX_FLOWS, probe=server.cpu
        )
    elif kind == "submit":
        phase = _submit_only(label, server)
    else:
        common.progress(f"intake [{label}]: baseline insert, {BASELINE_SECONDS:.0f} s")
        phase = drive(
            f"{label} baseline",
            server.port,
            baseline_insert,
            BASELINE_SECONDS,
            MAX_BASELINE,
            probe=server.cpu,
        )
    added = db.count(table) - before
    expected = phase.ok if kind == "baseline" else phase.stored
    result = _phase_result(phase)
    result.update(kind=kind, kdf=kdf_name, rows_added=added, rows_match=added == expected)
    if kind == "flow":
        result["rows_match"] = added == phase.stored == phase.ok
    common.progress(
        f"intake [{label}]: {kind} ({kdf_name}): {phase.ok} ok, "
        f"{sum(phase.failures.values())} failed, {result['per_second']:,.1f}/s, "
        f"server CPU {result['server_cpu_ms_per_op']:.1f} ms/op; rows added {added} "
        f"({'match' if result['rows_match'] else 'MISMATCH'})"
    )
    return result


def _submit_only(label: str, server: Server) -> Phase:
    """Prepare drafts (unmeasured, bounded by count and time), then send them back to back."""
    drafts: list[Draft] = []
    lock = threading.Lock()

    def prepare(browser: Browser) -> dict[str, float]:
        draft = fill_draft(browser)
        with lock:
            drafts.append(draft)
        return {}

    common.progress(
        f"intake [{label}]: preparing up to {MAX_DRAFTS} drafts in {DRAFT_SECONDS:.0f} s "
        "for the review-only phase"
    )
    prepared = drive(f"{label} drafts", server.port, prepare, DRAFT_SECONDS, MAX_DRAFTS)
    if prepared.failures:
        common.progress(f"intake [{label}]: draft failures {dict(prepared.failures)}")

    def submit(browser: Browser) -> dict[str, float] | None:
        with lock:
            if not drafts:
                return None
            draft = drafts.pop()
        return {"review": send(browser, draft)}

    count = len(drafts)
    common.progress(f"intake [{label}]: review POSTs only, {count} drafts, {SUBMIT_SECONDS:.0f} s")
    phase = drive(
        f"{label} review POSTs", server.port, submit, SUBMIT_SECONDS, count, probe=server.cpu
    )
    phase.name += f" ({count} drafts, {len(drafts)} left)"
    return phase


def _phase_result(phase: Phase) -> dict[str, Any]:
    return {
        "name": phase.name,
        "ok": phase.ok,
        "failed": sum(phase.failures.values()),
        "failures": dict(phase.failures.most_common(5)),
        "stored": phase.stored,
        "requests": phase.requests,
        "elapsed_s": phase.elapsed,
        "per_second": phase.ok / phase.elapsed,
        "requests_per_second": phase.requests / phase.elapsed,
        "client_cpu_cores": phase.client_cpu,
        "machine_busy": phase.machine_busy,
        "client_cpu_s": phase.client_cpu_s,
        "wall_s": phase.wall_s,
        "server_cpu_s": phase.server_cpu_s,
        "server_cpu_ms_per_op": sum(phase.server_cpu_s.values()) / max(phase.ok, 1) * 1000,
        "server_cpu_ms_per_request": sum(phase.server_cpu_s.values())
        / max(phase.requests, 1)
        * 1000,
        "stuck_threads": phase.stuck_threads,
        "seconds_limit": phase.seconds_limit,
        "count_limit": phase.count_limit,
        "latency": {
            key: {
                "p50": common.percentile(values, 50),
                "p95": common.percentile(values, 95),
                "max": max(values),
                "samples": [round(v, 6) for v in values],
            }
            for key, values in phase.timings.items()
            if values
        },
    }


# --- page weight ------------------------------------------------------------------


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        rel = set(values.get("rel", "").lower().split())
        if tag == "link" and values.get("href") and rel & {"stylesheet", "icon", "preload"}:
            self.urls.append(values["href"])
        elif tag in {"script", "img", "source", "iframe"} and values.get("src"):
            self.urls.append(values["src"])
        if values.get("srcset"):
            self.urls += [part.split()[0] for part in values["srcset"].split(",") if part.strip()]


def _assets_of(page_url: str, html: bytes) -> list[str]:
    parser = _Assets()
    parser.feed(html.decode("utf-8", errors="replace"))
    return [urljoin(page_url, u) for u in parser.urls if not u.startswith("data:")]


def page_weight(port: int) -> dict[str, Any]:
    """Bytes of two public pages with every asset, raw and gzip-compressed."""
    common.progress("intake: page weight of /report/<slug>/ and /report/<slug>/what/")
    browser = Browser(port)
    base = f"http://127.0.0.1:{port}"
    start = browser.expect("GET", f"/report/{SLUG}/", 200)
    token = _token(start)
    browser.expect("POST", f"/report/{SLUG}/", 302, {"csrfmiddlewaretoken": token})
    what = browser.expect("GET", f"/report/{SLUG}/what/", 200)
    pages: dict[str, Any] = {}
    seen: dict[str, dict[str, Any]] = {}
    for path, response in ((f"/report/{SLUG}/", start), (f"/report/{SLUG}/what/", what)):
        page_url = base + path
        html: dict[str, Any] = {
            "url": path.replace(SLUG, "<slug>"),
            "kind": "html",
            "bytes": len(response.body),
            "gzip_bytes": len(gzip.compress(response.body, compresslevel=6, mtime=0)),
            "gzip_source": "computed (level 6); Django sends HTML uncompressed",
        }
        queue = _assets_of(page_url, response.body)
        assets: list[dict[str, Any]] = []
        while queue:
            url = queue.pop(0)
            if urlsplit(url).netloc != urlsplit(base).netloc:
                assets.append({"url": url, "kind": "external", "bytes": 0, "gzip_bytes": 0})
                continue
            if url not in seen:
                seen[url] = _fetch_asset(browser, url)
                if seen[url]["kind"] == "css":
                    text = seen[url].pop("_body").decode("utf-8", errors="replace")
                    found = re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
                    found += re.findall(r"@import\s+['\"]([^'\"]+)", text)
                    queue += [urljoin(url, u) for u in found if not u.startswith("data:")]
                seen[url].pop("_body", None)
            assets.append(seen[url])
        pages[html["url"]] = {
            "html": html,
            "assets": assets,
            "bytes": html["bytes"] + sum(a["bytes"] for a in assets),
            "gzip_bytes": html["gzip_bytes"] + sum(a["gzip_bytes"] for a in assets),
        }
    browser.close()
    return pages


def _fetch_asset(browser: Browser, url: str) -> dict[str, Any]:
    path = urlsplit(url).path
    plain = browser.fetch("GET", path)
    packed = browser.fetch("GET", path, encoding="gzip")
    if plain.status != 200 or packed.status != 200:
        raise FlowError(f"asset {path}: {plain.status}/{packed.status}")
    kind = path.rsplit(".", 1)[-1].lower()
    sent_gzip = packed.headers.get("content-encoding") == "gzip"
    return {
        "url": path,
        "kind": kind,
        "bytes": len(plain.body),
        "gzip_bytes": len(packed.body),
        "gzip_source": "whitenoise .gz" if sent_gzip else "sent uncompressed",
        "cache_control": packed.headers.get("cache-control", ""),
        "_body": plain.body,
    }


# --- in the child interpreter (server settings) -----------------------------------------


def child_main(argv: list[str]) -> int:
    import django

    django.setup()
    if argv == ["setup"]:
        _child_setup()
    elif argv == ["profile"]:
        print(json.dumps(_child_profile()))
    else:
        raise SystemExit(f"unknown child command {argv}")
    return 0


def _child_setup() -> None:
    from django.db import connection

    from vigil.accounts import actions
    from vigil.accounts.models import Organisation

    if not Organisation.objects.filter(slug=SLUG).exists():
        actions.create_organisation(
            None, name="Bench", slug=SLUG, country="UA", languages=["uk", "ru"]
        )
    key = (
        "INTEGER PRIMARY KEY AUTOINCREMENT"
        if connection.vendor == "sqlite"
        else "BIGSERIAL PRIMARY KEY"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS bench_row (id {key}, "
            "created_at VARCHAR(40) NOT NULL, payload VARCHAR(64) NOT NULL)"
        )
        blob = "BLOB" if connection.vendor == "sqlite" else "BYTEA"
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS bench_sealed (id {key}, "
            f"created_at VARCHAR(40) NOT NULL, lookup VARCHAR(128) NOT NULL, "
            f"sealed_key {blob} NOT NULL, wrapped {blob} NOT NULL, sealed {blob} NOT NULL)"
        )


# (label, file suffix, function) of the parts of a review POST worth naming.
PROFILE_PARTS = [
    ("whole request (Django handler)", "django/core/handlers/base.py", "get_response"),
    ("view `public.review`", "vigil/intake/public.py", "review"),
    ("`actions.submit`", "vigil/intake/actions.py", "submit"),
    ("receipt Argon2id (`receipts.derive`)", "vigil/intake/receipts.py", "derive"),
    ("seal thread key to organisation (`crypto.seal_to`)", "vigil/vault/crypto.py", "seal_to"),
    ("encrypt the report (`sealing.seal_json`)", "vigil/vault/sealing.py", "seal_json"),
    ("audit record (`audit.log.record`)", "vigil/audit/log.py", "record"),
    ("Model.save (submission, audit rows)", "django/db/models/base.py", "save"),
    ("SQL statements", "django/db/backends/utils.py", "_execute"),
    ("transaction commits", "django/db/backends/base/base.py", "commit"),
    ("session load", "django/contrib/sessions/backends/db.py", "load"),
    ("session save", "django/contrib/sessions/backends/db.py", "save"),
    ("draft cookie box read (`cookiebox.get`)", "vigil/vault/cookiebox.py", "get"),
    ("receipt cookie box write (`cookiebox.put`)", "vigil/vault/cookiebox.py", "put"),
    ("abuse checks", "vigil/intake/abuse.py", "submission_refusal"),
]


def _wall_and_cpu(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call, with the garbage collector out of the way."""
    with common.no_gc():
        cpu = time.process_time()
        wall = time.perf_counter()
        fn()
        return time.perf_counter() - wall, time.process_time() - cpu


def _child_profile() -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from vigil.intake import receipts

    def prepared() -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        client.get(f"/report/{SLUG}/")
        client.post(f"/report/{SLUG}/")
        for step, answers in STEPS:
            assert client.post(f"/report/{SLUG}/{step}/", answers).status_code == 302
        return client

    def review(client: Client) -> None:
        response = client.post(f"/report/{SLUG}/review/", {"website": ""})
        assert response["Location"] == "/report/receipt/", response.status_code

    plain: list[float] = []
    cpu: list[float] = []
    sql: list[tuple[int, float]] = []
    for index in range(PROFILE_RUNS + 2):
        client = prepared()
        queries: list[float] = []

        def timer(execute: Any, sql_: str, params: Any, many: bool, context: Any) -> Any:
            start = time.perf_counter()
            try:
                return execute(sql_, params, many, context)
            finally:
                queries.append(time.perf_counter() - start)  # noqa: B023 - used at once

        with connection.execute_wrapper(timer):
            elapsed, cpu_s = _wall_and_cpu(functools.partial(review, client))
        if index >= 2:  # two warm-up requests
            plain.append(elapsed)
            cpu.append(cpu_s)
            sql.append((len(queries), sum(queries)))
    derive: list[float] = []
    derive_cpu: list[float] = []
    for _ in range(PROFILE_RUNS * 2):
        elapsed, cpu_s = _wall_and_cpu(lambda: receipts.derive(receipts.new_receipt()))
        derive.append(elapsed)
        derive_cpu.append(cpu_s)

    profiler = cProfile.Profile()
    for _ in range(PROFILE_RUNS):
        client = prepared()
        profiler.enable()
        review(client)
        profiler.disable()
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    parts = []
    for label, suffix, function in PROFILE_PARTS:
        calls, cumulative = 0, 0.0
        for (filename, _line, name), (_cc, primitive, _tt, ct, _callers) in stats.items():
            if name == function and filename.replace("\\", "/").endswith(suffix):
                calls += primitive
                cumulative += ct
        parts.append(
            {
                "part": label,
                "calls_per_request": calls / PROFILE_RUNS,
                "ms_per_request": cumulative / PROFILE_RUNS * 1000,
            }
        )
    return {
        "vendor": connection.vendor,
        "runs": PROFILE_RUNS,
        "kdf": [settings.RECEIPT_KDF_OPSLIMIT, settings.RECEIPT_KDF_MEMLIMIT],
        "review_ms": common.summary([t * 1000 for t in plain]),
        "review_cpu_ms": common.summary([t * 1000 for t in cpu]),
        "sql_queries": common.median([n for n, _ in sql]),
        "sql_ms": common.median([s * 1000 for _, s in sql]),
        "derive_ms": common.summary([t * 1000 for t in derive]),
        "derive_cpu_ms": common.summary([t * 1000 for t in derive_cpu]),
        "profiled_parts": parts,
    }


# --- tables ------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _others(run_: dict[str, Any]) -> float:
    """Cores used by processes other than ours (server, database backends, load generator)."""
    cpus = os.cpu_count() or 1
    ours = (run_["client_cpu_s"] + sum(run_["server_cpu_s"].values())) / run_["wall_s"]
    return max(run_["machine_busy"] * cpus - ours, 0.0)


def _capacity(run_: dict[str, Any]) -> float:
    cost = run_["server_cpu_ms_per_op"]
    return (os.cpu_count() or 1) * 1000 / cost if cost else 0.0


def _tables(report: common.Report, data: dict[str, Any]) -> None:
    dbs: dict[str, Any] = data["databases"]
    flows = common.Table(
        f"Complete anonymous reports over HTTP: {REPORTERS} concurrent reporters, "
        f"gunicorn {WORKERS} sync workers",
        [
            "Database",
            "receipt KDF",
            "reports",
            "failed",
            "reports/s",
            "flow p50",
            "flow p95",
            "review POST p50",
            "review POST p95",
            "server CPU / report",
            f"server CPU / report: min / median of {REPETITIONS}",
            "CPU-bound capacity",
            "other load",
            "rows = reports",
        ],
        note=(
            "A report is 18 requests, walked as a browser walks it: GET start page, POST "
            "start, 6 step POSTs, each followed by the GET of the page it redirects to, "
            "review POST (stores the report), GET receipt page, POST 'I saved my code'. "
            "Server CPU is user+system time of the gunicorn processes plus this database's "
            "PostgreSQL backends, per report; CPU-bound capacity is the CPU count over it "
            "(reports/s if the server had every core to itself). Other load: cores busy "
            "with processes that are not part of the benchmark during the phase (the "
            "machine is shared). No REDIS_URL: each worker keeps its own local-memory "
            "cache, so the abuse counters (limits raised so they never refuse) are per "
            "worker."
        ),
    )
    submit = common.Table(
        f"Final submit (review POST) against a bare insert, {REPORTERS} concurrent clients",
        [
            "Database",
            "endpoint",
            "requests",
            "failed",
            "req/s",
            "p50",
            "p95",
            "server CPU / req",
            "vs baseline, req/s",
            "vs baseline, CPU",
            f"vs baseline, CPU: min / median of {REPETITIONS}",
            "other load",
            "rows ok",
        ],
        note=(
            "Review POSTs are sent back to back on drafts prepared beforehand (unmeasured), "
            "one fresh session each. The baseline is `POST /bench/insert/`: the same server "
            "and middleware, one raw-SQL INSERT, 204. 'vs baseline, CPU' is baseline server "
            "CPU per request over the endpoint's: the throughput ratio on an otherwise idle, "
            "CPU-bound server. Goal: final submit >= 0.5x baseline. Each row is the "
            "repetition with the median server CPU; the min / median column pairs every "
            "repetition with the baseline phase run right after it on the same server."
        ),
    )
    for label, result in dbs.items():
        runs = result["runs"]
        for key in ("flow_production", "flow_minimal"):
            run_ = runs[key]
            lat = run_["latency"]
            flows.add(
                label,
                run_["kdf"],
                str(run_["ok"]),
                str(run_["failed"]),
                f"{run_['per_second']:.1f}",
                _ms(lat["flow"]["p50"]) if "flow" in lat else "-",
                _ms(lat["flow"]["p95"]) if "flow" in lat else "-",
                _ms(lat["review"]["p50"]) if "review" in lat else "-",
                _ms(lat["review"]["p95"]) if "review" in lat else "-",
                _f(run_["server_cpu_ms_per_op"]),
                _min_median(run_.get("cpu_ms_per_op_all", [])),
                f"{_capacity(run_):.0f}/s",
                f"{_others(run_):.1f} cores",
                "yes" if run_["rows_match"] else "NO",
            )
        base = runs["baseline"]
        for key, name in (
            ("baseline", "baseline insert"),
            ("submit_production", f"review POST, KDF {KDF_PRODUCTION[0]}"),
            ("submit_minimal", f"review POST, KDF {KDF_MINIMAL[0]}"),
        ):
            run_ = runs[key]
            lat = next(iter(run_["latency"].values()), None)
            run_["ratio_vs_baseline"] = run_["per_second"] / base["per_second"]
            run_["cpu_ratio_vs_baseline"] = (
                base["server_cpu_ms_per_request"] / run_["server_cpu_ms_per_request"]
            )
            submit.add(
                label,
                name,
                str(run_["ok"]),
                str(run_["failed"]),
                f"{run_['per_second']:,.0f}",
                _ms(lat["p50"]) if lat else "-",
                _ms(lat["p95"]) if lat else "-",
                _f(run_["server_cpu_ms_per_request"]),
                common.fmt_ratio(run_["ratio_vs_baseline"]),
                common.fmt_ratio(run_["cpu_ratio_vs_baseline"]),
                _min_median(run_.get("cpu_ratio_all", []), "x"),
                f"{_others(run_):.1f} cores",
                "yes" if run_["rows_match"] else "NO",
            )
    report.tables += [flows, submit]
    weight = next((r["page_weight"] for r in dbs.values() if "page_weight" in r), None)
    if weight:
        report.tables.append(_weight_table(weight))
    profiles = {label: r["profile"] for label, r in dbs.items() if "profile" in r}
    if profiles:
        report.tables.append(_profile_table(profiles))


def _weight_table(pages: dict[str, Any]) -> common.Table:
    table = common.Table(
        "Page weight of the public report pages (first visit, every asset)",
        ["Resource", "bytes", "gzip bytes", "gzip from"],
        note=(
            "Static assets are fingerprinted and served `immutable` (max-age 10 years) by "
            "whitenoise, so a later page costs only its HTML. Goal: under 50 KB per page."
        ),
    )
    for url, page in pages.items():
        for item in [page["html"], *page["assets"]]:
            table.add(
                f"{url}" if item is page["html"] else f"  {item['url']}",
                f"{item['bytes']:,}",
                f"{item['gzip_bytes']:,}",
                item.get("gzip_source", ""),
            )
        table.add(
            f"**{url} total**",
            f"**{page['bytes']:,}**",
            f"**{page['gzip_bytes']:,}**",
            "",
        )
    return table


def _profile_table(profiles: dict[str, Any]) -> common.Table:
    labels = list(profiles)
    table = common.Table(
        f"One review POST in process (Django test client, no concurrency, "
        f"{PROFILE_RUNS} runs, production KDF)",
        ["Part", *labels],
        note=(
            "First rows: without profiler, medians; CPU is this Python process only (not the "
            "PostgreSQL backend). Then, under cProfile, cumulative wall time per request of "
            "named functions: parts nest (the handler contains everything) and cProfile "
            "inflates Python-heavy parts. The in-process client keeps one database "
            "connection; under gunicorn SQLite also reconnects per request."
        ),
    )
    rows = [
        ("review POST, no profiler: wall (median)", "review_ms"),
        ("review POST, no profiler: CPU of this process (median)", "review_cpu_ms"),
        ("receipt derive alone: wall (median)", "derive_ms"),
        ("receipt derive alone: CPU (median)", "derive_cpu_ms"),
    ]
    for name, key in rows:
        table.add(name, *(_f(p[key]["median"]) for p in profiles.values()))
    table.add(
        "SQL statements: count, wall time",
        *(f"{p['sql_queries']:.0f}, {p['sql_ms']:.1f} ms" for p in profiles.values()),
    )
    parts = {label: {x["part"]: x for x in p["profiled_parts"]} for label, p in profiles.items()}
    for part, _suffix, _function in PROFILE_PARTS:
        cells = (_f(parts[label][part]["ms_per_request"]) for label in labels)
        table.add(f"cProfile: {part}", *cells)
    return table


def _f(ms: float) -> str:
    return f"{ms:,.1f} ms"


if __name__ == "__main__":
    from bench.__main__ import main

    sys.exit(main(["intake"]))
