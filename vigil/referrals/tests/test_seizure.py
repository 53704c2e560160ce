"""A seized database, media folder and log reveal no name, contact or note of a
referral's linked person, nor the link itself."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from vigil.conftest import World
from vigil.referrals.models import Programme, Referral
from vigil.referrals.tests.conftest import submit
from vigil.vault.seizure import database_bytes, encodings, seized

NAME = "Снежана Кравчук"
PHONE = "+380 67 765 43 21"
NOTES = "Живёт у сестры на Оболони, боится мужа"


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_linked_name_contact_and_notes_out_of_a_seized_server(
    world: World, programme: Programme, signed_in: Any, tmp_path: Any, settings: Any, caplog: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    caplog.set_level(logging.DEBUG)
    referral = submit(signed_in("police_liaison"), programme)
    worker = signed_in("referral")
    worker.post(f"/referrals/{referral.pk}/arrival/")
    worker.post(f"/referrals/{referral.pk}/contact/")
    worker.post(f"/referrals/{referral.pk}/assessment/", {"needs": ["ost"], "notes": NOTES})
    worker.post(
        f"/referrals/{referral.pk}/person/new/",
        {"pseudonym": "Birch", "legal_name": NAME, "phone": PHONE},
    )
    worker.post(f"/referrals/{referral.pk}/person/find/", {"q": NAME})
    page = worker.get(f"/referrals/{referral.pk}/").content.decode()
    assert NAME in page  # the worker sees it, so it was stored (sealed)

    dump = seized() + caplog.text.encode()
    for secret in (NAME, "Кравчук", PHONE, "765 43 21", "380677654321", NOTES, "Оболони"):
        for form in encodings(secret):
            assert form not in dump, secret
    assert Referral.objects.get(pk=referral.pk).linked


@pytest.mark.django_db(transaction=True)
def test_it_would_find_a_name_stored_in_the_clear(
    world: World, programme: Programme, signed_in: Any
) -> None:
    # Proves the scan can fail: the same district field is clear by design.
    submit(signed_in("police_liaison"), programme, district="Кравчук-видно")
    assert any(form in database_bytes() for form in encodings("Кравчук-видно"))
