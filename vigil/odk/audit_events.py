"""Audit actions of offline intake through ODK Collect and the detail keys each may carry."""

EVENTS: dict[str, frozenset[str]] = {
    "odk.key_created": frozenset({"key", "previous"}),
    "odk.device_issued": frozenset({"device"}),
    "odk.device_revoked": frozenset({"device"}),
    "odk.record_received": frozenset({"device", "files", "size"}),
    "odk.record_opened": frozenset({"submission", "files", "skipped"}),
    "odk.record_unreadable": frozenset({"reason"}),
    "odk.record_expired": frozenset(),
}
