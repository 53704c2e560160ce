"""Staff pages: phones and their setup code, the form key, and records to open."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vigil import policy
from vigil.lib.requests import as_staff
from vigil.odk import actions, reads
from vigil.odk.forms import DeviceForm
from vigil.policy import Perm
from vigil.vault.keys import VaultLocked


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.ODK_MANAGE)
def devices(request: HttpRequest) -> HttpResponse:
    """The phones; issuing one shows its setup code once, in this response only."""
    organisation = as_staff(request).membership.organisation
    form = DeviceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        issued = actions.issue_device(
            organisation,
            form.cleaned_data["label"],
            acting_user=as_staff(request).user,
        )
        # Collect appends /formList and /submission to the server URL itself.
        form_list = reverse("odk:form_list", args=[organisation.slug])
        server_url = request.build_absolute_uri(form_list.removesuffix("/formList"))
        code = reads.collect_settings(
            server_url, issued.device.username, issued.password, f"Vigil · {organisation.name}"
        )
        context = {
            "device": issued.device,
            "password": issued.password,
            "server_url": server_url,
            "qr_svg": reads.qr_svg(code),
        }
        response = render(request, "odk/device_setup.html", context)
        response["Cache-Control"] = "no-store"
        return response
    context = {
        "form": form,
        "devices": reads.devices(policy.odk_devices_for(request)),
        "keys": reads.form_keys(organisation),
    }
    return render(request, "odk/devices.html", context)


@require_POST
@policy.staff_view(Perm.ODK_MANAGE)
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    device = policy.get_odk_device_for_coordinator(request, pk)
    actions.revoke_device(device, acting_user=as_staff(request).user)
    messages.success(request, _("The phone can no longer send or download anything."))
    return redirect("odk:devices")


@require_POST
@policy.staff_view(Perm.ODK_MANAGE)
def rotate_key(request: HttpRequest) -> HttpResponse:
    organisation = as_staff(request).membership.organisation
    actions.create_form_key(organisation, acting_user=as_staff(request).user)
    messages.success(
        request,
        _(
            "New form key. Phones get it with the next form update; "
            "records sent with the old key still open."
        ),
    )
    return redirect("odk:devices")


@require_http_methods(["GET"])
@policy.staff_view(Perm.ODK_OPEN)
def records(request: HttpRequest) -> HttpResponse:
    rows = reads.waiting_records(policy.odk_records_for(request))
    return render(request, "odk/records.html", {"rows": rows})


@require_POST
@policy.staff_view(Perm.ODK_OPEN)
def open_record(request: HttpRequest, pk: int) -> HttpResponse:
    row = policy.get_odk_record_for_user(request, pk)
    try:
        org_private = policy.org_private_key(request)
    except VaultLocked:
        messages.error(request, _("Your session cannot open sealed data. Sign in again."))
        return redirect("odk:records")
    try:
        submission = actions.open_record(org_private, row, acting_user=as_staff(request).user)
    except actions.CannotOpen:
        messages.error(
            request,
            _(
                "This record cannot be opened: it was altered on the way, "
                "or it was not encrypted with this organisation's form."
            ),
        )
        return redirect("odk:records")
    return redirect("intake:submission", submission.pk)
