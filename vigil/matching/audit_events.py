"""Audit actions of repeat-perpetrator matching and the detail keys each may carry."""

EVENTS: dict[str, frozenset[str]] = {
    "matching.join": frozenset({"network"}),
    "matching.counsel_appoint": frozenset({"network", "user"}),
    "matching.submit": frozenset({"network", "entries"}),
    "matching.quota_refused": frozenset({"network"}),
    "matching.withdraw": frozenset({"entries", "reason"}),
    "matching.withdraw_confirmed": frozenset({"entries"}),
    "matching.alarm_sent": frozenset({"network", "recipients"}),
    "matching.reveal": frozenset({"network", "groups", "entries", "unreadable"}),
}
