"""Audit events written by accounts: sign-in, members, keys."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENTS: dict[str, frozenset[str]] = {
    "organisation.create": frozenset(),
    "member.add": frozenset({"role", "granted"}),
    "member.role": frozenset({"old", "new"}),
    "member.activate": frozenset(),
    "member.deactivate": frozenset(),
    "member.password_reset": frozenset(),
    "member.2fa_reset": frozenset(),
    "key.grant": frozenset(),
    "key.revoke": frozenset(),
    "key.recover": frozenset(),
    "account.password_change": frozenset(),
    "account.profile": frozenset({"fields"}),
    "account.2fa_enrol": frozenset(),
    "account.login": frozenset(),
    "account.logout": frozenset(),
    "account.step_up": frozenset(),
}

LABELS = {
    "account.profile": _("Own profile edited"),
    "organisation.create": _("Organisation created"),
    "member.add": _("Member added"),
    "member.role": _("Member's role changed"),
    "member.activate": _("Member reactivated"),
    "member.deactivate": _("Member deactivated"),
    "member.password_reset": _("Member's password reset"),
    "member.2fa_reset": _("Member's two-factor device reset"),
    "key.grant": _("Organisation key granted"),
    "key.revoke": _("Organisation key revoked"),
    "key.recover": _("Organisation key recovered with the phrase"),
    "account.password_change": _("Own password changed"),
    "account.2fa_enrol": _("Two-factor device enrolled"),
    "account.login": _("Signed in"),
    "account.logout": _("Signed out"),
    "account.step_up": _("Confirmed with password and code for a sensitive change"),
}
