"""The role-by-URL access matrix, shared by every app's matrix test.

Each row: (method, url template, expected codes). Expected codes are given
for the columns in COLUMNS order: anonymous, each role of the organisation
that owns the objects, then a coordinator of another organisation. URL
templates are formatted with the ids from ``targets``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.test import Client

from vigil.accounts.models import Role
from vigil.conftest import World, sign_in, step_up_session

COLUMNS: list[str] = ["anon", *Role.values, "other_org"]

Row = tuple[str, str, str]


def parse(codes: str) -> list[int]:
    values = [int(c) for c in codes.split()]
    assert len(values) == len(COLUMNS), f"{codes!r} must have {len(COLUMNS)} codes"
    return values


def client_for(world: World, column: str) -> Client:
    client = Client()
    if column == "anon":
        return client
    persona = world.others["coordinator"] if column == "other_org" else world[column]
    sign_in(client, persona)
    # The matrix measures access, not the step-up asked before sensitive changes.
    step_up_session(client)
    return client


def run_matrix(
    world: World, rows: list[Row], targets: Callable[[], Mapping[str, object]]
) -> list[str]:
    """Return a list of mismatches (empty when the matrix holds)."""
    failures: list[str] = []
    for column_index, column in enumerate(COLUMNS):
        client = client_for(world, column)
        for method, template, codes in rows:
            url = template.format(**targets())  # fresh ids: rows may consume objects
            expected = parse(codes)[column_index]
            response = client.get(url) if method == "GET" else client.post(url)
            if response.status_code != expected:
                failures.append(
                    f"{column:>16} {method} {url}: {response.status_code} != {expected}"
                )
    return failures
