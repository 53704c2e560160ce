"""Audit events written by the engagement app, with the detail keys each may carry
(ids, codes, counts and flags only)."""

from __future__ import annotations

EVENTS: dict[str, frozenset[str]] = {
    "partner.create": frozenset({"body", "kind"}),
    "partner.update": frozenset({"kind", "active", "participants"}),
    "partner.contact_add": frozenset({"partner"}),
    "partner.contact_update": frozenset({"partner", "active"}),
    "partner.contact_log": frozenset({"partner", "kind", "legal_action"}),
    "partner.contact_log_update": frozenset({"partner", "response"}),
    "partner.agreement_add": frozenset({"partner", "kind", "sha256"}),
    "partner.agreement_update": frozenset({"partner", "kind"}),
    "engagement.file_download": frozenset({"sha256"}),
    "engagement.file_damaged": frozenset({"sha256"}),
    "activity.create": frozenset({"type", "police"}),
    "activity.update": frozenset({"type", "police"}),
    "activity.material_add": frozenset({"activity", "sha256"}),
    "board.create": frozenset({"region"}),
    "board.update": frozenset({"region", "active"}),
    "board.member_add": frozenset({"board", "category"}),
    "board.member_update": frozenset({"board", "active"}),
    "suggestion.submit": frozenset({"board", "addressed_to"}),
    "suggestion.update": frozenset({"addressed_to"}),
    "suggestion.move": frozenset({"from_status", "to_status"}),
    "visit.create": frozenset({"facility_type", "follow_up"}),
    "visit.update": frozenset({"facility_type"}),
    "visit.findings": frozenset({"themes"}),
    "visit.allegation_add": frozenset({"visit", "consent"}),
    "visit.allegation_update": frozenset({"visit", "consent", "event"}),
    "recommendation.add": frozenset({"visit", "authority"}),
    "recommendation.update": frozenset({"authority"}),
    "recommendation.move": frozenset({"from_status", "to_status"}),
    "calendar.create": frozenset(),
    "calendar.revoke": frozenset({"count"}),
    "engagement.export": frozenset({"format"}),
}
