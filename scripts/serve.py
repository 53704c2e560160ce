"""Serve Vigil for `make run`: the web server and the task worker, together.

Background work (advocacy reports, reminders, exports) only happens when a
worker runs, so `make run` starts one beside the web server. Both are children
of this process: Ctrl-C, or either of them exiting, stops both, so no orphan
worker keeps the database busy after the server is gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent


def worker_command(python: str = sys.executable) -> list[str]:
    """The worker exactly as `make run` starts it (tests run this same command)."""
    return [
        python,
        str(ROOT / "manage.py"),
        "db_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "1",
    ]


def web_command(address: str, python: str = sys.executable) -> list[str]:
    return [python, str(ROOT / "manage.py"), "runserver", address]


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()


def main(argv: list[str]) -> int:
    address = argv[1] if len(argv) > 1 else "127.0.0.1:8000"
    children = [
        subprocess.Popen(worker_command(), cwd=ROOT, env=os.environ.copy()),  # noqa: S603
        subprocess.Popen(web_command(address), cwd=ROOT, env=os.environ.copy()),  # noqa: S603
    ]

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        _stop(children)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
