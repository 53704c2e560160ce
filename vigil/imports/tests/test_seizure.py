"""A seized database and media folder, mid-import and after, reveal no imported secret."""

from __future__ import annotations

import pytest
from django.test import Client

from vigil.conftest import sign_in
from vigil.imports import actions
from vigil.imports.models import ImportMapping
from vigil.imports.tests import sheets
from vigil.vault import sealing
from vigil.vault.seizure import encodings, seized
from vigil.vault.session import Vault

NAME = "Галина Засекреченная"
BADGE = "ЖЕТОН-99173"
STORY = "Рассказ, который нельзя прочесть"


@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_imported_plaintext_in_a_seized_server(world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    row = sheets.good_row(1)
    row[5], row[6], row[7] = BADGE, NAME, STORY
    user = world["coordinator"].user
    mapping = ImportMapping.objects.create(
        organisation=world.org, name="m", columns=sheets.DEFAULT_COLUMNS
    )
    job = actions.upload(user, world.org, [sheets.csv_bytes([row])], mapping=mapping)
    sign_in(Client(), world["coordinator"])  # a live session, as during a real import
    mid_import = seized()
    vault = Vault({world.org.pk: world.org_private})
    data = b"".join(sealing.open_file(job.data_key(vault, world.org.pk), job.stored_name))
    actions.dry_run(user, job, data)
    actions.start(user, job)
    actions.run(user, job, data, vault.index_key(world.org.pk))
    after = seized()
    assert len(after) > 10_000 and b"EXT-00001" not in after
    for dump in (mid_import, after):
        for text in (NAME, BADGE, STORY, "EXT-00001"):
            for form in encodings(text):
                assert form not in dump, text
