"""The network counsel's pages: her networks, and the matches she may open."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vigil import policy
from vigil.lib.requests import as_staff
from vigil.matching import actions, client, reads
from vigil.matching.forms import RevealForm
from vigil.policy import Perm


@require_http_methods(["GET"])
@policy.staff_view(Perm.MATCHING_COUNSEL)
def counsel_home(request: HttpRequest) -> HttpResponse:
    counsels = list(
        policy.counsels_for(request).select_related("network").order_by("network__name")
    )
    return render(request, "matching/counsel_home.html", {"counsels": counsels})


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.MATCHING_COUNSEL)
def counsel_matches(request: HttpRequest, pk: int) -> HttpResponse:
    counsel = policy.get_counsel_for_user(request, pk)
    form = RevealForm(request.POST if request.method == "POST" else None)
    matches = None
    if request.method == "POST" and form.is_valid():
        try:
            matches = reads.open_matches(counsel, form.cleaned_data["password"])
        except reads.WrongPassword:
            form.add_error("password", _("This password does not open your key."))
        except client.ServiceError:
            messages.error(request, _("The matching service did not answer. Try again later."))
        else:
            actions.record_reveal(as_staff(request).user, counsel, matches)
    context = {"counsel": counsel, "form": form, "matches": matches}
    return render(request, "matching/counsel_matches.html", context)
