"""Demo data: each demo organisation gets a saved mapping for Vigil's own export layout."""

from __future__ import annotations

from vigil.accounts.models import Organisation
from vigil.imports.fields import FIELDS
from vigil.imports.models import ImportMapping

NAME = "Vigil export"


def create_demo_mappings() -> int:
    """A mapping that reads an export of another Vigil as is; returns how many were made."""
    made = 0
    for organisation in Organisation.objects.all():
        _mapping, created = ImportMapping.objects.get_or_create(
            organisation=organisation,
            name=NAME,
            defaults={"columns": {f.name: f.name for f in FIELDS}},
        )
        made += created
    return made
