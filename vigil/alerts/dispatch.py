"""The sending job: recipients from the batch an unlocked member prepared, a discreet
message per channel, progress on the ``Dispatch`` row, and the batch wiped at the end.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vigil.alerts import keys, sms
from vigil.alerts.models import AlertStatus, Dispatch, DispatchStatus
from vigil.audit.log import record
from vigil.vault import crypto

CHUNK = 20


def site_url(path: str) -> str:
    """An absolute link for messages (``ALERTS_SITE_URL``: no request in a worker)."""
    base = str(getattr(settings, "ALERTS_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return base + path


def members_url() -> str:
    return site_url(reverse("alerts:members"))


def message(language: str) -> tuple[str, str]:
    """(subject, text): discreet, the same for every alert, with the link only."""
    with translation.override(language):
        subject = _("A new notice")
        text = _("There is a new notice for you. Read it here: %(url)s") % {"url": members_url()}
    return subject, text


def _send(gateway: sms.Gateway, recipient: dict[str, str]) -> None:
    subject, text = message(recipient.get("language", "ru"))
    if recipient["channel"] == "email":
        send_mail(subject, text, None, [recipient["address"]])
    else:
        gateway.send(recipient["address"], text)


def run(dispatch_id: int) -> str:
    claimed = Dispatch.objects.filter(pk=dispatch_id, status=DispatchStatus.QUEUED).update(
        status=DispatchStatus.RUNNING
    )
    dispatch = Dispatch.objects.select_related("alert", "organisation").get(pk=dispatch_id)
    if not claimed:
        return dispatch.status
    max_age = datetime.timedelta(minutes=int(getattr(settings, "ALERTS_DISPATCH_MAX_MINUTES", 60)))
    stale = dispatch.created_at < timezone.now() - max_age
    if stale or dispatch.alert.status != AlertStatus.PUBLISHED or not dispatch.sealed_batch:
        return _finish(dispatch, DispatchStatus.FAILED, 0, dispatch.total)
    recipients = crypto.decrypt_json(keys.dispatch_key(), bytes(dispatch.sealed_batch))
    gateway = sms.gateway()
    sent = failed = 0
    try:
        for start in range(0, len(recipients), CHUNK):
            for recipient in recipients[start : start + CHUNK]:
                try:
                    _send(gateway, recipient)
                    sent += 1
                except (sms.SmsError, OSError):
                    failed += 1
            Dispatch.objects.filter(pk=dispatch_id).update(sent=sent, failed=failed)
    except Exception:
        _finish(dispatch, DispatchStatus.FAILED, sent, len(recipients) - sent)
        raise
    return _finish(dispatch, DispatchStatus.DONE, sent, failed)


def _finish(dispatch: Dispatch, status: str, sent: int, failed: int) -> str:
    """Wipe the batch (the only readable copy of the recipients) and keep the counts."""
    with transaction.atomic():
        Dispatch.objects.filter(pk=dispatch.pk).update(
            status=status,
            sent=sent,
            failed=failed,
            sealed_batch=None,
            finished_at=timezone.now(),
        )
        record(
            None,
            "alert.dispatch_done",
            organisation=dispatch.organisation,
            target=dispatch,
            alert=dispatch.alert_id,
            sent=sent,
            failed=failed,
        )
    return str(status)
