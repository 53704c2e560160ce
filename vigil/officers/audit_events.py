"""Audit actions recorded by the officers app and the detail keys each may carry."""

EVENTS: dict[str, frozenset[str]] = {
    "officer.profile_view": frozenset({"kind", "incidents", "external"}),
    "officer.repeat_list": frozenset({"threshold", "rows"}),
    "officer.threshold": frozenset({"old", "new"}),
    "officer.reindex": frozenset({"people", "perpetrators", "complaints", "via"}),
    "register.upload": frozenset({"format", "size"}),
    "register.queue": frozenset({"dry_run", "identity", "via"}),
    "register.import": frozenset({"dry_run", "rows", "imported", "errors"}),
    "register.fail": frozenset({"dry_run"}),
    "register.delete": frozenset({"rows"}),
}
