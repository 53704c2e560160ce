"""The KoboToolbox receiver: header token, mapping, idempotent on _uuid."""

from __future__ import annotations

import json
import re

from django.test import Client

from vigil.api.models import KoboHook
from vigil.conftest import World
from vigil.intake.models import Submission
from vigil.vault import crypto, sealing

# A Kobo REST-service payload (JSON export format) of a published form.
SAMPLE = {
    "_id": 123456,
    "_uuid": "3f1c2b7e-8a44-4d0e-9a7e-0a1b2c3d4e5f",
    "formhub/uuid": "b2f9d1",
    "start": "2024-03-05T10:11:12.000+02:00",
    "group_incident/what_happened": "beaten money",
    "group_incident/story": "Её избили у аптеки",
    "group_incident/incident_date": "2024-03-05",
    "region": "UA-30",
    "place": "В полицейской машине",
    "officer_badge": "4471",
    "_submission_time": "2024-03-05T08:12:00",
    "_attachments": [],
}


def _hook(signed_in) -> tuple[Client, KoboHook, str, str]:
    coordinator = signed_in("coordinator")
    page = coordinator.post("/api/kobo/new/", {"name": "Outreach form"}).content.decode()
    secret = re.search(r"X-Vigil-Token: (vgl_[\w-]+)", page).group(1)  # type: ignore[union-attr]
    hook = KoboHook.objects.get()
    url = f"/api/kobo/{hook.organisation.slug}/{hook.pk}/submissions/"
    assert url in page and "unencrypted copy" in page
    return coordinator, hook, secret, url


def _send(url: str, secret: str, payload: dict) -> int:
    return (
        Client()
        .post(url, json.dumps(payload), content_type="application/json", HTTP_X_VIGIL_TOKEN=secret)
        .status_code
    )


def test_it_stores_a_sample_payload_once_sealed_in_the_inbox(world: World, signed_in) -> None:
    coordinator, hook, secret, url = _hook(signed_in)
    coordinator.post(
        f"/api/kobo/{hook.pk}/",
        {"what": "what_happened", "date": "incident_date", "badge": "officer_badge"},
    )
    assert _send(url, secret, SAMPLE) == 201
    assert _send(url, secret, SAMPLE) == 200
    submission = Submission.objects.get()
    assert submission.organisation == world.org and submission.status == "new"
    assert submission.get_channel_display() == "KoboToolbox form"
    assert "избили".encode() not in bytes(submission.sealed or b"")
    key = crypto.unseal(world.org_private, bytes(submission.sealed_key or b""))
    report = sealing.open_json(key, submission.sealed)
    assert report["what"] == ["beaten", "money"] and report["date"] == "2024-03-05"
    assert report["region"] == "UA-30" and report["badge"] == "4471"
    assert report["place"] == "police_car"  # matched by its Russian label
    assert report["story"] == "Её избили у аптеки"
    # It is in the triage inbox.
    assert submission.code in signed_in("caseworker").get("/inbox/").content.decode()


def test_it_refuses_a_wrong_token_or_a_payload_without_uuid(world: World, signed_in) -> None:
    _coordinator, hook, secret, url = _hook(signed_in)
    assert _send(url, "vgl_wrong", SAMPLE) == 401
    assert _send(url.replace("svitlo", "dostyk"), secret, SAMPLE) == 401
    assert _send(url, secret, {"story": "x"}) == 400
    hook.revoked_at = hook.created_at
    hook.save()
    assert _send(url, secret, SAMPLE) == 401
    assert Submission.objects.count() == 0
