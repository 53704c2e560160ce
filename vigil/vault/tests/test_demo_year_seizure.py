"""After the full demo year is loaded, a seized database holds none of its generated names."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from vigil.accounts.models import Organisation
from vigil.cases.models import Case
from vigil.complaints.models import LegalAction
from vigil.incidents.models import Event, Perpetrator, Person
from vigil.vault import crypto, keys
from vigil.vault.seizure import encodings, seized

PHRASE_RE = re.compile(r"Recovery phrase of (\w+) \(demo\): ([a-z ]+)")


@pytest.fixture
def loaded(transactional_db: None, settings, tmp_path: Path) -> dict[str, str]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    out = StringIO()
    call_command("demo_data", force=True, incidents=150, stdout=out)
    return dict(PHRASE_RE.findall(out.getvalue()))


def test_a_seized_demo_year_holds_none_of_the_generated_names(loaded: dict[str, str]) -> None:
    assert set(loaded) == {"svitlo", "dostyk"}
    names: list[str] = []
    for slug, phrase in loaded.items():
        organisation = Organisation.objects.get(slug=slug)
        private = keys.organisation_private_from_phrase(organisation, phrase.strip())
        assert Event.objects.filter(organisation=organisation).count() >= 150
        assert Case.objects.filter(organisation=organisation).exists()
        assert LegalAction.objects.filter(organisation=organisation).exclude(response="").exists()
        for record in Person.objects.filter(organisation=organisation).order_by("pk")[:40]:
            key = crypto.unseal(private, bytes(record.sealed_key or b""))
            names.append(crypto.decrypt_json(key, bytes(record.sealed or b""))["legal_name"])
        for perpetrator in Perpetrator.objects.filter(event__organisation=organisation)[:40]:
            event = perpetrator.event
            key = crypto.unseal(private, bytes(event.sealed_key or b""))
            names.append(crypto.decrypt_json(key, bytes(perpetrator.sealed or b""))["name"])
    sample = sorted({n for n in names if len(n.split()) >= 2})
    assert len(sample) >= 20
    everything = seized()
    assert len(everything) > 1_000_000
    assert [n for n in sample for form in encodings(n) if form in everything] == []
