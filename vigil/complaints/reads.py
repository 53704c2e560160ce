"""The unsealing of what legal-action and directory pages show.

Views reach actions, cases and liaisons through ``complaints.access`` /
``vigil.policy`` and hand their keys here; they never open sealed fields
themselves (DESIGN.md 8.1).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vigil import policy
from vigil.complaints import letters
from vigil.complaints.models import GeneratedLetter, LegalAction, LiaisonContact
from vigil.incidents.models import Event
from vigil.lib.requests import StaffRequest
from vigil.vault import sealing
from vigil.vault.crypto import CryptoError


def action_values(key: bytes, action: LegalAction) -> dict[str, Any]:
    """The sealed notes and response summary of a legal action (case key)."""
    return sealing.open_json(key, action.sealed, {})


def letter_chunks(key: bytes, letter: GeneratedLetter) -> Iterator[bytes]:
    """The stored letter, decrypted chunk by chunk as the download streams it."""
    return sealing.open_file(key, letter.stored_name)


# --- the facts a letter is written from --------------------------------------------


def record_values(request: StaffRequest, record: Any) -> dict[str, Any]:
    try:
        return sealing.open_json(policy.data_key(request, record), record.sealed, {})
    except CryptoError:  # shredded: the letter goes out without those facts
        return {}


def _event_key(request: StaffRequest, event: Event) -> bytes | None:
    try:
        return policy.data_key(request, event)
    except CryptoError:
        return None


def incident_facts(request: StaffRequest, event: Event) -> letters.IncidentFacts:
    """An incident and its perpetrators as a letter tells them; empty when shredded."""
    key = _event_key(request, event)
    sealed = sealing.open_json(key, event.sealed, {}) if key else {}
    perpetrators = [
        (p.perpetrator_type, sealing.open_json(key, p.sealed, {}) if key else {})
        for p in event.perpetrators.select_related("perpetrator_type").order_by("pk")
    ]
    return letters.IncidentFacts(event, sealed, perpetrators)


# --- the directory -----------------------------------------------------------------


def liaison_values(request: StaffRequest, liaison: LiaisonContact) -> dict[str, str]:
    """A liaison's sealed contact details for a list; {} when the key is gone."""
    try:
        return sealing.open_json(policy.data_key(request, liaison), liaison.sealed, {})
    except CryptoError:
        return {}


def liaison_opened(request: StaffRequest, liaison: LiaisonContact) -> tuple[bytes, dict[str, Any]]:
    """The liaison's key and sealed values, for the form that saves them back."""
    key = policy.data_key(request, liaison)
    return key, sealing.open_json(key, liaison.sealed, {})
