"""Audit events written by cases, consent and interventions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENTS: dict[str, frozenset[str]] = {
    "case.open": frozenset({"incidents"}),
    "case.status": frozenset({"old", "new"}),
    "case.closure_request": frozenset({"outcome"}),
    "case.closure_approve": frozenset(),
    "case.closure_reject": frozenset(),
    "case.assign": frozenset({"users"}),
    "case.assessment": frozenset(),
    "case.contact_reveal": frozenset({"person", "basis"}),
    "task.add": frozenset({"due"}),
    "task.done": frozenset(),
    "note.add": frozenset(),
    "intervention.add": frozenset({"type"}),
    "consent.record": frozenset({"purpose", "granted", "body"}),
    "consent.override": frozenset({"purpose", "action", "case"}),
}

LABELS = {
    "case.open": _("Case opened"),
    "case.status": _("Case status changed"),
    "case.closure_request": _("Case closure requested"),
    "case.closure_approve": _("Case closure approved"),
    "case.closure_reject": _("Case closure rejected"),
    "case.assign": _("Case assigned"),
    "case.assessment": _("Needs assessed"),
    "case.contact_reveal": _("Client contact shown"),
    "task.add": _("Task added"),
    "task.done": _("Task done"),
    "note.add": _("Note added"),
    "intervention.add": _("Intervention recorded"),
    "consent.record": _("Consent recorded"),
    "consent.override": _("Consent overridden"),
}
