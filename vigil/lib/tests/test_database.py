"""Durability settings: an acknowledged report survives a crash or a power cut."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_it_commits_durably_on_either_database() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous")
            # FULL (2): NORMAL (1) can lose the last commits on a power cut.
            assert cursor.fetchone()[0] == 2
        else:
            # PostgreSQL: a commit returns only after its WAL record is flushed.
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
            cursor.execute("SHOW fsync")
            assert cursor.fetchone()[0] == "on"
