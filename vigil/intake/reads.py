"""The unsealing of what the staff side of intake shows.

Staff views reach a submission through ``vigil.policy`` and derive its thread
key from the organisation key; opening the report, the messages and the
attachments with that key happens here, never in the views (DESIGN.md 8.1).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vigil.intake.models import Attachment, Submission
from vigil.vault import sealing


def report(thread_key: bytes, submission: Submission) -> dict[str, Any]:
    """What she told us in the report form."""
    return sealing.open_json(thread_key, submission.sealed, {})


def thread(thread_key: bytes, submission: Submission) -> list[dict[str, Any]]:
    """The messages both ways, oldest first, for the triage page."""
    return [
        {"mine": m.author == "staff", "body": sealing.open_text(thread_key, m.sealed), "m": m}
        for m in submission.messages.select_related("staff_user")
    ]


def reporter_thread(thread_key: bytes, submission: Submission) -> list[dict[str, Any]]:
    """The messages both ways, oldest first, as her mailbox shows them ("mine" = hers)."""
    return [
        {
            "mine": m.author == "reporter",
            "body": sealing.open_text(thread_key, m.sealed),
            "at": m.created_at,
        }
        for m in submission.messages.all()
    ]


def file_name(thread_key: bytes, item: Attachment) -> str:
    """The original file name she uploaded, '' when none was kept."""
    return sealing.open_json(thread_key, item.sealed, {}).get("file_name", "")


def attachment_chunks(thread_key: bytes, item: Attachment) -> Iterator[bytes]:
    """The stored attachment, decrypted chunk by chunk as the download streams it."""
    return sealing.open_file(thread_key, item.stored_name)
