from __future__ import annotations

import pytest
from django.test import Client

from vigil.conftest import World
from vigil.intake.models import Submission
from vigil.intake.tests.test_public_report import file_report
from vigil.tests_matrix import Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/inbox/", "302 200 200 200 403 403 403 403 403 200"),
    ("GET", "/inbox/{submission}/", "302 200 200 200 403 403 403 403 403 404"),
    ("GET", "/hotline/", "302 200 200 200 200 403 403 403 403 200"),
    ("GET", "/org/public-page/", "302 200 403 403 403 403 403 403 403 200"),
    ("GET", "/org/public-languages/", "302 200 403 403 403 403 403 403 403 200"),
    # The public side is the same for everyone, signed in or not.
    ("GET", "/report/", "200 200 200 200 200 200 200 200 200 200"),
    ("GET", "/report/svitlo/", "200 200 200 200 200 200 200 200 200 200"),
    ("GET", "/inbox/{submission}/files/999999/", "302 404 404 404 403 403 403 403 403 404"),
    ("POST", "/inbox/{submission}/accept/", "302 302 302 302 403 403 403 403 403 404"),
    ("POST", "/inbox/{submission}/merge/", "302 302 302 302 403 403 403 403 403 404"),
    ("POST", "/inbox/{submission}/reject/", "302 302 302 302 403 403 403 403 403 404"),
    ("GET", "/report/svitlo/what/", "302 302 302 302 302 302 302 302 302 302"),
    ("GET", "/report/svitlo/review/", "302 302 302 302 302 302 302 302 302 302"),
    ("GET", "/report/receipt/", "302 302 302 302 302 302 302 302 302 302"),
    ("GET", "/report/status/", "200 200 200 200 200 200 200 200 200 200"),
    (
        "POST",
        "/report/status/",
        "200 200 200 200 200 200 200 200 200 200",
        {"receipt": "1234 5678 9012 3456"},
    ),
    ("GET", "/report/status/thread/", "302 302 302 302 302 302 302 302 302 302"),
    ("POST", "/report/status/close/", "302 302 302 302 302 302 302 302 302 302"),
    ("POST", "/report/status/files/", "302 302 302 302 302 302 302 302 302 302"),
    ("GET", "/report/exit/", "302 302 302 302 302 302 302 302 302 302"),
]


def test_it_matches_the_intake_matrix(world: World, settings) -> None:
    settings.REPORT_MIN_FILL_SECONDS = 0
    file_report(Client())
    submission = Submission.objects.get()
    failures = run_matrix(world, ROWS, lambda: {"submission": submission.pk})
    assert failures == []


@pytest.mark.parametrize(
    "url", ["/inbox/{pk}/accept/", "/inbox/{pk}/reject/", "/inbox/{pk}/merge/"]
)
def test_it_refuses_triage_posts_to_roles_without_triage(
    world: World, signed_in, url: str, settings
) -> None:
    settings.REPORT_MIN_FILL_SECONDS = 0
    file_report(Client())
    submission = Submission.objects.get()
    assert signed_in("analyst").post(url.format(pk=submission.pk)).status_code == 403
    assert (
        signed_in("coordinator", other=True).post(url.format(pk=submission.pk)).status_code == 404
    )
    submission.refresh_from_db()
    assert submission.status == "new"
