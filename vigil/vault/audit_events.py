"""Audit events recorded by the vault (the verified download path)."""

from __future__ import annotations

EVENTS: dict[str, frozenset[str]] = {
    # A stored file no longer matched its recorded SHA-256 and size; not sent.
    "file.damaged": frozenset({"kind"}),
    # A download of a kind without an event of its own (letter templates).
    "file.download": frozenset({"kind"}),
}
