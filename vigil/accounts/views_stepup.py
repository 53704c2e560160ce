"""The step-up page: password and a fresh two-factor code, again."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user

from vigil import policy
from vigil.accounts import actions, stepup
from vigil.accounts.forms import StepUpForm
from vigil.lib.requests import StaffRequest
from vigil.lib.views import acting_user, form_data
from vigil.policy import Perm


def _next(request: StaffRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _token_ok(request: StaffRequest, token: str) -> bool:
    # verify_token refuses a code of a time step already used (the sign-in's).
    return any(
        device.verify_token(token) for device in devices_for_user(request.user, confirmed=True)
    )


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.HOME)
def step_up(request: StaffRequest) -> HttpResponse:
    form = StepUpForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        user = acting_user(request)
        password_ok = user.check_password(form.cleaned_data["password"])
        if password_ok and _token_ok(request, form.cleaned_data["token"].strip()):
            stepup.mark_fresh(request)
            actions.record_step_up(user)
            return redirect(_next(request))
        failures = int(request.session.get(stepup.FAILURES, 0)) + 1
        request.session[stepup.FAILURES] = failures
        if failures >= settings.STEP_UP_MAX_FAILURES:
            # A stolen session cannot guess on: it ends here.
            logout(request)
            return redirect("accounts:login")
        form.add_error(None, _("The password or the code is not correct."))
    context = {"form": form, "next": _next(request), "minutes": settings.STEP_UP_SECONDS // 60}
    return render(request, "accounts/step_up.html", context)
