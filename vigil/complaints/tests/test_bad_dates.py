"""Dates no one means give a clear message, not a server error."""

from __future__ import annotations

from vigil.complaints.models import LegalAction
from vigil.complaints.tests.helpers import make_action, make_case, share_consent
from vigil.conftest import World


def test_it_refuses_a_submission_date_in_year_one_with_a_clear_message(
    world: World, signed_in
) -> None:
    made = make_case(world)
    share_consent(world, made)
    action = make_action(world, made)

    response = signed_in("lawyer").post(
        f"/complaints/actions/{action.pk}/file/",
        {"submitted_on": "0001-01-01", "channel": "post", "reference": "77/1"},
    )

    assert response.status_code in (200, 400)
    assert "Enter a date between 1900 and 2100." in response.content.decode()
    assert LegalAction.objects.get(pk=action.pk).submitted_on is None
