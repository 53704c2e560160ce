"""Writes about statistics settings and exports. Each writes the audit log."""

from __future__ import annotations

import datetime
import unicodedata
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify

from vigil import policy
from vigil.accounts.models import Membership, Organisation, User
from vigil.audit.log import record
from vigil.incidents.models import Event
from vigil.policy import Perm
from vigil.stats import report
from vigil.stats.models import (
    CrossReport,
    InvitationStatus,
    Network,
    NetworkInvitation,
    NetworkShare,
    ReportJob,
)


def create_network(
    acting_user: User | None, host: Organisation, *, name: str, slug: str
) -> Network:
    with transaction.atomic():
        network = Network.objects.create(name=name.strip(), slug=slug, host=host)
        record(acting_user, "stats.network_create", organisation=host, target=network, slug=slug)
    return network


def _require_coordinator(membership: Membership, organisation_id: int) -> None:
    if not policy.can_in(membership, Perm.NETWORK_SHARING, organisation_id):
        raise PermissionError("only a coordinator of the organisation may do this")


def member_networks(organisation_id: int) -> QuerySet[Network]:
    """Networks the organisation belongs to: it hosts them or accepted an invitation."""
    return Network.objects.filter(
        Q(host_id=organisation_id) | Q(shares__organisation_id=organisation_id)
    ).distinct()


def _free_slug(name: str) -> str:
    base = slugify(name)[:40] or "network"
    slug, n = base, 1
    while Network.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_hosted_network(
    acting_user: User, acting_membership: Membership, *, name: str
) -> Network:
    """A coordinator creates a network hosted by her organisation (its secretariat).

    The host becomes a member that has not opted in yet: sharing its own
    figures stays a separate, explicit decision.
    """
    host = acting_membership.organisation
    _require_coordinator(acting_membership, host.pk)
    with transaction.atomic():
        network = Network.objects.create(name=name.strip(), slug=_free_slug(name), host=host)
        NetworkShare.objects.create(
            network=network, organisation=host, opted_in=False, changed_by=acting_user
        )
        record(
            acting_user,
            "stats.network_create",
            organisation=host,
            target=network,
            slug=network.slug,
        )
    return network


def invite_organisation(
    acting_user: User, acting_membership: Membership, network: Network, organisation: Organisation
) -> NetworkInvitation:
    """The host's coordinator invites another organisation (again, after a decline)."""
    _require_coordinator(acting_membership, network.host_id)
    if organisation.pk == network.host_id:
        raise ValueError("the host is a member already")
    with transaction.atomic():
        invitation, _created = NetworkInvitation.objects.select_for_update().get_or_create(
            network=network, organisation=organisation, defaults={"invited_by": acting_user}
        )
        if invitation.status == InvitationStatus.ACCEPTED:
            raise ValueError("the organisation is a member already")
        invitation.status = InvitationStatus.PENDING
        invitation.invited_by = acting_user
        invitation.answered_by, invitation.answered_at = None, None
        invitation.save()
        record(
            acting_user,
            "stats.network_invite",
            organisation=network.host,
            target=invitation,
            network=network.slug,
            invited=organisation.slug,
        )
    return invitation


def answer_invitation(
    acting_user: User, acting_membership: Membership, invitation: NetworkInvitation, *, accept: bool
) -> None:
    """The invited organisation's coordinator accepts (joins and shares) or declines."""
    _require_coordinator(acting_membership, invitation.organisation_id)
    with transaction.atomic():
        locked = NetworkInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.status != InvitationStatus.PENDING:
            raise ValueError("the invitation was answered already")
        locked.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
        locked.answered_by, locked.answered_at = acting_user, timezone.now()
        locked.save()
        if accept:
            NetworkShare.objects.update_or_create(
                network=locked.network,
                organisation=locked.organisation,
                defaults={"opted_in": True, "changed_by": acting_user},
            )
        record(
            acting_user,
            "stats.network_invitation_accept" if accept else "stats.network_invitation_decline",
            organisation=locked.organisation,
            target=locked,
            network=locked.network.slug,
        )


