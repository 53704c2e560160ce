"""A coordinator's phone pages: issue with a one-time setup code, revoke, rotate the key."""

from __future__ import annotations

import base64
import json
import re
import zlib

from vigil.audit.models import AuditEvent
from vigil.conftest import World
from vigil.odk import audit_events
from vigil.odk.actions import hash_password
from vigil.odk.models import Device, FormKey


def test_it_shows_the_setup_code_once_with_its_warning(world: World, signed_in) -> None:
    client = signed_in("coordinator")
    response = client.post("/odk/devices/", {"label": "phone 7"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "<svg" in page
    assert "This code is a secret." in page
    device = Device.objects.get(label="phone 7")
    found = re.search(r"Password</dt><dd><code>([^<]+)</code>", page)
    assert found is not None
    password = found.group(1)
    assert device.password_hash == hash_password(password)  # only a hash is kept
    assert password not in client.get("/odk/devices/").content.decode()
    assert "/odk/svitlo" in page and "formList" not in page


def test_it_builds_collects_settings_code_with_locked_settings() -> None:
    from vigil.odk.reads import collect_settings

    code = collect_settings("https://v.example/odk/svitlo", "odk-1", "pw", "Vigil")
    settings = json.loads(zlib.decompress(base64.b64decode(code)))
    assert settings["general"]["server_url"] == "https://v.example/odk/svitlo"
    assert settings["general"]["username"] == "odk-1"
    assert settings["general"]["delete_send"] is True
    assert settings["admin"]["edit_saved"] is False
    assert settings["admin"]["change_server"] is False


def test_it_revokes_a_phone_and_rotates_the_key(world: World, signed_in) -> None:
    client = signed_in("coordinator")
    client.post("/odk/devices/", {"label": "phone 8"})
    device = Device.objects.get()
    assert client.post(f"/odk/devices/{device.pk}/revoke/").status_code == 302
    device.refresh_from_db()
    assert device.revoked_at is not None
    client.post("/odk/key/rotate/")
    client.post("/odk/key/rotate/")
    assert FormKey.objects.filter(organisation=world.org).count() == 2
    assert FormKey.objects.filter(organisation=world.org, is_current=True).count() == 1


def test_it_audits_only_declared_events_with_declared_keys(world: World, signed_in) -> None:
    client = signed_in("coordinator")
    client.post("/odk/devices/", {"label": "phone 9"})
    client.post(f"/odk/devices/{Device.objects.get().pk}/revoke/")
    client.post("/odk/key/rotate/")
    events = AuditEvent.objects.filter(action__startswith="odk.")
    assert {e.action for e in events} >= {
        "odk.device_issued",
        "odk.device_revoked",
        "odk.key_created",
    }
    for event in events:
        assert set(event.data) <= audit_events.EVENTS[event.action]
