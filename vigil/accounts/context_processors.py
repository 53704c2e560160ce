from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil import policy
from vigil.policy import Perm

# (permission, url name, label): the navigation shows what the role may open.
NAVIGATION = [
    (Perm.HOME, "home", _("Home")),
    (Perm.MY_WORK, "cases:my_work", _("My work")),
    (Perm.TRIAGE, "intake:inbox", _("Inbox")),
    (Perm.INCIDENT_EDIT, "incidents:new", _("New incident")),
    (Perm.INCIDENT_VIEW, "lists:incidents", _("Incidents")),
    (Perm.CASE_VIEW, "caselists:cases", _("Cases")),
    (Perm.INCIDENT_VIEW, "lists:search", _("Search")),
    (Perm.HOTLINE_INTAKE, "intake:hotline", _("Hotline call")),
    (Perm.MANAGE_MEMBERS, "accounts:member_list", _("Members")),
    (Perm.PUBLIC_PROFILE, "intake:public_profile", _("Public page")),
    (Perm.LEGAL_AGENDA, "complaints:agenda", _("Deadlines")),
    (Perm.DIRECTORY_VIEW, "complaints:body_list", _("Oversight bodies")),
    (Perm.STATS_VIEW, "stats:dashboard", _("Statistics")),
    (Perm.STATS_EXPORT, "stats:report_new", _("Advocacy report")),
    (Perm.ACCOUNTABILITY_FIGURES, "complaints:figures", _("Accountability")),
    (Perm.VIEW_AUDIT, "accounts:audit_list", _("Audit log")),
    (Perm.NETWORK_SHARING, "stats:network_settings", _("Network sharing")),
    (Perm.HOME, "vocab:index", _("Vocabularies")),
    (Perm.ODK_OPEN, "odk:records", _("Phone records")),
    (Perm.ODK_MANAGE, "odk:devices", _("Phones")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    if membership is None or user is None or not user.is_verified():  # type: ignore[union-attr]
        return {"nav_items": []}
    items = [
        {"url": reverse(name), "label": label, "active": request.path == reverse(name)}
        for perm, name, label in NAVIGATION
        if policy.can(membership, perm)
    ]
    return {"nav_items": items, "membership": membership}
