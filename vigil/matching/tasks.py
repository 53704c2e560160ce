"""Background work of matching (django-tasks): withdrawals and alarms.

Neither needs a key: a withdrawal presents the entry's random secret, and an
alarm email says only that a limit was reached, with a link.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from vigil import policy
from vigil.accounts.models import Organisation, User
from vigil.audit.log import record
from vigil.matching import client
from vigil.matching.models import MatchEntry, NetworkCounsel
from vigil.policy import Perm
from vigil.stats.models import Network

BATCH = 50


@task()
def withdraw_pending() -> int:
    """Delete withdrawn entries from the service; safe to run again after a failure."""
    done = 0
    while True:
        rows = list(
            MatchEntry.objects.filter(withdrawn_at__isnull=False, withdraw_secret__isnull=False)
            .order_by("pk")
            .values_list("pk", "organisation_id", "withdraw_secret")[:BATCH]
        )
        if not rows:
            return done
        client.withdraw([bytes(secret or b"") for _, _, secret in rows])
        with transaction.atomic():
            MatchEntry.objects.filter(pk__in=[pk for pk, _, _ in rows]).update(withdraw_secret=None)
            for organisation_id in sorted({org for _, org, _ in rows}):
                count = sum(1 for _, org, _ in rows if org == organisation_id)
                record(
                    None,
                    "matching.withdraw_confirmed",
                    organisation=Organisation.objects.get(pk=organisation_id),
                    entries=count,
                )
        done += len(rows)


def _alarm(user: User) -> tuple[str, str]:
    link = settings.SITE_URL.rstrip("/") + reverse("home")
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Vigil: matching limit reached")
        body = _(
            "Your organisation reached its daily limit of matching requests and was refused. "
            "If nobody in your organisation entered that many identifiers today, "
            "its matching token may be misused."
        )
        body += "\n\n" + _("Sign in to see the audit log: %(link)s") % {"link": link} + "\n"
    return subject, body


@task()
def send_quota_alarm(organisation_id: int, network_id: int) -> int:
    """Email the organisation's coordinators and the network counsel."""
    organisation = Organisation.objects.get(pk=organisation_id)
    network = Network.objects.get(pk=network_id)
    coordinators = policy.members_with(Perm.MANAGE_MEMBERS, organisation.pk).values_list(
        "user_id", flat=True
    )
    users = list(User.objects.filter(pk__in=list(coordinators), is_active=True).exclude(email=""))
    counsel = NetworkCounsel.objects.filter(network=network).select_related("user").first()
    if counsel is not None and counsel.user.email and counsel.user not in users:
        users.append(counsel.user)
    for user in users:
        subject, body = _alarm(user)
        send_mail(subject, body, None, [user.email])
    record(
        None,
        "matching.alarm_sent",
        organisation=organisation,
        target=network,
        network=network.pk,
        recipients=len(users),
    )
    return len(users)
