from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vigil.accounts.models import Membership, Organisation, Role
from vigil.intake.models import Submission


@pytest.mark.django_db
def test_it_loads_demo_organisations_staff_and_reports_once(settings) -> None:
    out = StringIO()
    call_command("demo_data", "--force", "--small", stdout=out)
    text = out.getvalue()
    assert set(Organisation.objects.values_list("country", flat=True)) == {"UA", "KZ"}
    assert Membership.objects.count() == 2 * len(Role.values)
    assert "svitlo-coordinator" in text and "Recovery phrase of svitlo" in text
    assert Submission.objects.count() == 3
    call_command("demo_data", "--force", "--small", stdout=StringIO())  # idempotent
    assert Membership.objects.count() == 2 * len(Role.values)
    assert Submission.objects.count() == 3


@pytest.mark.django_db
def test_it_refuses_demo_data_in_production(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_data", "--small", stdout=StringIO())


@pytest.mark.django_db
def test_it_puts_both_demo_organisations_in_one_sharing_network(settings: object) -> None:
    from vigil.stats.models import Network, NetworkShare

    call_command("demo_data", "--force", "--small", stdout=StringIO())
    call_command("demo_data", "--force", "--small", stdout=StringIO())  # idempotent
    network = Network.objects.get()
    assert network.host.slug == "svitlo"
    shared = NetworkShare.objects.filter(network=network, opted_in=True)
    assert set(shared.values_list("organisation__slug", flat=True)) == {"svitlo", "dostyk"}
