"""Start Vigil as a small cluster on this machine: an intake pool, app servers and a worker.

The layout of docs/deployment.md ("Several app servers"), on loopback, for
trying it and for the cluster benchmark (``python -m bench cluster``):

* one gunicorn process group serving only the public report and mailbox
  (``VIGIL_POOL=intake``, vigil/lib/pools.py), so staff load cannot starve
  reporters;
* ``--app-servers`` gunicorn process groups serving everything, as separate
  machines would (same code and settings, no shared memory);
* one task worker (``manage.py db_worker``).

The app servers and the worker run at a lower CPU priority (``--staff-nice``,
default 10; in production the systemd units' ``CPUWeight=``): separate
processes stop staff from taking the reporters' worker slots, and the
priority stops them from taking the reporters' CPU on a small machine.

They share what the deployment guide says app servers must share: the
database (``DATABASE_URL``: PostgreSQL for real use), Redis (``REDIS_URL``:
cache and the reporter flow's rate limits), the media folder
(``VIGIL_VAR_DIR``/``MEDIA_ROOT``), ``SECRET_KEY`` and the receipt peppers
(taken from this process's environment, unchanged).

One server dying does not stop the others (that is the point of having two);
Ctrl-C or SIGTERM stops them all. ``--state FILE`` writes the ports and
process ids as JSON, for the benchmark (and for an operator's scripts).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def gunicorn(port: int, workers: int, python: str = sys.executable) -> list[str]:
    return [
        python,
        "-m",
        "gunicorn",
        "vigil.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
        # Several groups on one machine: no shared control socket under $HOME.
        "--no-control-socket",
    ]


def worker(python: str = sys.executable) -> list[str]:
    return [python, str(ROOT / "manage.py"), "db_worker", "--no-reload", "--interval", "1"]


def _lowered(niceness: int):
    def lower() -> None:
        os.nice(niceness)

    return lower


def start(args: argparse.Namespace) -> dict[str, object]:
    """Start every process; return the state (name, port, pid) of each."""
    base = os.environ.copy()
    staff = _lowered(args.staff_nice)
    state: dict[str, object] = {"app_servers": []}
    intake_port = args.intake_port or free_port()
    intake = subprocess.Popen(  # noqa: S603 - this interpreter running gunicorn
        gunicorn(intake_port, args.intake_workers),
        cwd=ROOT,
        env={**base, "VIGIL_POOL": "intake"},
    )
    state["intake"] = {"port": intake_port, "pid": intake.pid}
    servers = []
    for index in range(args.app_servers):
        port = free_port() if not args.first_app_port else args.first_app_port + index
        process = subprocess.Popen(  # noqa: S603 - this interpreter running gunicorn
            gunicorn(port, args.app_workers),
            cwd=ROOT,
            env={**base, "VIGIL_POOL": "all"},
            preexec_fn=staff,
        )
        servers.append({"port": port, "pid": process.pid})
    state["app_servers"] = servers
    tasks = subprocess.Popen(  # noqa: S603 - our own manage.py
        worker(),
        cwd=ROOT,
        env=base,
        preexec_fn=staff,
    )
    state["worker"] = {"pid": tasks.pid}
    return state


def _pids(state: dict[str, object]) -> list[int]:
    pids = [state["intake"]["pid"], state["worker"]["pid"]]  # type: ignore[index]
    pids += [server["pid"] for server in state["app_servers"]]  # type: ignore[attr-defined]
    return pids


def stop(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    deadline = time.monotonic() + 15
    for pid in pids:
        while time.monotonic() < deadline:
            try:
                if os.waitpid(pid, os.WNOHANG) != (0, 0):
                    break
            except ChildProcessError:
                break
            time.sleep(0.1)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-servers", type=int, default=2)
    parser.add_argument("--app-workers", type=int, default=2)
    parser.add_argument("--intake-workers", type=int, default=2)
    parser.add_argument("--intake-port", type=int, default=0)
    parser.add_argument("--first-app-port", type=int, default=0)
    parser.add_argument("--staff-nice", type=int, default=10)
    parser.add_argument("--state", type=Path)
    args = parser.parse_args(argv)
    state = start(args)
    if args.state:
        args.state.write_text(json.dumps(state))
    intake = state["intake"]["port"]  # type: ignore[index]
    print(f"public report (intake pool): http://127.0.0.1:{intake}/report/", flush=True)
    for server in state["app_servers"]:  # type: ignore[attr-defined]
        print(f"app server: http://127.0.0.1:{server['port']}/", flush=True)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    pids = _pids(state)
    try:
        while True:
            time.sleep(1)
            for pid in list(pids):
                try:
                    done, status = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    done, status = pid, 0
                if done:
                    pids.remove(pid)
                    print(f"process {pid} exited ({status}); the others go on", flush=True)
            if not pids:
                return 1
    except KeyboardInterrupt:
        stop(pids)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
