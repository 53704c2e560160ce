"""Evidence pages: add a file to an incident, list an incident's files, download one."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from vigil import policy
from vigil.incidents import evidence, reads
from vigil.incidents.models import Event, EvidenceKind
from vigil.lib.forms import BoundedDateField
from vigil.lib.requests import StaffRequest
from vigil.policy import Perm
from vigil.vault import downloads


class EvidenceForm(forms.Form):
    # Browsers send fields in this order. The file comes last, so the other
    # fields have arrived even when the upload is cut off for its size.
    kind = forms.ChoiceField(label=gettext_lazy("What is it?"), choices=EvidenceKind.choices)
    captured_on = BoundedDateField(
        label=gettext_lazy("Date taken or issued"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Optional. For photos, left empty, the camera's date is used."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What it shows and where it comes from. Stored encrypted."),
    )
    keep_metadata = forms.BooleanField(
        label=gettext_lazy("Keep location and camera metadata"),
        required=False,
        help_text=gettext_lazy(
            "Photos only. Normally the place (GPS), camera and time data are removed, because "
            "they can reveal where someone lives or was. Keep them only when they are needed "
            "as proof."
        ),
    )
    metadata_reason = forms.CharField(
        label=gettext_lazy("Why the metadata must be kept"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required when keeping metadata. Stored encrypted."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        error_messages={"required": gettext_lazy("Choose a file.")},
        widget=forms.FileInput(attrs={"accept": "image/*,application/pdf,audio/*,video/*"}),
    )

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if too_large:
            # The handler kept nothing, so the file is missing: say why.
            self.fields["file"].error_messages["required"] = _(
                "This file is larger than the limit of %(limit)s. Nothing was stored."
            ) % {"limit": evidence.size_limit_text()}
        self.fields["file"].help_text = _(
            "Up to %(limit)s. Photos (JPEG, PNG, WebP, HEIC), PDF, audio (MP3, OGG, M4A, WAV, "
            "AMR, Opus) or video (MP4, MOV, 3GP, WebM). Video, audio and PDF files are stored "
            "exactly as received, with any location data they carry."
        ) % {"limit": evidence.size_limit_text()}

    def clean_captured_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("captured_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return value

    def clean_file(self) -> Any:
        value = self.cleaned_data.get("file")
        if not isinstance(value, evidence.SpooledUpload):
            raise forms.ValidationError(_("The file did not arrive. Try again."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("keep_metadata") and not (data.get("metadata_reason") or "").strip():
            self.add_error(
                "metadata_reason",
                _("Say why the location and camera data must be kept, or untick the box."),
            )
        return data


@csrf_exempt  # checked by _upload below, once our upload handler is in place
@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.INCIDENT_EDIT)
def upload(request: StaffRequest, pk: int) -> HttpResponse:
    event = policy.get_event_for_user(request, pk, Perm.INCIDENT_EDIT)
    key = policy.data_key(request, event)  # a locked vault stops here, before any upload
    handler = None
    if request.method == "POST":
        # The body is not read yet: only our counting, encrypting handler will see it.
        handler = evidence.SpoolUploadHandler(request, evidence.max_bytes())
        request.upload_handlers = [handler]
    return _upload(request, event, key, handler)


@csrf_protect
def _upload(
    request: StaffRequest,
    event: Event,
    key: bytes,
    handler: evidence.SpoolUploadHandler | None,
) -> HttpResponse:
    next_url = evidence.safe_next(request.GET.get("next"))
    if handler is None:
        form = EvidenceForm()
    else:
        form = EvidenceForm(request.POST, request.FILES, too_large=handler.too_large)
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = evidence.save_upload(
                    request.user,
                    event,
                    key,
                    data.pop("file"),
                    **data,
                )
            except evidence.Refused as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(
                    request,
                    _("Evidence added to %(code)s. SHA-256: %(sha)s")
                    % {"code": event.code, "sha": item.sha256},
                )
                return redirect(next_url or reverse("evidence:list", args=[event.pk]))
    context = {
        "event": event,
        "form": form,
        "next_url": next_url,
        "back_url": next_url or reverse("evidence:list", args=[event.pk]),
    }
    return render(request, "incidents/evidence_upload.html", context)


@require_GET
@policy.staff_view(Perm.INCIDENT_VIEW)
def evidence_list(request: StaffRequest, pk: int) -> HttpResponse:
    event = policy.get_event_for_user(request, pk, Perm.INCIDENT_VIEW)
    key = policy.data_key(request, event)
    items = evidence.evidence_of(event).select_related("uploaded_by").order_by("uploaded_at", "pk")
    rows = [{"item": item, **evidence.sealed_fields(key, item)} for item in items]
    context = {
        "event": event,
        "rows": rows,
        "can_add": policy.can(request.membership, Perm.INCIDENT_EDIT),
    }
    return render(request, "incidents/evidence_list.html", context)


# policy.staff_view's type variable is bound to HttpResponse, not to streaming responses.
@require_GET
@policy.staff_view(Perm.INCIDENT_VIEW)
def download(request: StaffRequest, pk: int, evidence_id: int) -> HttpResponseBase:
    event = policy.get_event_for_user(request, pk, Perm.INCIDENT_VIEW)
    item = evidence.get_evidence(event, evidence_id)
    key = policy.data_key(request, event)
    user = request.user
    name = evidence.sealed_fields(key, item)["file_name"]
    stored = downloads.StoredDownload(
        chunks=lambda: reads.evidence_chunks(key, item),
        sha256=item.sha256,
        size=item.size,
        content_type=item.content_type,
        filename=name,
        fallback_name=f"evidence-{item.pk}",
    )
    return downloads.respond(
        request,
        stored,
        record_download=lambda: evidence.record_download(user, event, item),
        record_damaged=lambda: evidence.record_damaged(user, event, item),
        damaged_page=lambda: render(
            request, "incidents/evidence_damaged.html", {"event": event, "item": item}, status=410
        ),
    )
