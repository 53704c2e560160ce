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
    # referrals
    (Perm.REFERRAL_SUBMIT, "referrals:police_new", _("New referral")),
    (Perm.POLICE_FUNNEL, "referrals:police_figures", _("Referral figures")),
    (Perm.REFERRAL_WORK, "referrals:queue", _("Referrals")),
    (Perm.REFERRAL_FUNNEL, "referrals:funnel", _("Referral funnel")),
    (Perm.PROGRAMME_MANAGE, "referrals:programmes", _("Diversion programmes")),
    (Perm.ALERT_VIEW, "alerts:list", _("Alerts")),
    (Perm.ALERT_MEMBER_PAGE, "alerts:members", _("Members' page")),
    (Perm.SUBSCRIBERS_MANAGE, "alerts:subscribers", _("Alert members")),
    (Perm.POLICE_REQUESTS, "alerts:police_requests", _("Police requests")),
    (Perm.ENGAGEMENT_VIEW, "engagement:index", _("Police and oversight")),
    (Perm.ENGAGEMENT_DASHBOARD, "engagement:dashboard", _("Engagement dashboard")),
    (Perm.IMPORT_RECORDS, "imports:index", _("Import and export")),
    (Perm.MANAGE_API, "api:tokens", _("API and Kobo")),
    (Perm.OFFICER_PROFILES, "officers:repeat_list", _("Repeat officers")),
    (Perm.ODK_OPEN, "odk:records", _("Phone records")),
    (Perm.ODK_MANAGE, "odk:devices", _("Phones")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    if membership is None or user is None or not user.is_verified():
        return {"nav_items": []}
    items = [
        {"url": reverse(name), "label": label, "active": request.path == reverse(name)}
        for perm, name, label in NAVIGATION
        if policy.can(membership, perm)
    ]
    return {"nav_items": items, "membership": membership}
