from __future__ import annotations

from django.db import models

from vigil.accounts.models import Organisation


def next_number(model: type[models.Model], organisation_id: int) -> int:
    """Next per-organisation number. Call inside a transaction.

    Locking the organisation row serialises concurrent creators on PostgreSQL;
    SQLite runs write transactions one at a time anyway (IMMEDIATE mode).
    """
    Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    last = model._default_manager.filter(organisation_id=organisation_id).aggregate(
        m=models.Max("number")
    )["m"]
    return (last or 0) + 1
