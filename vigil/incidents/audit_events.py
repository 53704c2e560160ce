"""Audit events written by incidents, people and evidence."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENTS: dict[str, frozenset[str]] = {
    "event.start": frozenset(),
    "event.update": frozenset({"fields"}),
    "event.record": frozenset(),
    "event.qualify": frozenset({"old", "new"}),
    "event.shred": frozenset(),
    "person.create": frozenset(),
    "person.update": frozenset(),
    "act.add": frozenset({"act_type"}),
    "act.remove": frozenset(),
    "perpetrator.add": frozenset(),
    "perpetrator.remove": frozenset(),
    "source.add": frozenset(),
    "evidence.add": frozenset({"event", "kind", "content_type", "size", "sha256", "metadata_kept"}),
    "evidence.download": frozenset({"event", "sha256"}),
    "evidence.damaged": frozenset({"event", "sha256"}),
    # Counts only: the query itself is never recorded.
    "search": frozenset({"people", "incidents"}),
    "demo.generate": frozenset({"count"}),
}

LABELS = {
    "event.start": _("Incident started"),
    "event.update": _("Incident edited"),
    "event.record": _("Incident recorded"),
    "event.qualify": _("Violation qualified"),
    "event.shred": _("Incident destroyed"),
    "person.create": _("Person added"),
    "person.update": _("Person edited"),
    "act.add": _("Act added"),
    "act.remove": _("Act removed"),
    "perpetrator.add": _("Perpetrator added"),
    "perpetrator.remove": _("Perpetrator removed"),
    "source.add": _("Source added"),
    "evidence.add": _("Evidence added"),
    "evidence.download": _("Evidence downloaded"),
    "evidence.damaged": _("Damaged evidence detected"),
    "search": _("Search"),
    "demo.generate": _("Demo data generated"),
}
