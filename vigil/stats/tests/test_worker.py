"""Background work runs out of the box: the worker `make run` starts finishes a report,
and a report left queued with no worker says so instead of reloading forever."""

from __future__ import annotations

import datetime
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from django.test import Client

from vigil.conftest import World
from vigil.stats.models import ReportJob, ReportStatus
from vigil.stats.tests.fixtures import Data

ROOT = Path(__file__).resolve().parents[3]
NO_WORKER = "No background worker has picked up this report after a minute."

# Queues a report for the first demo organisation exactly as the report page does.
QUEUE_REPORT = """
import datetime
from vigil.accounts.models import Membership
from vigil.stats import actions, tasks
m = Membership.objects.filter(role="analyst").select_related("user").order_by("pk").first()
job = actions.request_report(
    m.user, m, network=None, country="", language="en",
    date_from=datetime.date(2020, 1, 1), date_to=datetime.date.today(),
)
tasks.generate_report.enqueue(job.pk)
print(job.pk)
"""
JOB_STATUS = (
    "from vigil.stats.models import ReportJob; "
    "j = ReportJob.objects.get(pk={pk}); print(j.status, j.percent)"
)


def serve_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_says_so_when_no_worker_picked_up_a_report_within_a_minute(
    world: World, data: Data, signed_in: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client: Client = signed_in("analyst")
    response = client.post(
        "/stats/report/", {"date_from": "2025-01-10", "date_to": "2025-03-05", "language": "en"}
    )
    job = ReportJob.objects.latest("pk")
    assert response.status_code == 302 and job.status == ReportStatus.QUEUED
    assert NO_WORKER not in client.get(f"/stats/report/{job.pk}/").content.decode()
    old = job.created_at - datetime.timedelta(seconds=61)
    ReportJob.objects.filter(pk=job.pk).update(created_at=old)
    assert NO_WORKER in client.get(f"/stats/report/{job.pk}/").content.decode()
    # A running job is being worked on: no alarm however old it is.
    ReportJob.objects.filter(pk=job.pk).update(status=ReportStatus.RUNNING)
    assert NO_WORKER not in client.get(f"/stats/report/{job.pk}/").content.decode()


def test_it_uses_the_worker_command_in_the_makefile() -> None:
    makefile = (ROOT / "Makefile").read_text()
    run_recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/serve.py" in run_recipe
    assert "runserver" not in run_recipe  # the web server alone would leave jobs queued
    command = serve_module().worker_command("python")
    assert command[2] == "db_worker"


def test_it_completes_an_advocacy_report_with_the_make_run_worker(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "VIGIL_VAR_DIR": str(tmp_path),
        "DEBUG": "1",
        "SECURE_COOKIES": "0",
        "VAULT_KDF_OPSLIMIT": "1",
        "VAULT_KDF_MEMLIMIT": "8192",
    }
    env.pop("VIGIL_TESTING", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)  # its own SQLite installation in the temp folder, on any run

    def manage(*args: str, timeout: int = 300) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
        # Django's shell may print a line of its own before ours: keep the last.
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

    manage("migrate", "--noinput")
    manage("demo_data", "--small")
    pk = int(manage("shell", "-c", QUEUE_REPORT))
    assert manage("shell", "-c", JOB_STATUS.format(pk=pk)).split()[0] == ReportStatus.QUEUED
    worker = serve_module().worker_command(sys.executable)
    subprocess.run(  # noqa: S603
        [*worker, "--batch"], cwd=ROOT, env=env, check=True, timeout=300, capture_output=True
    )
    status, percent = manage("shell", "-c", JOB_STATUS.format(pk=pk)).split()
    assert (status, percent) == (ReportStatus.DONE, "100")
