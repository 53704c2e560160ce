"""Every audit action the referrals app records, with the detail keys it may carry."""

from __future__ import annotations

EVENTS: dict[str, frozenset[str]] = {
    "programme.save": frozenset({"routes", "units", "services", "referrers"}),
    "police_unit.add": frozenset(),
    "health_service.add": frozenset({"kind"}),
    "referral.created": frozenset({"programme", "route"}),
    "referral.claim": frozenset(),
    "referral.arrival": frozenset({"minutes"}),
    "referral.contact": frozenset(),
    "referral.assessment": frozenset({"needs"}),
    "referral.link_person": frozenset({"person", "created"}),
    "referral.open_case": frozenset({"case"}),
    "referral.service": frozenset({"kind"}),
    "referral.admitted": frozenset(),
    "referral.retention": frozenset({"day", "retained", "source"}),
    "referral.close": frozenset({"reason"}),
    "referral.reminders": frozenset({"emails"}),
    "referral.funnel_export": frozenset({"format", "period", "by"}),
}
