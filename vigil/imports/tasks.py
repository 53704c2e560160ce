"""Background work of the import app (django-tasks; the database worker runs it).

The import itself does not run here: it needs the organisation key, which a
worker never holds (see actions.py and docs/threat-model.md, section 4.6a).
"""

from __future__ import annotations

from django_tasks import task

from vigil.imports import actions


@task()
def purge_abandoned_imports() -> int:
    """Destroy uploaded files of imports nobody finished within ``IMPORT_KEEP_DAYS``."""
    return actions.purge_abandoned()
