"""Background work for phone records (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from vigil.odk import actions


@task()
def expire_records(older_than_days: int) -> int:
    """Records waiting unopened past the limit lose their key, like untriaged reports."""
    return actions.expire_records(older_than_days)
