"""Audit events of the alerts app and the detail keys each may carry (ids, codes, counts)."""

from __future__ import annotations

EVENTS: dict[str, frozenset[str]] = {
    "alert.create": frozenset({"source_kind"}),
    "alert.update": frozenset({"languages", "identifiers"}),
    "alert.submit": frozenset({"from_status", "to_status"}),
    "alert.return": frozenset({"from_status", "to_status"}),
    "alert.approve": frozenset({"from_status", "to_status", "police_identifier"}),
    "alert.publish": frozenset({"from_status", "to_status", "indexes"}),
    "alert.withdraw": frozenset({"from_status", "to_status"}),
    "alert.expire": frozenset({"from_status", "to_status"}),
    "alert.open_source": frozenset({"source_kind"}),
    "alert.dispatch": frozenset({"alert", "recipients"}),
    "alert.dispatch_done": frozenset({"alert", "sent", "failed"}),
    "subscriber.enrol": frozenset({"channel", "group"}),
    "subscriber.deactivate": frozenset(),
    "alert_member.link_sent": frozenset(),
    "alert_member.sign_in": frozenset(),
    "checker.lookup": frozenset({"kind"}),
    "police.digest": frozenset({"format", "incidents", "months"}),
    "police.link_request": frozenset(),
    "police.link_decision": frozenset({"granted", "victims"}),
    "police.link_answer": frozenset({"granted"}),
}
