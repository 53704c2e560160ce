"""Shared helpers for the benchmark groups: Django setup, timing, statistics, reporting."""

from __future__ import annotations

import datetime as dt
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


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
