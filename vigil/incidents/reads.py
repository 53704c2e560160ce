"""The unsealing of what incident pages and the wizard show.

Views and wizard steps reach events and people through ``vigil.policy`` and
hand their data keys here; they never open sealed fields themselves
(DESIGN.md 8.1), so everything an incident page decrypts is in this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil import policy
from vigil.incidents.models import Event, Evidence, Involvement, Perpetrator, Person, Source
from vigil.lib.requests import StaffRequest
from vigil.vault import crypto, sealing
from vigil.vault.keys import VaultLocked

DESTROYED = gettext_lazy("(content destroyed)")


# --- titles for list lines ---------------------------------------------------------


def event_title(request: StaffRequest, event: Event) -> str:
    """The sealed title for a list line; a shredded event has none (not an error here)."""
    try:
        key = policy.data_key(request, event)
    except crypto.CryptoError:
        return ""
    return str(sealing.open_json(key, event.sealed, {}).get("title") or "")


def sealed_title(request: StaffRequest, record: Event) -> str | None:
    """The decrypted title, '' when there is none, None when this session cannot open it."""
    try:
        key = policy.data_key(request, record)
        return str(sealing.open_json(key, record.sealed, {}).get("title", ""))
    except VaultLocked:
        return None
    except crypto.CryptoError:  # shredded (retention) or damaged: say so, do not fail the list
        return str(DESTROYED)


# --- an event's sealed parts, opened with the event key -----------------------------


def event_values(key: bytes, event: Event) -> dict[str, Any]:
    return sealing.open_json(key, event.sealed, {})


@dataclass
class PerpetratorRow:
    perpetrator: Perpetrator
    values: dict[str, str]
    number: int

    @property
    def label(self) -> str:
        name = self.values.get("name") or self.values.get("badge")
        return name or _("Perpetrator %(number)s") % {"number": self.number}


def perpetrator_rows(event: Event, key: bytes) -> list[PerpetratorRow]:
    queryset = (
        event.perpetrators.select_related("perpetrator_type")
        .prefetch_related(
            Prefetch(
                "involvements",
                queryset=Involvement.objects.select_related(
                    "act__act_type", "act__victim", "degree"
                ).order_by("act_id"),
            )
        )
        .order_by("pk")
    )
    return [
        PerpetratorRow(p, sealing.open_json(key, p.sealed, {}), number)
        for number, p in enumerate(queryset, start=1)
    ]


def source_rows(event: Event, key: bytes) -> list[tuple[Source, dict[str, str]]]:
    return [
        (source, sealing.open_json(key, source.sealed, {}))
        for source in event.sources.select_related("source_type", "reliability").order_by("pk")
    ]


def evidence_rows(event: Event, key: bytes) -> list[tuple[Evidence, dict[str, str]]]:
    rows = []
    for item in event.evidence.order_by("uploaded_at", "pk"):
        values = sealing.open_json(key, item.sealed, {})
        shown = {name: str(values.get(name) or "") for name in ("file_name", "description")}
        rows.append((item, shown))
    return rows


def evidence_chunks(key: bytes, item: Evidence) -> Iterator[bytes]:
    """The stored file, decrypted chunk by chunk as the download streams it."""
    return sealing.open_file(key, item.stored_name)


# --- a person's sealed part, opened with her own key -------------------------------


def person_opened(request: StaffRequest, person: Person) -> tuple[bytes, dict[str, Any]]:
    """Her data key and sealed values; the key is kept by forms that save her back."""
    person_key = policy.data_key(request, person)
    return person_key, sealing.open_json(person_key, person.sealed, {})


def person_values(request: StaffRequest, person: Person) -> dict[str, Any]:
    return person_opened(request, person)[1]
