"""Records export: coordinators only, audited, formulas defused, read back by the importer."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from vigil.audit.models import AuditEvent
from vigil.conftest import World
from vigil.imports import actions
from vigil.imports.exporter import defuse
from vigil.imports.models import ImportMapping
from vigil.imports.tests import sheets
from vigil.vault.session import Vault


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _import(world: World, organisation, private: bytes, data: bytes, user) -> None:
    from vigil.imports.fields import FIELDS

    mapping, _ = ImportMapping.objects.get_or_create(
        organisation=organisation,
        name="all",
        defaults={"columns": {f.name: f.name for f in FIELDS}},
    )
    job = actions.upload(user, organisation, [data], mapping=mapping)
    vault = Vault({organisation.pk: private})
    payload = b"".join(
        __import__("vigil.vault.sealing", fromlist=["x"]).open_file(
            job.data_key(vault, organisation.pk), job.stored_name
        )
    )
    actions.dry_run(user, job, payload)
    actions.start(user, job)
    actions.run(user, job, payload, vault.index_key(organisation.pk))


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_it_defuses_formulas_including_full_width_forms() -> None:
    for text in ("=1+1", "+7", "-2", "@SUM(A1)", "\tx", "\rx", "＝1", "＋1", "－1", "＠x"):
        assert defuse(text) == "'" + text
    assert defuse("Оксана") == "Оксана"


def test_it_exports_what_the_importer_reads_back_as_the_same_records(
    world: World, signed_in
) -> None:
    rows = [sheets.good_row(n) for n in range(1, 8)]
    rows[0][7] = '=HYPERLINK("http://x")'
    rows[1][7] = "＝1+1 full width"
    _import(world, world.org, world.org_private, sheets.csv_bytes(rows), world["coordinator"].user)
    coordinator = signed_in("coordinator")
    first = coordinator.get("/imports/export.csv")
    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    exported = _rows(first.content)
    assert len(exported) == 8
    narrative = exported[0].index("narrative")
    assert exported[1][narrative] == '\'=HYPERLINK("http://x")'
    assert exported[2][narrative] == "'＝1+1 full width"
    assert AuditEvent.objects.filter(action="import.export", data__rows=7).count() == 1
    # Read back into another organisation: the same records, field by field.
    from vigil.conftest import World as _W  # noqa: F401 - clarity of the fixture type

    other_private = _other_private(world)
    _import(world, world.other_org, other_private, first.content, world.others["coordinator"].user)
    second = signed_in("coordinator", other=True).get("/imports/export.csv")
    assert _rows(second.content) == exported
    xlsx = coordinator.get("/imports/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).worksheets[0]
    assert [list(r) for r in sheet.iter_rows(values_only=True)][1][narrative] == exported[1][
        narrative
    ]


def _other_private(world: World) -> bytes:
    from vigil.vault import keys

    return keys.organisation_private_from_phrase(world.other_org, world.other_phrase)


def test_it_exports_for_coordinators_only(world: World, signed_in) -> None:
    assert signed_in("caseworker").get("/imports/export.csv").status_code == 403
    assert signed_in("analyst").get("/imports/export.xlsx").status_code == 403
