"""Demo network: both demo organisations share their protected figures, so the
network analyst sees combined figures after `make run`."""

from __future__ import annotations

from vigil import policy
from vigil.accounts.models import Membership, Organisation
from vigil.policy import Perm
from vigil.stats import actions
from vigil.stats.models import InvitationStatus, Network

NAME = "EECA Women and Harm Reduction Network"


def _coordinator(organisation: Organisation) -> Membership:
    found = policy.members_with(Perm.MANAGE_MEMBERS, organisation.pk).order_by("pk").first()
    if found is None:
        raise LookupError(f"{organisation.slug} has no active coordinator")
    return found


def create_demo_network(
    host_slug: str = "svitlo", member_slugs: tuple[str, ...] = ("dostyk",)
) -> Network | None:
    """Host, invite and accept through the same actions as the pages; idempotent."""
    host = Organisation.objects.filter(slug=host_slug).first()
    if host is None:
        return None
    existing = Network.objects.filter(host=host, name=NAME).first()
    if existing is not None:
        return existing
    host_coordinator = _coordinator(host)
    network = actions.create_hosted_network(host_coordinator.user, host_coordinator, name=NAME)
    actions.set_network_share(host_coordinator.user, host_coordinator, network, True)
    for slug in member_slugs:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            continue
        invitation = actions.invite_organisation(
            host_coordinator.user, host_coordinator, network, organisation
        )
        guest = _coordinator(organisation)
        actions.answer_invitation(guest.user, guest, invitation, accept=True)
        assert invitation.network_id == network.pk  # noqa: S101
    assert not network.invitations.filter(status=InvitationStatus.PENDING).exists()  # noqa: S101
    return network
