"""A process of the intake pool serves the reporter and nothing else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from vigil.conftest import World
from vigil.intake.models import Submission
from vigil.intake.tests.test_public_report import file_report

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def intake_pool(settings) -> None:
    settings.VIGIL_POOL = "intake"
    settings.REPORT_MIN_FILL_SECONDS = 0


def test_the_intake_pool_takes_a_whole_report_and_her_mailbox(
    world: World, intake_pool: None
) -> None:
    client = Client()
    receipt = file_report(client)
    assert Submission.objects.filter(organisation=world.org).count() == 1
    client.post("/report/receipt/", {"saved": "on"})
    mailbox = client.post("/report/status/", {"receipt": receipt})
    assert mailbox.status_code == 302
    assert client.get("/i18n/setlang/").status_code in (302, 405)


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/inbox/", "/stats/", "/api/v1/openapi.json", "/audit/"]
)
def test_the_intake_pool_refuses_staff_pages_before_any_work(
    world: World, settings, signed_in, path: str, django_assert_num_queries
) -> None:
    client = signed_in("coordinator")  # signed in on a staff process
    settings.VIGIL_POOL = "intake"
    with django_assert_num_queries(0):
        response = client.get(path)
    assert response.status_code == 404
    assert response.content == b""


def test_the_default_pool_serves_staff_pages(world: World, signed_in) -> None:
    assert signed_in("caseworker").get("/inbox/").status_code == 200


def test_settings_refuse_an_unknown_pool() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "VIGIL_TESTING": "1",
            "DJANGO_SETTINGS_MODULE": "vigil.settings",
            "VIGIL_POOL": "staff-and-more",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "VIGIL_POOL must be" in done.stderr
