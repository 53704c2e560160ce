"""The several-app-server layout (scripts/cluster.py) started for real: gunicorn process
groups sharing one database, Redis and the media folder, as docs/deployment.md says."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from bench import intake

ROOT = Path(__file__).resolve().parents[3]


def _claim_redis_database() -> str:
    """A Redis database no concurrent test run uses (SQLite and PostgreSQL suites may overlap)."""
    for number in range(8, 16):
        url = f"redis://127.0.0.1:6379/{number}"
        if redis.Redis.from_url(url).set("vigil-test-claim", os.getpid(), nx=True, ex=900):
            return url
    raise AssertionError("no free Redis database among 8-15")


def _env(var_dir: Path, redis_url: str) -> dict[str, str]:
    env = intake.server_env(var_dir, "x" * 60, None, intake.KDF_MINIMAL)
    env.update(
        DEBUG="1",  # static files from the app folders: no collectstatic for this test
        REDIS_URL=redis_url,
        # One report a minute for the whole installation: a limit only Redis can share.
        REPORT_GLOBAL_LIMIT_PER_MINUTE="1",
        RECEIPT_TICKET_MIN_SECONDS="0",
    )
    return env


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[dict[str, Any]]:
    var_dir = tmp_path
    redis_url = _claim_redis_database()
    env = _env(var_dir, redis_url)
    intake.manage(env, "migrate", "--noinput", "-v", "0")
    intake.child(env, "setup")
    state_file = var_dir / "state.json"
    log = (var_dir / "cluster.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own script
        [sys.executable, "scripts/cluster.py", "--state", str(state_file), "--app-workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield {"state": _started(state_file), "var_dir": var_dir, "redis": redis_url}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        log.close()
        redis.Redis.from_url(redis_url).flushdb()


def _started(state_file: Path) -> dict[str, Any]:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if state_file.exists():
            state = json.loads(state_file.read_text())
            ports = [state["intake"]["port"]] + [s["port"] for s in state["app_servers"]]
            if all(_status(port, f"/report/{intake.SLUG}/") == 200 for port in ports):
                return state
        time.sleep(0.3)
    raise AssertionError("the cluster did not start")


def _status(port: int, path: str) -> int:
    try:
        return intake.Browser(port).fetch("GET", path).status
    except intake.FlowError:
        return 0


def test_the_layout_serves_reporters_on_their_pool_and_staff_on_the_app_servers(
    cluster: dict[str, Any],
) -> None:
    state = cluster["state"]
    intake_port = state["intake"]["port"]
    first, second = (server["port"] for server in state["app_servers"])
    assert _status(intake_port, "/accounts/login/") == 404
    assert _status(first, "/accounts/login/") == 200
    assert _status(second, "/accounts/login/") == 200

    # A report on one app server uses up the installation's one report a minute:
    # the other app server refuses the next one, so the counter is in Redis.
    intake.full_flow(intake.Browser(first))
    with pytest.raises(intake.FlowError):
        intake.full_flow(intake.Browser(second))
    assert len(redis.Redis.from_url(cluster["redis"]).keys("*")) > 1  # more than the claim
    stored = intake.Database("SQLite", None, cluster["var_dir"]).count("intake_submission")
    assert stored == 1

    # Killing one app server leaves the other and the reporters' pool serving.
    os.kill(state["app_servers"][0]["pid"], signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _status(first, "/accounts/login/") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _status(first, "/accounts/login/") == 0
    assert _status(second, "/accounts/login/") == 200
    assert _status(intake_port, f"/report/{intake.SLUG}/") == 200
