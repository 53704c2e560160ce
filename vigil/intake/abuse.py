"""Abuse resistance that never stores an address.

Counters live in the cache (Redis in production) under transient keys: one
per session and one global per minute. Each refusal has a translated
message; the reporter's draft is never touched.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

SIGNER_SALT = "vigil.report.started"


def session_id(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return str(request.session.session_key)


def _bump(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


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


def receipt_refusal(request: HttpRequest) -> str | None:
    if _count(f"receipt:s:{session_id(request)}") >= settings.RECEIPT_SESSION_FAILURES:
        return _("Too many wrong codes. Please wait 15 minutes and try again.")
    if _count(f"receipt:g:{_minute()}") >= settings.RECEIPT_GLOBAL_FAILURES_PER_MINUTE:
        return _("The mailbox is busy. Please wait a minute and try again.")
    return None


def count_receipt_failure(request: HttpRequest) -> None:
    _bump(f"receipt:s:{session_id(request)}", 15 * 60)
    _bump(f"receipt:g:{_minute()}", 120)
