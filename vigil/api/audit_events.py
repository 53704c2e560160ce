"""Audit actions recorded by the API app, with the detail keys each may carry."""

EVENTS: dict[str, frozenset[str]] = {
    "api.token_create": frozenset({"scopes"}),
    "api.token_revoke": frozenset(),
    "api.report_submit": frozenset({"token", "submission"}),
    "api.import_upload": frozenset({"token", "job"}),
    "kobo.hook_create": frozenset(),
    "kobo.hook_update": frozenset({"fields"}),
    "kobo.hook_revoke": frozenset(),
    "kobo.receive": frozenset({"hook", "submission"}),
}
