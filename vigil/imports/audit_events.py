"""Audit actions recorded by the import app, with the detail keys each may carry."""

EVENTS: dict[str, frozenset[str]] = {
    "import.upload": frozenset({"format", "size", "api_token"}),
    "import.mapping_save": frozenset({"job", "created", "columns"}),
    "import.dry_run": frozenset({"rows", "good", "problems"}),
    "import.start": frozenset({"check"}),
    "import.resume": frozenset({"after_line", "check"}),
    "import.interrupt": frozenset({"after_line"}),
    "import.chunk": frozenset(
        {"last_line", "events", "perpetrators", "cases", "skipped", "rejected"}
    ),
    "import.finish": frozenset({"events", "skipped", "rejected"}),
    "import.fail": frozenset(),
    "import.cancel": frozenset(),
    "import.expire": frozenset(),
    # A records export left the server (the download of a finished export job).
    "import.export": frozenset({"format", "rows"}),
    "import.export_queue": frozenset({"format"}),
    "import.export_finish": frozenset({"format", "rows", "size"}),
    "import.export_fail": frozenset(),
    "import.export_cancel": frozenset(),
    "import.export_delete": frozenset(),
    "import.export_expire": frozenset(),
}
