"""Audit events written by the vocabularies."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENTS: dict[str, frozenset[str]] = {
    "vocab.term_add": frozenset({"code", "list"}),
    "vocab.term_update": frozenset({"code", "languages"}),
    "vocab.term_activate": frozenset({"code"}),
    "vocab.term_deactivate": frozenset({"code"}),
}

LABELS = {
    "vocab.term_add": _("Term added"),
    "vocab.term_update": _("Term translated"),
    "vocab.term_activate": _("Term reactivated"),
    "vocab.term_deactivate": _("Term deactivated"),
}
