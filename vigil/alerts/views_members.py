"""The members' page (latest alerts, the checker) and its sign-in by emailed link;
the staff page that enrols and removes members."""

from __future__ import annotations

from django.contrib import messages
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil import policy
from vigil.alerts import actions, dispatch, members, reads
from vigil.alerts.forms import CheckerForm, MemberSignInForm, SubscriberForm
from vigil.lib.views import GET_POST, acting_membership, acting_user, form_data
from vigil.policy import Perm


@never_cache
@require_GET
def member_page(request: HttpRequest) -> HttpResponse:
    reader = policy.alert_member_for(request)
    if reader is None:
        return redirect("alerts:member_signin")
    context = {
        "alerts": reads.live_alerts(reader),
        "checker": CheckerForm(),
        "is_subscriber": reader.subscriber_id is not None,
    }
    return render(request, "alerts/members.html", context)


@never_cache
@require_http_methods(GET_POST)
def member_checker(request: HttpRequest) -> HttpResponse:
    reader = policy.alert_member_for(request)
    if reader is None:
        return redirect("alerts:member_signin")
    form = CheckerForm(form_data(request))
    found: int | None = None
    limited = False
    if request.method == "POST" and form.is_valid():
        user = acting_user(request) if reader.subscriber_id is None else None
        try:
            found = actions.check_identifier(
                user,
                reader.organisation_id,
                reader.who,
                form.cleaned_data["kind"],
                form.cleaned_data["value"],
            )
        except actions.RateLimited:
            limited = True
        form = CheckerForm()  # the query is not echoed back into the page
    status = 429 if limited else 200
    context = {
        "checker": form,
        "found": found,
        "limited": limited,
        "is_subscriber": reader.subscriber_id is not None,
    }
    return render(request, "alerts/checker.html", context, status=status)


@never_cache
@require_http_methods(GET_POST)
def member_signin(request: HttpRequest) -> HttpResponse:
    form = MemberSignInForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        issued = actions.issue_link(form.cleaned_data["email"])
        if issued is not None:
            subscriber, token = issued
            link = dispatch.site_url(reverse("alerts:member_enter", args=[token]))
            with translation.override(subscriber.language):
                send_mail(
                    _("Your sign-in link"),
                    _("Open this link within 15 minutes to read the notices: %(link)s")
                    % {"link": link},
                    None,
                    [form.cleaned_data["email"]],
                )
        # The same answer whether or not the address is a member's.
        return render(request, "alerts/member_link_sent.html")
    return render(request, "alerts/member_signin.html", {"form": form})


@never_cache
@require_http_methods(GET_POST)
def member_enter(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST uses the link: a mail scanner opening it spends nothing."""
    if request.method == "GET":
        return render(request, "alerts/member_enter.html")
    subscriber = actions.redeem_link(token)
    if subscriber is None:
        return render(request, "alerts/member_enter.html", {"invalid": True}, status=400)
    response = redirect("alerts:members")
    members.sign_in(request, response, subscriber)
    return response


@require_POST
def member_signout(request: HttpRequest) -> HttpResponse:
    response = redirect("alerts:member_signin")
    members.sign_out(request, response)
    return response


# --- staff: members ---------------------------------------------------------------------


@require_http_methods(GET_POST)
@policy.staff_view(Perm.SUBSCRIBERS_MANAGE)
def subscriber_list(request: HttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    form = SubscriberForm(form_data(request), country=membership.organisation.country)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.enrol(
            acting_user(request),
            membership.organisation,
            group=data["group"],
            channel=data["channel"],
            region=data["region"],
            language=data["language"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
        )
        messages.success(request, _("Member enrolled."))
        return redirect("alerts:subscribers")
    rows = reads.subscriber_rows(request)
    return render(request, "alerts/subscribers.html", {"rows": rows, "form": form})


@require_POST
@policy.staff_view(Perm.SUBSCRIBERS_MANAGE)
def subscriber_remove(request: HttpRequest, pk: int) -> HttpResponse:
    subscriber = policy.get_subscriber_for_user(request, pk)
    actions.deactivate(acting_user(request), subscriber)
    messages.success(request, _("Member removed; her details are destroyed."))
    return redirect("alerts:subscribers")
