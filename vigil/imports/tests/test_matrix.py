from __future__ import annotations

import pytest

from vigil.conftest import World
from vigil.imports import actions, export_jobs
from vigil.imports.models import ExportStatus
from vigil.imports.tests import sheets
from vigil.tests_matrix import Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/imports/", "302 200 403 403 403 403 403 403 403 200"),
    ("POST", "/imports/", "302 200 403 403 403 403 403 403 403 200"),
    ("GET", "/imports/{job}/", "302 200 403 403 403 403 403 403 403 404"),
    ("GET", "/imports/{job}/mapping/", "302 200 403 403 403 403 403 403 403 404"),
    ("POST", "/imports/{job}/mapping/", "302 200 403 403 403 403 403 403 403 404"),
    ("POST", "/imports/{job}/dry-run/", "302 302 403 403 403 403 403 403 403 404"),
    ("POST", "/imports/{job}/start/", "302 302 403 403 403 403 403 403 403 404"),
    ("POST", "/imports/{job}/resume/", "302 302 403 403 403 403 403 403 403 404"),
    ("POST", "/imports/{fresh}/cancel/", "302 302 403 403 403 403 403 403 403 404"),
    # An old link to the export goes to the page with the export buttons.
    ("GET", "/imports/export.csv", "302 302 403 403 403 403 403 403 403 302"),
    ("GET", "/imports/export.xlsx", "302 302 403 403 403 403 403 403 403 302"),
    # Asking for an export queues it in the member's own organisation.
    ("POST", "/imports/export.csv", "302 302 403 403 403 403 403 403 403 302"),
    ("POST", "/imports/export.xlsx", "302 302 403 403 403 403 403 403 403 302"),
    ("GET", "/imports/exports/{export}/", "302 200 403 403 403 403 403 403 403 404"),
    ("GET", "/imports/exports/{done}/", "302 200 403 403 403 403 403 403 403 404"),
    ("POST", "/imports/exports/{export}/cancel/", "302 302 403 403 403 403 403 403 403 404"),
    ("GET", "/imports/exports/{done}/download/", "302 200 403 403 403 403 403 403 403 404"),
    ("POST", "/imports/exports/{done}/delete/", "302 302 403 403 403 403 403 403 403 404"),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_it_matches_the_imports_matrix(world: World) -> None:
    user = world["coordinator"].user
    data = [sheets.csv_bytes([sheets.good_row(1)])]
    job = actions.upload(user, world.org, data)

    def targets() -> dict[str, object]:
        queued, _key = actions.queue_export(user, world.org, "csv", org_key=world.org_private)
        done, key = actions.queue_export(user, world.org, "csv", org_key=world.org_private)
        assert export_jobs.execute(done.pk, key) == ExportStatus.DONE
        return {
            "job": job.pk,
            "fresh": actions.upload(user, world.org, data).pk,
            "export": queued.pk,
            "done": done.pk,
        }

    assert run_matrix(world, ROWS, targets) == []
