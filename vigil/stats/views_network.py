"""Networks from the interface: a coordinator creates one (her organisation hosts it),
invites other organisations, and the invited organisations' coordinators accept or
decline. Sharing figures stays the separate opt-in on the network settings page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil import policy
from vigil.accounts.models import Membership
from vigil.lib.requests import as_staff
from vigil.policy import Perm
from vigil.stats import actions
from vigil.stats.forms import NetworkCreateForm, NetworkInviteForm
from vigil.stats.models import InvitationStatus, Network, NetworkInvitation


def _membership(request: HttpRequest) -> Membership:
    membership: Membership = as_staff(request).membership
    return membership


def membership_context(membership: Membership) -> dict[str, Any]:
    """What the network settings page shows about creating, inviting and answering."""
    hosted = list(Network.objects.filter(host_id=membership.organisation_id).order_by("name"))
    invited = NetworkInvitation.objects.filter(network__in=hosted).select_related("organisation")
    return {
        "create_form": NetworkCreateForm(),
        "hosted": [
            (
                network,
                NetworkInviteForm(network=network),
                [i for i in invited if i.network_id == network.pk],
            )
            for network in hosted
        ],
        "invitations": NetworkInvitation.objects.filter(
            organisation_id=membership.organisation_id, status=InvitationStatus.PENDING
        ).select_related("network", "network__host"),
    }


@require_POST
@policy.staff_view(Perm.NETWORK_SHARING)
def create(request: HttpRequest) -> HttpResponse:
    form = NetworkCreateForm(request.POST)
    if form.is_valid():
        network = actions.create_hosted_network(
            as_staff(request).user,
            _membership(request),
            name=form.cleaned_data["name"],
        )
        messages.success(
            request,
            _("Network “%(name)s” created. Invite the organisations that take part.")
            % {"name": network.name},
        )
    else:
        messages.error(request, _("Give the network a name."))
    return redirect("stats:network_settings")


@require_POST
@policy.staff_view(Perm.NETWORK_SHARING)
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    network = Network.objects.filter(pk=pk, host_id=membership.organisation_id).first()
    if network is None:  # only the host invites; others' networks do not exist for her
        raise Http404
    form = NetworkInviteForm(request.POST, network=network)
    if not form.is_valid():
        messages.error(request, _("Choose an organisation that is not a member or invited yet."))
        return redirect("stats:network_settings")
    organisation = form.cleaned_data["organisation"]
    actions.invite_organisation(as_staff(request).user, membership, network, organisation)
    messages.success(
        request,
        _("%(organisation)s is invited. Its coordinators will see the invitation on this page.")
        % {"organisation": organisation.name},
    )
    return redirect("stats:network_settings")


@require_POST
@policy.staff_view(Perm.NETWORK_SHARING)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    invitation = (
        NetworkInvitation.objects.filter(
            pk=pk, organisation_id=membership.organisation_id, status=InvitationStatus.PENDING
        )
        .select_related("network")
        .first()
    )
    decision = request.POST.get("decision")
    if invitation is None:
        raise Http404
    if decision not in {"accept", "decline"}:
        return HttpResponseBadRequest(_("Accept or decline the invitation."))
    accept = decision == "accept"
    actions.answer_invitation(as_staff(request).user, membership, invitation, accept=accept)
    if accept:
        messages.success(
            request,
            _("Your organisation joined “%(name)s” and shares its protected figures with it.")
            % {"name": invitation.network.name},
        )
    else:
        messages.success(request, _("Invitation declined."))
    return redirect("stats:network_settings")
