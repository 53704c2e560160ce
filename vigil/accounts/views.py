"""Sign-in (password, then TOTP), password change, organisation members."""

from __future__ import annotations

import base64
import time

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil import policy
from vigil.accounts import actions, stepup
from vigil.accounts import home as home_panels
from vigil.accounts.forms import (
    LoginForm,
    MemberCreateForm,
    PasswordChangeForm,
    ProfileForm,
    RecoveryForm,
    RoleForm,
    TokenForm,
)
from vigil.accounts.middleware import LOGIN_AT
from vigil.accounts.models import Membership, User
from vigil.audit import events as audit_events
from vigil.audit.models import AuditEvent
from vigil.lib import paging
from vigil.lib.requests import StaffRequest
from vigil.lib.views import form_data
from vigil.policy import Perm
from vigil.vault import crypto, keys
from vigil.vault import session as vault_session
from vigil.vault.keys import VaultLocked

SETUP_DEVICE = "otp_setup_device"


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        _hide_client_fingerprint(request)
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if isinstance(user, HttpResponse):  # axes lockout response
            return user
        if user is not None:
            return _complete_password_step(request, user, form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return render(request, "accounts/locked_out.html", status=429)
        form.add_error(None, _("Username or password is not correct."))
    return render(request, "accounts/login.html", {"form": form})


def _hide_client_fingerprint(request: HttpRequest) -> None:
    # django-axes records the user agent and Accept header of failed attempts;
    # we lock by account only and keep no client fingerprint.
    for header in ("HTTP_USER_AGENT", "HTTP_ACCEPT", "REMOTE_ADDR", "HTTP_X_FORWARDED_FOR"):
        request.META.pop(header, None)


def _complete_password_step(request: HttpRequest, user: User, password: str) -> HttpResponse:
    """Log in, then unlock the member's keys while the password is at hand."""
    login(request, user)
    request.session[LOGIN_AT] = int(time.time())
    member_private = keys.unlock_member(user, password)
    if member_private is not None:
        keys.upgrade_cost_if_needed(user, password, member_private)
    org_keys = keys.unlock_organisations(user, member_private) if member_private else {}
    vault_session.store(request, org_keys)
    actions.record_login(user)
    pending = policy.staff_ready(request)
    return pending or redirect("home")


@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    form = TokenForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        for device in devices_for_user(request.user, confirmed=True):
            if device.verify_token(token):
                otp_login(request, device)
                return policy.staff_ready(request) or redirect("home")
        form.add_error(
            "token", _("This code is not valid. Check your phone's clock and try again.")
        )
    return render(request, "accounts/otp_verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if any(devices_for_user(request.user, confirmed=True)):
        return redirect("accounts:otp_verify")
    device = _pending_device(request)
    form = TokenForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            actions.confirm_totp(request.user, device)
            otp_login(request, device)
            request.session.pop(SETUP_DEVICE, None)
            messages.success(request, _("Two-factor authentication is on."))
            return policy.staff_ready(request) or redirect("home")
        form.add_error(
            "token", _("This code is not valid. Check your phone's clock and try again.")
        )
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_svg": qr.svg_inline(scale=4, dark="#111", light="#fff"),
        "secret": base64.b32encode(device.bin_key).decode(),
    }
    return render(request, "accounts/otp_setup.html", context)


def _pending_device(request: HttpRequest) -> TOTPDevice:
    device_id = request.session.get(SETUP_DEVICE)
    device = (
        TOTPDevice.objects.filter(pk=device_id, user=request.user, confirmed=False).first()
        if device_id
        else None
    )
    if device is None:
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
        request.session[SETUP_DEVICE] = device.pk
    return device


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        actions.record_logout(request.user)
    logout(request)  # deletes the server-side session row and its vault blob
    response = redirect("accounts:login")
    vault_session.clear(request, response)
    return response


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    # OTPMiddleware adds is_verified(); the stubs do not know it.
    if not getattr(request.user, "is_verified", lambda: False)():
        return policy.staff_ready(request) or redirect("home")
    form = PasswordChangeForm(request.user, form_data(request))
    if request.method == "POST" and form.is_valid():
        actions.change_own_password(
            request.user,
            form.cleaned_data["old_password"],
            form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed."))
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.HOME)
def profile(request: StaffRequest) -> HttpResponse:
    """Her full name and position, printed under her signature in letters."""
    user = request.user
    form = ProfileForm(
        form_data(request), initial={f: getattr(user, f) for f in ProfileForm.base_fields}
    )
    if request.method == "POST" and form.is_valid():
        actions.update_profile(user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@policy.staff_view(Perm.HOME)
def home(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    context = {
        "unlocked": request.vault.is_unlocked(membership.organisation_id),
        "holds_keys": policy.role_holds_keys(membership.role),
        "panels": home_panels.panels(request),
        "can_recover": policy.can(membership, Perm.RECOVER_KEYS),
    }
    return render(request, "accounts/home.html", context)


@policy.staff_view(Perm.MANAGE_MEMBERS)
def member_list(request: StaffRequest) -> HttpResponse:
    organisation = request.membership.organisation
    members = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "grant")
        .order_by("user__username")
    )
    confirmed = set(
        TOTPDevice.objects.filter(
            user__memberships__organisation=organisation, confirmed=True
        ).values_list("user_id", flat=True)
    )
    rows = [(m, m.user_id in confirmed, hasattr(m, "grant")) for m in members]
    return render(request, "accounts/member_list.html", {"rows": rows})


@policy.staff_view(Perm.MANAGE_MEMBERS)
@stepup.required()
def member_create(request: StaffRequest) -> HttpResponse:
    acting = request.membership
    form = MemberCreateForm(form_data(request), organisation=acting.organisation)
    if request.method == "POST" and form.is_valid():
        vault = request.vault
        org_private = (
            vault.org_key(acting.organisation_id)
            if vault.is_unlocked(acting.organisation_id)
            else None
        )
        created = actions.add_member(
            request.user,
            acting.organisation,
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            org_private=org_private,
        )
        stepup.announce(
            request,
            "member_added",
            f"{created.membership.user.username} ({created.membership.role})",
        )
        return render(
            request,
            "accounts/member_password.html",
            {
                "member": created.membership,
                "password": created.temporary_password,
                "granted": created.granted,
            },
        )
    return render(request, "accounts/member_create.html", {"form": form})


@policy.staff_view(Perm.MANAGE_MEMBERS)
@stepup.required(on_get=False)
def member_detail(request: StaffRequest, pk: int) -> HttpResponse:
    member = policy.get_member_for_coordinator(request, pk)
    form = RoleForm(form_data(request), initial={"role": member.role})
    if request.method == "POST" and form.is_valid():
        old = member.role
        actions.change_role(request.user, request.vault, member, form.cleaned_data["role"])
        stepup.announce(request, "member_role", f"{member.user.username}: {old} -> {member.role}")
        messages.success(request, _("Role changed."))
        return redirect("accounts:member_detail", pk=member.pk)
    context = {
        "member": member,
        "form": form,
        "has_grant": hasattr(member, "grant"),
        "holds_keys": policy.role_holds_keys(member.role),
        "has_2fa": any(devices_for_user(member.user, confirmed=True)),
    }
    return render(request, "accounts/member_detail.html", context)


def _member_page(request: HttpRequest, pk: int, action: str = "") -> str:
    return reverse("accounts:member_detail", args=[pk])


@require_POST
@policy.staff_view(Perm.MANAGE_MEMBERS)
@stepup.required(_member_page)
def member_action(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    member = policy.get_member_for_coordinator(request, pk)
    user = request.user
    vault = request.vault
    if member.user_id == user.pk and action in {"deactivate", "revoke"}:
        messages.error(request, _("You cannot remove your own access."))
        return redirect("accounts:member_detail", pk=member.pk)

    def announce(kind: str) -> None:
        stepup.announce(request, kind, f"{member.user.username}: {action}")

    try:
        if action == "grant":
            actions.grant_keys(user, vault, member)
            announce("key_grant")
            messages.success(request, _("Access to sealed data granted."))
        elif action == "revoke":
            actions.revoke_keys(user, member)
            announce("key_grant")
            messages.success(request, _("Access to sealed data revoked."))
        elif action in {"activate", "deactivate"}:
            actions.set_active(user, member, action == "activate")
            announce("member_status")
            messages.success(request, _("Member updated."))
        elif action == "reset-2fa":
            actions.reset_two_factor(user, member)
            announce("member_status")
            messages.success(
                request,
                _("Two-factor authentication reset; the member enrols again at next sign-in."),
            )
        elif action == "reset-password":
            password = actions.reset_password(user, vault, member)
            announce("key_grant")
            return render(
                request,
                "accounts/member_password.html",
                {"member": member, "password": password, "granted": hasattr(member, "grant")},
            )
        else:
            return HttpResponse(status=404)
    except VaultLocked:
        messages.error(
            request,
            _(
                "Your session cannot open the organisation key. "
                "Sign in again or use the recovery phrase."
            ),
        )
    except ValueError:
        messages.error(request, _("This role does not have access to sealed data."))
    return redirect("accounts:member_detail", pk=member.pk)


AUDIT_PAGE_SIZE = 50


@policy.staff_view(Perm.VIEW_AUDIT)
def audit_list(request: StaffRequest) -> HttpResponse:
    organisation = request.membership.organisation
    events = AuditEvent.objects.filter(organisation=organisation).select_related("actor")
    # Newest first, by the chain's sequence number: no COUNT(*) of the whole log
    # and no OFFSET, so the thousandth page costs what the first one does.
    keyset = paging.page(events, ["-seq"], request.GET.get("after"), AUDIT_PAGE_SIZE)
    rows = [(event, audit_events.label(event.action)) for event in keyset.rows]
    return render(request, "accounts/audit_list.html", {"keyset": keyset, "rows": rows})


@policy.staff_view(Perm.RECOVER_KEYS)
def recover(request: StaffRequest) -> HttpResponse:
    acting = request.membership
    form = RecoveryForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            org_private = actions.recover_with_phrase(
                request.user, acting, form.cleaned_data["phrase"]
            )
        except crypto.CryptoError:
            form.add_error("phrase", _("This recovery phrase is not valid for this organisation."))
        else:
            vault_session.store(
                request, {**vault_session.load(request).keys(), acting.organisation_id: org_private}
            )
            messages.success(
                request, _("Access restored. Your account now holds the organisation key.")
            )
            return redirect("home")
    return render(request, "accounts/recover.html", {"form": form})
