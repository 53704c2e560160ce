"""The enumerated audit events and the detail keys each may carry.

Every ``vigil.*`` app declares its events in ``vigil/<app>/audit_events.py``:

    EVENTS: dict[str, frozenset[str]] = {"case.open": frozenset({"incidents"})}
    LABELS: dict[str, str] = {"case.open": gettext_lazy("Case opened")}  # optional

``record()`` refuses an event that no app declares and any detail key outside
the event's allow-list, so a name or a narrative cannot reach the audit table
under a new key without someone declaring (and a reviewer reading) that key.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps
from django.utils.functional import Promise


class UndeclaredAuditEvent(ValueError):
    """An event name or detail key that no ``audit_events.py`` allows."""


def _modules() -> list[ModuleType]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("vigil."):
            continue
        name = f"{config.name}.audit_events"
        if find_spec(name) is not None:
            found.append(import_module(name))
    return found


@cache
def registry() -> dict[str, frozenset[str]]:
    events: dict[str, frozenset[str]] = {}
    for module in _modules():
        for action, keys in module.EVENTS.items():
            if action in events and events[action] != keys:
                raise UndeclaredAuditEvent(f"{action} declared twice with different keys")
            events[action] = frozenset(keys)
    return events


@cache
def _labels() -> dict[str, str | Promise]:
    labels: dict[str, str | Promise] = {}
    for module in _modules():
        labels.update(getattr(module, "LABELS", {}))
    return labels


def check(action: str, keys: set[str] | frozenset[str]) -> None:
    allowed = registry().get(action)
    if allowed is None:
        raise UndeclaredAuditEvent(f"audit event {action!r} is not declared in any audit_events.py")
    extra = set(keys) - allowed
    if extra:
        raise UndeclaredAuditEvent(
            f"audit event {action!r} may not carry {sorted(extra)} (allowed: {sorted(allowed)})"
        )


def label(action: str) -> str | Promise:
    """The translated name of an event for the audit page; the code when none is declared."""
    return _labels().get(action, action)
