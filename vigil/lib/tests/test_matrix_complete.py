"""Every URL pattern has a row in some role matrix, and the matrix's leak check has teeth.

The rows are the module-level ``ROWS`` of every ``vigil/*/tests/test_*matrix*.py``;
a row's URL template (``{placeholders}`` filled with 1) is resolved to the
pattern it exercises. A new view without a matrix row fails here.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from vigil.conftest import World, sign_in
from vigil.tests_matrix import Row, plant

ROOT = Path(__file__).resolve().parents[3]
# Patterns not served by a Vigil view of any role: Django's language switch
# (a redirect for everyone, tested in accounts), and django-ninja's root, whose
# interactive docs page is switched off (the API's endpoints have their own
# token-by-scope matrix in vigil/api/tests/test_matrix.py).
NOT_IN_MATRIX = {"i18n/setlang/", "api/v1/"}


def all_routes(entries: list[URLPattern | URLResolver] | None = None, prefix: str = "") -> set[str]:
    routes: set[str] = set()
    for entry in entries if entries is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes |= all_routes(entry.url_patterns, route)
        else:
            routes.add(route)
    return routes


def matrix_rows() -> dict[str, list[Row]]:
    found: dict[str, list[Row]] = {}
    for path in sorted(ROOT.glob("vigil/*/tests/test_*matrix*.py")):
        module_name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        rows = getattr(importlib.import_module(module_name), "ROWS", None)
        if rows:
            found[module_name] = rows
    return found


def route_of(template: str) -> str | None:
    path = re.sub(r"\{\w+\}", "1", template).split("?")[0]
    try:
        return resolve(path).route
    except Resolver404:
        return None


def test_every_url_pattern_has_a_row_in_a_role_matrix() -> None:
    rows = [row for module_rows in matrix_rows().values() for row in module_rows]
    assert len(matrix_rows()) >= 6  # every app's matrix was found
    covered = {route_of(row[1]) for row in rows}

    missing = sorted(all_routes() - covered - NOT_IN_MATRIX)

    assert missing == [], f"URL patterns without a role-matrix row: {missing}"


def test_every_matrix_row_reaches_a_url_pattern() -> None:
    unresolved = [
        f"{module}: {row[1]}"
        for module, rows in matrix_rows().items()
        for row in rows
        if route_of(row[1]) is None and not row[1].endswith("999999/")
    ]
    assert unresolved == []


def test_the_planted_records_show_where_they_belong(world: World) -> None:
    """Control: the leak check would see another organisation's rows on a page."""
    planted = plant(world)
    client = Client()
    sign_in(client, world["coordinator"])

    members = client.get("/accounts/org/members/").content.decode()

    assert any(value in members for value in planted["own"])
    assert not any(value in members for value in planted["other"])
