"""Audit events written by public reporting, the hotline and the inbox."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENTS: dict[str, frozenset[str]] = {
    "submission.create": frozenset({"channel"}),
    "submission.receipt_saved": frozenset(),
    "submission.accepted": frozenset({"reason"}),
    "submission.merged": frozenset({"reason"}),
    "submission.rejected": frozenset({"reason"}),
    "submission.expire": frozenset(),
    "message.reporter": frozenset(),
    "message.staff": frozenset(),
    "attachment.add": frozenset(),
    "attachment.download": frozenset(),
    "organisation.public_profile": frozenset(),
    "organisation.public_languages": frozenset({"languages"}),
}

LABELS = {
    "submission.create": _("Report received"),
    "submission.receipt_saved": _("Reporter confirmed she saved her code"),
    "submission.accepted": _("Report accepted"),
    "submission.merged": _("Report merged into an incident"),
    "submission.rejected": _("Report rejected"),
    "submission.expire": _("Report expired"),
    "message.reporter": _("Message from the reporter"),
    "message.staff": _("Message to the reporter"),
    "attachment.add": _("Reporter's file added"),
    "attachment.download": _("Reporter's file downloaded"),
    "organisation.public_profile": _("Public page changed"),
    "organisation.public_languages": _("Languages of the public pages changed"),
}
