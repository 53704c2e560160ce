"""A seized database and media folder: no subscriber contact, no alert source, no
checker query and nothing of hers in plaintext, even while a send is under way."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from vigil.alerts import actions
from vigil.alerts.models import Alert
from vigil.alerts.tests.helpers import (
    HER_ADDRESS,
    HER_NAME,
    HER_PHONE,
    NARRATIVE,
    PLACE_DETAIL,
    TEXTS,
    make_source,
    published,
)
from vigil.conftest import World
from vigil.incidents.models import Event
from vigil.intake.models import Submission
from vigil.vault.seizure import encodings, seized

CONTACTS = ["marina.peer@example.org", "+380 50 444 7788", "Марина Ткачук"]
QUERIES = ["+380 93 777 0001", "ВН 9911 ОО"]


@pytest.fixture
def media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_it_leaves_no_contact_source_or_query_in_a_seized_server(
    transactional_db: None, media: None, world: World, signed_in: Any
) -> None:
    source = make_source(world)
    alert = published(world, source)
    actions.enrol(
        world["caseworker"].user,
        world.org,
        group="outreach",
        channel="email",
        region="",
        language="uk",
        name=CONTACTS[2],
        email=CONTACTS[0],
        phone=CONTACTS[1],
    )
    client = signed_in("caseworker")
    client.post("/members/check/", {"kind": "phone", "value": QUERIES[0]})
    client.post("/members/check/", {"kind": "plate", "value": QUERIES[1]})
    Client().post("/members/sign-in/", {"email": CONTACTS[0]})  # a sign-in link is issued
    client.post(f"/alerts/{alert.pk}/send/")  # a batch waits for the worker
    from vigil.alerts.models import CheckerUse, Dispatch, MemberLink

    assert Dispatch.objects.get().sealed_batch  # the recipients are in the dump, sealed
    assert CheckerUse.objects.count() == 2 and MemberLink.objects.count() == 1
    dump = seized()
    assert b"svitlo" in dump.lower() and len(dump) > 10_000
    source_link = json.dumps({"kind": "event", "id": source.event.pk})
    # Her pseudonym and the incident's day are clear columns by design (threat model).
    hers = [HER_NAME, HER_PHONE, HER_ADDRESS, PLACE_DETAIL, NARRATIVE[:60]]
    for secret in [*CONTACTS, *QUERIES, *hers, *TEXTS.values(), source_link]:
        for form in encodings(secret):
            assert form not in dump, secret


def test_it_keeps_no_column_linking_an_alert_to_its_source() -> None:
    related = {f.related_model for f in Alert._meta.get_fields() if f.is_relation}
    assert Event not in related and Submission not in related
