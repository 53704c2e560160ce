"""The demo programmes reproduce the Vilnius 2010 figures."""

from __future__ import annotations

from typing import Any

from vigil.accounts.demo import create_demo
from vigil.referrals import funnel
from vigil.referrals.demo import COMMUNITY, VILNIUS, create_demo_programmes
from vigil.referrals.models import Programme, Referral


def test_it_shows_121_referred_and_117_admitted_to_ost_in_the_demo(db: None, client: Any) -> None:
    create_demo()
    added = create_demo_programmes()
    assert added == Referral.objects.count() > 121
    vilnius = Programme.objects.get(name=VILNIUS)
    filters = funnel.FunnelFilters((vilnius.organisation_id,), programme_ids=(vilnius.pk,))
    result = funnel.funnel(filters)
    ost = funnel.STAGE_CODES.index("admitted_ost")
    assert (result.total.counts[0], result.total.counts[ost]) == (121, 117)
    assert result.total.shares[ost] == 96.7
    days = Referral.objects.filter(programme=vilnius).values_list("referred_on", flat=True)
    assert {d.year for d in days} == {2010} and {d.month for d in days} <= set(range(8, 13))
    assert Programme.objects.filter(name=COMMUNITY).exists()
    assert create_demo_programmes() == 0  # idempotent


def test_it_shows_the_demo_funnel_on_the_page(db: None, settings: Any) -> None:
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vigil.accounts.demo import DEMO_PASSWORD
    from vigil.accounts.models import Membership, Role
    from vigil.conftest import Persona, sign_in

    create_demo()
    create_demo_programmes()
    vilnius = Programme.objects.get(name=VILNIUS)
    membership = Membership.objects.get(organisation=vilnius.organisation, role=Role.ANALYST)
    device = TOTPDevice.objects.get(user=membership.user)
    client = Client()
    sign_in(client, Persona(membership.user, membership, device), password=DEMO_PASSWORD)
    page = client.get(f"/referrals/funnel/?programme={vilnius.pk}").content.decode()
    assert "121" in page and "117 (96.7 %)" in page
