"""A date filter no one means gives a clear message, not a server error."""

from __future__ import annotations

import pytest

from vigil.conftest import World


@pytest.mark.parametrize(
    "query",
    [
        "/cases/?opened_to=9999-12-31",
        "/cases/?opened_from=0001-01-01",
        "/incidents/?date_to=9999-12-31",
        "/incidents/?date_from=0001-01-01",
    ],
)
def test_it_answers_a_far_away_date_filter_with_a_clear_message(
    world: World, signed_in, query: str
) -> None:
    response = signed_in("coordinator").get(query)

    assert response.status_code in (200, 400)
    assert "Enter a date between 1900 and 2100." in response.content.decode()