def set_network_share(
    acting_user: User, acting_membership: Membership, network: Network, opted_in: bool
) -> NetworkShare:
    """Opt the coordinator's organisation in to (or out of) a network's aggregates."""
    organisation = acting_membership.organisation
    _require_coordinator(acting_membership, organisation.pk)
    if not member_networks(organisation.pk).filter(pk=network.pk).exists():
        raise PermissionError("only the host and invited organisations that accepted may share")
    with transaction.atomic():
        share, _created = NetworkShare.objects.select_for_update().get_or_create(
            network=network, organisation=organisation
        )
        share.opted_in = opted_in
        share.changed_by = acting_user
        share.save()
        record(
            acting_user,
            "stats.network_opt_in" if opted_in else "stats.network_opt_out",
            organisation=organisation,
            target=share,
            network=network.slug,
        )
    return share


def reference_token(reference: str) -> str:
    """Keyed hash of a shared reference, normalised (case, spaces, Unicode form).

    Keyed with the server secret so a reference typed into the form cannot be
    recovered from the database alone by guessing.
    """
    normal = unicodedata.normalize("NFKC", reference).casefold()
    normal = "".join(normal.split())
    return salted_hmac("vigil.stats.cross_report", normal, algorithm="sha256").hexdigest()


def mark_cross_report(
    acting_user: User, acting_membership: Membership, event: Event, reference: str
) -> CrossReport:
    """Flag an incident as also reported to another organisation under ``reference``."""
    _require_coordinator(acting_membership, event.organisation_id)
    if not reference.strip():
        raise ValueError("a shared reference is required")
    token = reference_token(reference)
    with transaction.atomic():
        row, _created = CrossReport.objects.update_or_create(
            event=event, defaults={"token": token, "marked_by": acting_user}
        )
        record(
            acting_user, "stats.cross_report_mark", organisation=event.organisation, target=event
        )
    return row


def clear_cross_report(acting_user: User, acting_membership: Membership, row: CrossReport) -> None:
    event = row.event
    _require_coordinator(acting_membership, event.organisation_id)
    with transaction.atomic():
        row.delete()
        record(
            acting_user, "stats.cross_report_clear", organisation=event.organisation, target=event
        )


def record_export(
    acting_user: User,
    acting_membership: Membership,
    *,
    file_format: str,
    scope: str,
    unit: str,
    rows: str,
    columns: str,
    filters: dict[str, Any],
    row_count: int,
) -> None:
    """Audit an export: what was asked for and how many rows left, never a name."""
    with transaction.atomic():
        record(
            acting_user,
            "stats.export",
            organisation=acting_membership.organisation,
            format=file_format,
            scope=scope,
            unit=unit,
            rows=rows,
            columns=columns,
            filters=filters,
            row_count=row_count,
        )


def request_report(
    acting_user: User,
    acting_membership: Membership,
    *,
    network: Network | None,
    country: str,
    date_from: datetime.date,
    date_to: datetime.date,
    language: str,
) -> ReportJob:
    """Record a member's request for an advocacy report (the task builds it).

    Expired reports of anyone are purged first, so files do not outlive their days
    even where no scheduled ``purge_reports`` runs."""
    report.purge_expired()
    start, end = report.whole_months(date_from, date_to)
    with transaction.atomic():
        job = ReportJob.objects.create(
            organisation=acting_membership.organisation,
            requested_by=acting_user,
            network=network,
            country=country,
            date_from=start,
            date_to=end,
            language=language,
            steps_total=len(report.STEPS),
            expires_at=timezone.now() + datetime.timedelta(days=report.keep_days()),
        )
        record(
            acting_user,
            "stats.report",
            organisation=acting_membership.organisation,
            target=job,
            scope=f"network:{network.pk}" if network else "organisation",
            date_from=start.isoformat()[:7],
            date_to=end.isoformat()[:7],
            country=country,
            language=language,
        )
    return job


def record_report_command(organisation: Organisation, audit: dict[str, Any]) -> None:
    """Audit a report generated with ``manage.py stats_report`` (no acting member)."""
    with transaction.atomic():
        record(None, "stats.report", organisation=organisation, via="command", **audit)


def record_report_download(
    acting_user: User, acting_membership: Membership, job: ReportJob, file_format: str
) -> None:
    with transaction.atomic():
        record(
            acting_user,
            "stats.report_download",
            organisation=acting_membership.organisation,
            target=job,
            format=file_format,
        )
