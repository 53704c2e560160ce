"""What the ODK pages show; no sealed content is opened here but the form key."""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

import segno
from django.db.models import QuerySet

from vigil.accounts.models import Organisation
from vigil.odk.models import Device, EncryptedRecord, FormKey, RecordStatus


def devices(queryset: QuerySet[Device]) -> list[Device]:
    return list(queryset.order_by("revoked_at", "-created_at"))


def waiting_records(queryset: QuerySet[EncryptedRecord]) -> list[EncryptedRecord]:
    return list(
        queryset.filter(status__in=[RecordStatus.WAITING, RecordStatus.UNREADABLE])
        .select_related("device")
        .order_by("received_at")
    )


def form_keys(organisation: Organisation) -> list[FormKey]:
    return list(FormKey.objects.filter(organisation=organisation).order_by("-created_at"))


def collect_settings(server_url: str, username: str, password: str, project: str) -> str:
    """ODK Collect's settings code: base64(zlib(JSON)), as its QR scanner reads it.

    Locked the way an outreach phone should be: records are deleted once sent,
    sent records cannot be viewed or edited, and the server cannot be changed.
    """
    payload: dict[str, Any] = {
        "general": {
            "server_url": server_url,
            "username": username,
            "password": password,
            "autosend": "wifi_and_cellular",
            "delete_send": True,
            "form_update_mode": "match_exactly",
            "automatic_update": True,
        },
        "admin": {
            "edit_saved": False,
            "view_sent": False,
            "change_server": False,
            "change_form_metadata": False,
            "delete_saved": True,
        },
        "project": {"name": project, "icon": "V", "color": "#8a1c1c"},
    }
    raw = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(zlib.compress(raw)).decode("ascii")


def qr_svg(code: str) -> str:
    return str(segno.make(code, error="m").svg_inline(scale=4, dark="#111", light="#fff"))
