"""Her conversation after triage: what she writes to her mailbox once her report
became an incident and a case must reach the people working on it.

Reads take querysets the caller obtained through ``vigil.policy``; unsealing
uses the session's organisation key, as the inbox does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from vigil.intake import actions
from vigil.intake.models import Author, Message, Submission, SubmissionStatus
from vigil.vault import sealing

TRIAGED = (SubmissionStatus.ACCEPTED, SubmissionStatus.MERGED)


@dataclass(frozen=True)
class Entry:
    mine: bool  # written by staff
    body: str
    message: Message


@dataclass(frozen=True)
class Conversation:
    submission: Submission
    entries: list[Entry]
    files: list[tuple[Any, str]]  # (attachment, original file name)
    unread: int


def unread_messages(submissions: QuerySet[Submission]) -> QuerySet[Message]:
    return Message.objects.filter(
        submission__in=submissions, author=Author.REPORTER, read_by_staff=False
    )


def unread_by_case(case_ids: list[int]) -> dict[int, int]:
    """Unread messages from reporters per case, in one query."""
    rows = (
        Submission.objects.filter(case_id__in=case_ids)
        .values("case_id")
        .annotate(
            n=Count(
                "messages",
                filter=Q(messages__author=Author.REPORTER, messages__read_by_staff=False),
            )
        )
    )
    return {row["case_id"]: row["n"] for row in rows if row["n"]}


def conversations(org_private: bytes, submissions: QuerySet[Submission]) -> list[Conversation]:
    """Each linked report's thread and files, opened with the organisation key."""
    found = []
    # An expired report's keys are destroyed: nothing of it can be shown any more.
    readable = submissions.filter(sealed_key__isnull=False)
    for submission in readable.prefetch_related("messages", "attachments").order_by("pk"):
        thread_key = actions.staff_thread_key(org_private, submission)
        entries = [
            Entry(m.author == Author.STAFF, sealing.open_text(thread_key, m.sealed), m)
            for m in submission.messages.all()
        ]
        files = [
            (a, sealing.open_json(thread_key, a.sealed, {}).get("file_name", ""))
            for a in submission.attachments.all()
        ]
        unread = sum(1 for e in entries if not e.mine and not e.message.read_by_staff)
        found.append(Conversation(submission, entries, files, unread))
    return found


def mark_read(submissions: QuerySet[Submission]) -> int:
    """Her messages were shown to a member of the case team."""
    with transaction.atomic():
        return unread_messages(submissions).update(read_by_staff=True)
