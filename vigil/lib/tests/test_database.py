"""Durability settings of the embedded database."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_it_runs_sqlite_with_full_synchronous_writes() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only; PostgreSQL is durable by default (fsync on commit)")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL: NORMAL (1) can lose the last commits
