"""Abuse resistance that never stores an address.

Counters live in the cache (Redis in production) under transient keys: one
per session and one global per minute. Each refusal has a translated
message; the reporter's draft is never touched.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

SIGNER_SALT = "vigil.report.started"


def session_id(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return str(request.session.session_key)


def _bump(key: str, timeout: int, amount: int = 1) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.set(key, amount, timeout)
        return amount


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _minute() -> int:
    return int(time.time() // 60)


def start_token() -> str:
    """Signed start time of a report, checked at submission (minimum fill time)."""
    return signing.dumps({"t": time.time()}, salt=SIGNER_SALT)


def _started_at(token: str) -> float:
    return float(signing.loads(token, salt=SIGNER_SALT, max_age=7 * 24 * 3600)["t"])


def submission_refusal(request: HttpRequest, started: str, honeypot: str) -> str | None:
    """Why a submission must wait or is refused; None when it may go ahead."""
    if honeypot:
        return _("Your report could not be sent. Please leave the last field empty and try again.")
    try:
        started_at = _started_at(started)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return _("Your form has expired. Please check your answers and send again.")
    if time.time() - started_at < settings.REPORT_MIN_FILL_SECONDS:
        return _("That was very fast. Please check your answers, then send again.")
    if _count(f"report:s:{session_id(request)}") >= settings.REPORT_SESSION_LIMIT_PER_HOUR:
        return _(
            "You have sent several reports in a short time. "
            "Please wait an hour and send again; your answers are kept."
        )
    if _count(f"report:g:{_minute()}") >= settings.REPORT_GLOBAL_LIMIT_PER_MINUTE:
        return _(
            "Many reports are arriving right now. "
            "Please wait a minute and send again; your answers are kept."
        )
    return None


def count_submission(request: HttpRequest) -> None:
    _bump(f"report:s:{session_id(request)}", 3600)
    _bump(f"report:g:{_minute()}", 120)


def upload_refusal(request: HttpRequest, stored: int) -> str | None:
    """Why a reporter's file must wait or is refused, before its body is read.

    ``stored`` is what her report already holds. The declared length is
    counted at once, so parallel uploads cannot all slip under a limit.
    """
    try:
        incoming = max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        incoming = 0
    incoming = min(incoming, settings.REPORT_MAX_BYTES)
    if stored >= settings.REPORT_STORAGE_QUOTA or stored + incoming > settings.REPORT_STORAGE_QUOTA:
        return _("Your report cannot hold more files. Please write to us instead.")
    per_session = f"upload:s:{session_id(request)}"
    if _count(per_session) + incoming > settings.REPORT_UPLOAD_BYTES_PER_SESSION_HOUR:
        return _("You have sent many files in a short time. Please wait an hour and try again.")
    per_minute = f"upload:g:{_minute()}"
    if _count(per_minute) + incoming > settings.REPORT_UPLOAD_BYTES_PER_MINUTE:
        return _("Many files are arriving right now. Please wait a minute and try again.")
    _bump(per_session, 3600, incoming)
    _bump(per_minute, 120, incoming)
    return None


# --- receipts ------------------------------------------------------------------------
#
# A wrong receipt costs the server an Argon2id run. Limits are keyed on what
# the guesser holds, never shared with a real reporter: the mailbox page
# hands out a signed ticket (a hidden field, no session row, no cookie); a
# ticket is good only after a few seconds, for a few tries, each wrong one
# making the next wait longer. A POST without a ticket did not come from our
# page: such POSTs share one slow lane, so a script that skips the page is
# refused cheaply without ever refusing a reporter who uses it.

TICKET_SALT = "vigil.mailbox.ticket"
TICKET_MAX_AGE = 3600


def receipt_ticket() -> str:
    return signing.dumps({"n": secrets.token_hex(12), "t": time.time()}, salt=TICKET_SALT)


def _ticket(token: str) -> tuple[str, float] | None:
    try:
        data = signing.loads(token, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
        return str(data["n"]), float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def ticket_is_valid(ticket: str) -> bool:
    return bool(ticket) and _ticket(ticket) is not None


def receipt_refusal(ticket: str) -> str | None:
    """Why this try must wait (checked before any Argon2id run); None to go ahead."""
    if not ticket:
        # Reserved before the Argon2id run, so a burst cannot overshoot the lane.
        if _bump(_lane(), 120) > settings.RECEIPT_GLOBAL_FAILURES_PER_MINUTE:
            return _("Please open the page again and enter your code.")
        return None
    held = _ticket(ticket)
    if held is None:
        return _("This page has expired. Please enter your code again.")
    nonce, issued = held
    if time.time() - issued < settings.RECEIPT_TICKET_MIN_SECONDS:
        return _("That was very fast. Please check your code and send it again.")
    if _count(f"receipt:t:{nonce}") >= settings.RECEIPT_SESSION_FAILURES:
        return _("Too many wrong codes. Please reload the page and try again.")
    if time.time() < float(cache.get(f"receipt:w:{nonce}") or 0):
        return _("Please wait a few seconds and try again.")
    return None


def _lane() -> str:
    return f"receipt:g:{_minute()}"


def count_receipt_success(ticket: str) -> None:
    """A right code without a ticket gives its place in the slow lane back."""
    if not ticket:
        with contextlib.suppress(ValueError):
            cache.decr(_lane())


def count_receipt_failure(ticket: str) -> None:
    """A wrong code: the ticket's next try waits 1, 2, 4… seconds. Touches no session."""
    held = _ticket(ticket) if ticket else None
    if held is None:
        return  # a POST without a ticket was counted before its try
    nonce = held[0]
    failures = _bump(f"receipt:t:{nonce}", TICKET_MAX_AGE)
    cache.set(f"receipt:w:{nonce}", time.time() + 2 ** (failures - 1), TICKET_MAX_AGE)


class TicketlessLaneMiddleware:
    """Refuse a full lane of ticketless receipt POSTs before sessions, CSRF and views.

    Only scripts post without the page's ticket; answering them before the
    rest of the stack makes each refusal cheap, so a flood of them holds the
    workers (and the reporters queued behind them) for less time.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.path == reverse("intake:mailbox_login")
            and not request.POST.get("ticket")
            and _count(_lane()) >= settings.RECEIPT_GLOBAL_FAILURES_PER_MINUTE
        ):
            return HttpResponse(
                _("Please open the page again and enter your code."),
                status=429,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
