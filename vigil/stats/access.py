"""Statistics scopes; the permissions themselves live in ``vigil/policy.py``.

* Viewing aggregates: coordinators and analysts (their organisation) and
  network analysts (their network's opted-in organisations). Nobody else:
  a police liaison, caseworker, lawyer, hotline operator or referral worker
  gets 403 on every statistics page.
* Exporting is a separate permission. It is granted to the same three roles
  today (an export holds the same suppressed aggregates as the page) and can
  be withdrawn from one role without touching viewing.
* Opting in or out of a network and marking cross-reported incidents:
  coordinators only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from vigil import policy
from vigil.accounts.models import Membership
from vigil.policy import Perm
from vigil.stats.aggregate import Scope
from vigil.stats.models import Network, ReportJob

NETWORK_ROLES = policy.NETWORK_ROLES


def can_view_stats(membership: Membership | None) -> bool:
    return policy.can(membership, Perm.STATS_VIEW)


def can_export(membership: Membership | None) -> bool:
    return policy.can(membership, Perm.STATS_EXPORT)


def can_manage_sharing(membership: Membership | None) -> bool:
    return policy.can(membership, Perm.NETWORK_SHARING)


def networks_for(membership: Membership) -> QuerySet[Network]:
    """Networks whose combined figures this member sees (network analysts only)."""
    if not policy.stats_scope_is_network(membership):
        return Network.objects.none()
    return Network.objects.filter(host_id=membership.organisation_id).order_by("name", "pk")


def scope_for(request: HttpRequest, network_id: int | None = None) -> Scope | None:
    """The statistics scope of the signed-in member; None for a network analyst
    whose organisation hosts no network. An unknown network id is 404."""
    membership: Membership | None = getattr(request, "membership", None)
    if not can_view_stats(membership):
        raise PermissionDenied
    assert membership is not None  # noqa: S101 - narrowed by can_view_stats
    if not policy.stats_scope_is_network(membership):
        return Scope.for_organisation(membership.organisation)
    networks = networks_for(membership)
    if network_id is not None:
        network = networks.filter(pk=network_id).first()
        if network is None:
            raise Http404
        return Scope.for_network(network)
    first = networks.first()
    return Scope.for_network(first) if first is not None else None


def get_report_job(request: HttpRequest, pk: int) -> ReportJob:
    """A report job of the signed-in member in her current organisation, else 404.

    Reports of other members (even of the same organisation) are not shown: a job
    records who asked for what, and each member sees only her own.
    """
    membership: Membership | None = getattr(request, "membership", None)
    if not can_export(membership):
        raise PermissionDenied
    assert membership is not None  # noqa: S101 - narrowed by can_export
    job = (
        ReportJob.objects.filter(
            pk=pk,
            organisation_id=membership.organisation_id,
            requested_by_id=membership.user_id,
        )
        .select_related("network")
        .first()
    )
    if job is None:
        raise Http404
    return job
