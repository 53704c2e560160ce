"""The role-by-URL access matrix, shared by every app's matrix test.

Each row: (method, url template, expected codes[, POST data]). Expected codes
are given for the columns in COLUMNS order: anonymous, each role of the
organisation that owns the objects, then a coordinator of another
organisation. URL templates are formatted with the ids from ``targets``.
The optional fourth element is the POST data: a dict, or a callable taking
the targets and returning one (so a row can send a valid form).

Every 200 response is also searched for the other side's planted records:
the names, usernames and addresses of the other organisation's members and
a local term of its vocabulary. A page of one organisation that shows them
leaks across organisations even when every status code is right.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

from django.test import Client

from vigil.accounts.models import Organisation, Role
from vigil.conftest import World, sign_in, step_up_session

COLUMNS: list[str] = ["anon", *Role.values, "other_org"]

PostData: TypeAlias = Mapping[str, Any] | Callable[[Mapping[str, object]], Mapping[str, Any]]
Row: TypeAlias = tuple[str, str, str] | tuple[str, str, str, PostData]


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


def _marker(organisation: Organisation) -> str:
    return f"Planted{organisation.slug.capitalize()}"


def plant(world: World) -> dict[str, list[str]]:
    """Recognisable records in each organisation; what must never cross over."""
    from vigil.vocab import actions as vocab_actions
    from vigil.vocab.models import LANGS

    planted: dict[str, list[str]] = {}
    for side, org, people in (
        ("own", world.org, world.people),
        ("other", world.other_org, world.others),
    ):
        marker = _marker(org)
        strings: list[str] = []
        for role, persona in people.items():
            user = persona.user
            user.first_name, user.last_name = marker, f"{role.title()}ova"
            user.email = f"{marker.lower()}-{role}@example.org"
            user.save(update_fields=["first_name", "last_name", "email"])
            strings += [user.username, user.email, f"{marker} {role.title()}ova"]
        strings.append(marker)
        term_label = f"{marker} Term 4471"
        vocab_actions.add_local_term(
            people["coordinator"].user, org, "act_type", labels=dict.fromkeys(LANGS, term_label)
        )
        strings.append(term_label)
        planted[side] = strings
    return planted


def _post_data(row: Row, targets: Mapping[str, object]) -> Mapping[str, Any] | None:
    if len(row) < 4:
        return None
    data = row[3]
    return data(targets) if callable(data) else data


def _leaks(response: Any, forbidden: list[str]) -> list[str]:
    if response.status_code != 200 or getattr(response, "streaming", False):
        return []
    text = response.content.decode("utf-8", errors="replace")
    return [value for value in forbidden if value in text]


def run_matrix(
    world: World, rows: list[Row], targets: Callable[[], Mapping[str, object]]
) -> list[str]:
    """Return a list of mismatches and cross-organisation leaks (empty when the matrix holds)."""
    planted = plant(world)
    failures: list[str] = []
    for column_index, column in enumerate(COLUMNS):
        client = client_for(world, column)
        forbidden = planted["own" if column == "other_org" else "other"]
        for row in rows:
            method, template, codes = row[0], row[1], row[2]
            ids = targets()  # fresh ids: rows may consume objects
            url = template.format(**ids)
            expected = parse(codes)[column_index]
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, _post_data(row, ids) or {})
            if response.status_code != expected:
                failures.append(
                    f"{column:>16} {method} {url}: {response.status_code} != {expected}"
                )
            if leaked := _leaks(response, forbidden):
                failures.append(f"{column:>16} {method} {url}: shows {leaked}")
    return failures
