"""The unsealing of what case pages show.

Views reach the case through ``vigil.policy`` and hand its data key here; they
never open sealed fields themselves (DESIGN.md 8.1), so everything a case page
decrypts can be found in this one module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vigil import policy
from vigil.cases.models import Case, Task
from vigil.incidents.models import Event, Person
from vigil.lib.requests import StaffRequest
from vigil.vault import sealing
from vigil.vault.crypto import CryptoError


@dataclass(frozen=True)
class Sealed:
    """A row with its opened text, for a template that shows both."""

    obj: Any
    text: str


def event_title(request: StaffRequest, event: Event) -> str:
    """The incident's title; '' when its key is gone (shredded) or the data damaged."""
    try:
        key = policy.data_key(request, event)
        return str(sealing.open_json(key, event.sealed, {}).get("title") or "")
    except CryptoError:
        return ""


def task_title(key: bytes, task: Task) -> str:
    # An empty key stands for a shredded case: its tasks are listed untitled.
    return sealing.open_text(key, task.sealed) if key else ""


def assessment(key: bytes, case: Case) -> dict[str, Any]:
    """The sealed needs notes and plan of a case."""
    return sealing.open_json(key, case.sealed, {})


def texts(key: bytes, rows: Iterable[Any], field: str = "sealed") -> list[Sealed]:
    """Notes, interventions or overrides, each with its opened text."""
    return [Sealed(row, sealing.open_text(key, getattr(row, field))) for row in rows]


def contact_details(request: StaffRequest, client: Person) -> dict[str, Any]:
    """Her sealed contact details; the caller has checked consent or an override."""
    return sealing.open_json(policy.data_key(request, client), client.sealed, {})
