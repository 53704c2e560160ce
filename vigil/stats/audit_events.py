"""Audit events written by statistics: networks, exports and reports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The filter names of an export (codes and months only, see Filters.as_audit).
EVENTS: dict[str, frozenset[str]] = {
    "stats.network_create": frozenset({"slug"}),
    "stats.network_opt_in": frozenset({"network"}),
    "stats.network_opt_out": frozenset({"network"}),
    "stats.network_invite": frozenset({"network", "invited"}),
    "stats.network_invitation_accept": frozenset({"network"}),
    "stats.network_invitation_decline": frozenset({"network"}),
    "stats.cross_report_mark": frozenset(),
    "stats.cross_report_clear": frozenset(),
    "stats.export": frozenset(
        {"format", "scope", "unit", "rows", "columns", "filters", "row_count"}
    ),
    "stats.report": frozenset({"scope", "date_from", "date_to", "country", "language", "via"}),
    "stats.report_download": frozenset({"format"}),
}

LABELS = {
    "stats.network_create": _("Network created"),
    "stats.network_opt_in": _("Joined a network's statistics"),
    "stats.network_opt_out": _("Left a network's statistics"),
    "stats.network_invite": _("Organisation invited to a network"),
    "stats.network_invitation_accept": _("Network invitation accepted"),
    "stats.network_invitation_decline": _("Network invitation declined"),
    "stats.cross_report_mark": _("Incident marked as reported elsewhere"),
    "stats.cross_report_clear": _("Cross-report mark removed"),
    "stats.export": _("Statistics exported"),
    "stats.report": _("Advocacy report generated"),
    "stats.report_download": _("Advocacy report downloaded"),
}
