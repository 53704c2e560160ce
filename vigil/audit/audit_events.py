"""Audit events written by the audit log itself."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENTS: dict[str, frozenset[str]] = {
    # The head row was missing and was rebuilt from the event with this sequence.
    "audit.head_recovered": frozenset({"seq"}),
}

LABELS = {
    "audit.head_recovered": _("Audit head rebuilt after it went missing"),
}
