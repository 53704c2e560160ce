"""A demo phone per demo organisation after `make run` (never in production)."""

from __future__ import annotations

from vigil.accounts.models import Membership, Organisation, Role
from vigil.odk import actions
from vigil.odk.models import Device


def create_demo_phones() -> list[tuple[str, str, str]]:
    """(organisation slug, username, password) of each new demo phone."""
    made = []
    for organisation in Organisation.objects.order_by("pk"):
        if Device.objects.filter(organisation=organisation).exists():
            continue
        coordinator = (
            Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR)
            .select_related("user")
            .first()
        )
        if coordinator is None:
            continue
        issued = actions.issue_device(organisation, "demo phone", acting_user=coordinator.user)
        made.append((organisation.slug, issued.device.username, issued.password))
    return made
