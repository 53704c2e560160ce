"""Coordinator pages for API tokens and Kobo hooks, and the Kobo receiver.

A new token or hook secret is shown once, on the page that answers the POST
(never in a URL or a later page), and stored only as a hash.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from vigil import policy
from vigil.api import actions
from vigil.api.forms import HookForm, HookMappingForm, TokenForm
from vigil.lib.requests import as_staff
from vigil.policy import Perm

MAX_KOBO_BYTES = 1024 * 1024


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.MANAGE_API)
def tokens(request: HttpRequest) -> HttpResponse:
    membership = as_staff(request).membership
    form = TokenForm(request.POST if request.method == "POST" else None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        created = actions.create_token(
            as_staff(request).user,
            membership.organisation,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
        )
        secret = created.secret
        form = TokenForm()
    context: dict[str, Any] = {
        "form": form,
        "secret": secret,
        "tokens": policy.api_tokens_for(request),
        "hooks": policy.kobo_hooks_for(request),
        "hook_form": HookForm(),
        "schema_url": "/api/v1/openapi.json",
    }
    return _no_store(render(request, "api/tokens.html", context))


@require_POST
@policy.staff_view(Perm.MANAGE_API)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = policy.get_api_token_for_user(request, pk)
    if token.is_usable:
        actions.revoke_token(as_staff(request).user, token)
    return redirect("api:tokens")


@require_POST
@policy.staff_view(Perm.MANAGE_API)
def hook_create(request: HttpRequest) -> HttpResponse:
    membership = as_staff(request).membership
    form = HookForm(request.POST)
    if not form.is_valid():
        return redirect("api:tokens")
    created = actions.create_hook(
        as_staff(request).user,
        membership.organisation,
        name=form.cleaned_data["name"],
    )
    context = {"hook": created.hook, "secret": created.secret, "url": _receiver_url(created.hook)}
    return _no_store(render(request, "api/hook_created.html", context))


def _receiver_url(hook: Any) -> str:
    path = reverse("api:kobo_receive", args=[hook.organisation.slug, hook.pk])
    return settings.SITE_URL.rstrip("/") + path


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.MANAGE_API)
def hook_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hook = policy.get_kobo_hook_for_user(request, pk)
    form = HookMappingForm(request.POST if request.method == "POST" else None, mapping=hook.mapping)
    if request.method == "POST" and form.is_valid():
        actions.update_hook(
            as_staff(request).user,
            hook,
            mapping=form.mapping(),
            values=hook.values,
        )
        return redirect("api:tokens")
    context = {"hook": hook, "form": form, "url": _receiver_url(hook)}
    return render(request, "api/hook_edit.html", context)


@require_POST
@policy.staff_view(Perm.MANAGE_API)
def hook_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    hook = policy.get_kobo_hook_for_user(request, pk)
    if hook.revoked_at is None:
        actions.revoke_hook(as_staff(request).user, hook)
    return redirect("api:tokens")


def _kobo_secret(request: HttpRequest) -> str:
    header = request.headers.get("X-Vigil-Token", "")
    if header:
        return header.strip()
    auth = request.headers.get("Authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else ""


@csrf_exempt  # a machine-to-machine endpoint authenticated by its header token
@require_POST
def kobo_receive(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    hook = actions.hook_for(pk, slug, _kobo_secret(request))
    if hook is None:
        return JsonResponse({"detail": "unauthorised"}, status=401)
    if actions.over_rate("kobo", hook.pk):
        return JsonResponse({"detail": "rate limit exceeded"}, status=429)
    length = request.headers.get("Content-Length") or "0"
    if not length.isdigit() or int(length) > MAX_KOBO_BYTES:
        return JsonResponse({"detail": "too large"}, status=413)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"detail": "not JSON"}, status=400)
    if not isinstance(payload, dict) or not str(payload.get("_uuid") or "").strip():
        return JsonResponse({"detail": "_uuid missing"}, status=400)
    created, _delivery = actions.receive_kobo(hook, payload)
    return JsonResponse(
        {"status": "stored" if created else "duplicate"}, status=201 if created else 200
    )
