"""Audit events written by complaints: bodies, legal actions, letters."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENTS: dict[str, frozenset[str]] = {
    "body.create": frozenset({"slug"}),
    "body.update": frozenset(),
    "liaison.add": frozenset({"body"}),
    "liaison.update": frozenset({"active"}),
    "legal_action.create": frozenset({"case", "type", "body", "parent"}),
    "legal_action.update": frozenset({"body"}),
    # Every move of the pipeline; the filing and response steps add their codes.
    "legal_action.status": frozenset(
        {"old", "new", "channel", "due", "basis", "response", "outcomes"}
    ),
    "legal_action.response": frozenset({"response", "outcomes"}),
    "letter.generate": frozenset({"action_id", "format", "identified", "language", "sha256"}),
    "letter.download": frozenset({"sha256"}),
    "letter_template.upload": frozenset({"body_type", "language", "sha256"}),
    "letter_template.reset": frozenset({"body_type", "language"}),
}

LABELS = {
    "body.create": _("Oversight body added"),
    "body.update": _("Oversight body edited"),
    "liaison.add": _("Liaison contact added"),
    "liaison.update": _("Liaison contact edited"),
    "legal_action.create": _("Legal action drafted"),
    "legal_action.update": _("Legal action edited"),
    "legal_action.status": _("Legal action moved"),
    "legal_action.response": _("Authority's response recorded"),
    "letter.generate": _("Letter generated"),
    "letter.download": _("Letter downloaded"),
    "letter_template.upload": _("Letter template uploaded"),
    "letter_template.reset": _("Letter template reset"),
}
