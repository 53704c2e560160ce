"""Calls other apps make into matching, so their edits stay one line each."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil import policy
from vigil.incidents.models import Event
from vigil.lib.requests import as_staff
from vigil.matching import actions, client, reads
from vigil.vault.keys import VaultLocked

logger = logging.getLogger(__name__)


def after_qualify(request: HttpRequest, event: Event) -> None:
    """Enter the incident's identifiers, or withdraw them if it no longer qualifies."""
    if not reads.qualifies(event) or not reads.victims_consent(event):
        actions.withdraw_for_event(as_staff(request).user, event, reason="qualification")
        return
    if not client.enabled() or not reads.takes_part(event.organisation_id):
        return
    try:
        sent = actions.submit_event(
            acting_user=as_staff(request).user,
            event=event,
            event_key=policy.data_key(request, event),
            org_private=policy.org_private_key(request),
        )
    except VaultLocked:
        messages.warning(request, _("Not entered for matching: your key is not unlocked."))
        return
    except client.ServiceError as error:
        logger.warning("matching service refused or unreachable: %s", error.code or "unreachable")
        if error.code == "quota":
            messages.error(
                request,
                _("Not entered for matching: today's limit is reached. Your coordinator is told."),
            )
        else:
            messages.warning(
                request, _("Not entered for matching: the matching service did not answer.")
            )
        return
    if sent:
        messages.info(
            request,
            ngettext(
                "%(count)d identifier entered for matching.",
                "%(count)d identifiers entered for matching.",
                sent,
            )
            % {"count": sent},
        )
