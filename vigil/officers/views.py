"""Officer pages: repeat officers, one officer's profile, settings, external registers.

Officers are named in URLs by an opaque token (``identity.token``), never by a
badge, name, plate or phone. Every query goes through ``reads`` (policy-scoped);
every write through ``actions``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil import policy
from vigil.accounts.models import Membership, User
from vigil.lib.requests import as_staff
from vigil.officers import actions, identity, importer, reads, reindex, tasks
from vigil.officers.forms import ColumnsForm, ThresholdForm, UploadForm
from vigil.officers.models import ComplaintRegister, ImportStatus
from vigil.officers.upload import InMemoryOnlyUploadHandler
from vigil.policy import Perm

logger = logging.getLogger(__name__)

RECENT_REGISTERS = 50


def _membership(request: HttpRequest) -> Membership:
    return as_staff(request).membership


def _user(request: HttpRequest) -> User:
    return as_staff(request).user


@require_GET
@policy.staff_view(Perm.OFFICER_PROFILES)
def repeat_list(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    threshold = reads.threshold_of(membership.organisation_id)
    rows = reads.repeat_officers(request, threshold)
    pairs = reads.co_accused_pairs(request)
    actions.audit_view(
        _user(request),
        membership.organisation,
        "officer.repeat_list",
        threshold=threshold,
        rows=len(rows),
    )
    context = {
        "rows": rows,
        "pairs": pairs,
        "pair_limit": reads.PAIR_LIMIT,
        "threshold": threshold,
        "limit": reads.REPEAT_LIMIT,
        "can_settings": policy.can(membership, Perm.OFFICER_SETTINGS),
        "can_registers": policy.can(membership, Perm.COMPLAINT_REGISTERS),
    }
    return render(request, "officers/repeat_list.html", context)


@require_GET
@policy.staff_view(Perm.OFFICER_PROFILES)
def profile(request: HttpRequest, token: str) -> HttpResponse:
    membership = _membership(request)
    found = identity.from_token(membership.organisation_id, token)
    if found is None:
        raise Http404
    officer = reads.profile(request, found)
    if not officer.incidents and not officer.external:
        raise Http404
    actions.audit_view(
        _user(request),
        membership.organisation,
        "officer.profile_view",
        kind=found.kind,
        incidents=len(officer.incidents),
        external=len(officer.external),
    )
    return render(request, "officers/profile.html", {"officer": officer})


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.OFFICER_SETTINGS)
def settings_page(request: HttpRequest) -> HttpResponse:
    membership = policy.officer_settings_membership(request)
    current = reads.threshold_of(membership.organisation_id)
    form = ThresholdForm(
        request.POST if request.method == "POST" else None,
        initial={"repeat_threshold": current},
    )
    if request.method == "POST" and form.is_valid():
        actions.set_threshold(
            _user(request), membership.organisation, form.cleaned_data["repeat_threshold"]
        )
        messages.success(request, _("The repeat threshold was saved."))
        return redirect("officers:settings")
    unlocked = as_staff(request).vault.is_unlocked(membership.organisation_id)
    return render(request, "officers/settings.html", {"form": form, "unlocked": unlocked})


@require_POST
@policy.staff_view(Perm.OFFICER_SETTINGS)
def reindex_now(request: HttpRequest) -> HttpResponse:
    """Rebuild the organisation's blind indexes with the coordinator's unlocked key."""
    membership = policy.officer_settings_membership(request)
    counts = reindex.reindex_organisation(
        _user(request), membership.organisation, policy.org_private_key(request)
    )
    messages.success(
        request,
        _(
            "Search indexes rebuilt: %(people)d people, %(perpetrators)d perpetrators, "
            "%(complaints)d external complaints."
        )
        % {
            "people": counts.people,
            "perpetrators": counts.perpetrators,
            "complaints": counts.complaints,
        },
    )
    return redirect("officers:settings")


# --- external complaint registers ---------------------------------------------------------


@csrf_exempt
def registers(request: HttpRequest) -> HttpResponse:
    """The upload must never be spooled to a temporary file (see ``upload``), and the
    handlers can only be replaced before CSRF reads the POST: so the check comes after."""
    if request.method == "POST":
        request.upload_handlers = [InMemoryOnlyUploadHandler(request)]
    return _registers(request)


@csrf_protect
@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.COMPLAINT_REGISTERS)
def _registers(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            register = actions.upload_register(
                _user(request),
                membership.organisation,
                source_name=form.cleaned_data["source_name"],
                data=data,
            )
        except importer.Unreadable:
            form.add_error("file", str(importer.ERRORS["unreadable"]))
        else:
            return redirect("officers:register", pk=register.pk)
    recent = policy.registers_for(request).order_by("-created_at")[:RECENT_REGISTERS]
    return render(request, "officers/registers.html", {"form": form, "registers": list(recent)})


def _error_lines(register: ComplaintRegister) -> list[dict[str, Any]]:
    return [
        {**e, "message": importer.ERRORS.get(e.get("code", ""), e.get("code", ""))}
        for e in register.errors
    ]


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.COMPLAINT_REGISTERS)
def register_detail(request: HttpRequest, pk: int) -> HttpResponse:
    register = policy.get_register_for_user(request, pk)
    editable = register.status in {ImportStatus.UPLOADED, ImportStatus.CHECKED} and bool(
        register.stored_name
    )
    initial = {f"column_{k}": v for k, v in register.mapping.items()}
    initial.update(identity=register.identity, unknown_as_other=register.unknown_as_other)
    form = ColumnsForm(
        request.POST if request.method == "POST" else None,
        headers=list(register.headers),
        initial=initial,
    )
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            _start(request, register, form)
            return redirect("officers:register", pk=register.pk)
    context = {
        "register": register,
        "form": form if editable else None,
        "errors": _error_lines(register),
        "more_errors": register.error_count - len(register.errors),
    }
    return render(request, "officers/register.html", context)


def _start(request: HttpRequest, register: ComplaintRegister, form: ColumnsForm) -> None:
    job_key = actions.queue_import(
        _user(request),
        register,
        mapping=form.mapping(form.cleaned_data),
        identity=list(form.cleaned_data["identity"]),
        unknown_as_other=form.cleaned_data["unknown_as_other"],
        dry_run="import" not in request.POST,
        register_key=policy.data_key(request, register),
        index_key=policy.index_key(request),
    )
    try:
        tasks.import_register.enqueue(register.pk, job_key.hex())
    except Exception:  # the backend is down: say so on the page, not with a 500
        logger.exception("could not enqueue register import %s", register.pk)
        actions.fail_import(_user(request), register)


@require_POST
@policy.staff_view(Perm.COMPLAINT_REGISTERS)
def register_delete(request: HttpRequest, pk: int) -> HttpResponse:
    register = policy.get_register_for_user(request, pk)
    if register.is_pending:
        messages.error(request, _("Wait until the import has finished."))
        return redirect("officers:register", pk=register.pk)
    actions.delete_register(_user(request), register)
    messages.success(request, _("The register was deleted."))
    return redirect("officers:registers")
