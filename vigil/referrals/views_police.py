"""The police side: a referral form with no identifying field, a card with the
code, and the funnel in aggregate (quarter and district). Nothing else: every
other referral URL answers 403 to this role.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from vigil import policy
from vigil.lib.views import GET_POST, acting_membership, acting_user, form_data
from vigil.policy import Perm
from vigil.referrals import actions, funnel, tasks
from vigil.referrals.forms import PoliceReferralForm

CARD_KEY = "referral_card"


@require_http_methods(GET_POST)
@policy.staff_view(Perm.REFERRAL_SUBMIT)
def new(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    running = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    programmes = policy.referrer_programmes_for(request).filter(running, starts_on__lte=today)
    membership = acting_membership(request)
    form = PoliceReferralForm(
        form_data(request), programmes=programmes, country=membership.organisation.country
    )
    if request.method == "POST" and form.is_valid():
        referral = actions.submit_referral(acting_user=acting_user(request), **form.cleaned_data)
        tasks.notify_on_call.enqueue(referral.pk)
        # Only the code goes to the card page, through the session: the police side
        # never gets a URL that names the referral.
        request.session[CARD_KEY] = referral.code
        return redirect("referrals:police_card")
    context = {"form": form, "has_programme": programmes.exists()}
    return render(request, "referrals/police_new.html", context)


@require_GET
@policy.staff_view(Perm.REFERRAL_SUBMIT)
def card(request: HttpRequest) -> HttpResponse:
    code = request.session.get(CARD_KEY)
    if not code:
        return redirect("referrals:police_new")
    spaced = f"{code[:4]} {code[4:]}"
    return render(request, "referrals/police_card.html", {"code": spaced})


@require_GET
@policy.staff_view(Perm.POLICE_FUNNEL)
def figures(request: HttpRequest) -> HttpResponse:
    """Her programmes' funnel by quarter and district, after disclosure control."""
    membership = acting_membership(request)
    ids = tuple(
        policy.referrer_programmes_for(request, Perm.POLICE_FUNNEL).values_list("pk", flat=True)
    )
    filters = funnel.FunnelFilters((membership.organisation_id,), programme_ids=ids)
    result = funnel.funnel(filters, ("quarter", "district"))
    return render(request, "referrals/police_figures.html", {"funnel": result})
