"""The OpenRosa server a phone talks to: form list, form, manifest, submission.

Phones sign in with their own credentials (HTTP Basic; the deployment serves
HTTPS only). Only encrypted records are accepted; they are stored as sent,
sealed again, and decrypted by a caseworker in the inbox, never here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from vigil import policy
from vigil.accounts.models import Organisation
from vigil.odk import actions, envelope, openrosa, xlsform
from vigil.odk.models import Device

View = Callable[..., HttpResponse]


def device_view(view: View) -> View:
    """Sign the phone in, apply its rate limit, and answer in OpenRosa terms."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            organisation, device = policy.odk_device_for(request, slug)
        except Http404:
            return openrosa.message(_("There is no such organisation on this server."), 404)
        if openrosa.too_many_failures(organisation):
            return openrosa.message(_("Too many wrong sign-ins. Wait a minute and retry."), 429)
        if device is None:
            return openrosa.unauthorized(organisation)
        if openrosa.over_device_limit(device):
            return openrosa.message(_("This phone is sending too fast. Retry in a minute."), 429)
        actions.touch_device(device)
        return view(request, organisation, device, *args, **kwargs)

    return csrf_exempt(wrapped)


def _absolute(request: HttpRequest, name: str, slug: str) -> str:
    return request.build_absolute_uri(reverse(f"odk:{name}", args=[slug]))


def current_xform(request: HttpRequest, organisation: Organisation) -> str:
    key = actions.current_form_key(organisation)
    url = _absolute(request, "submission", organisation.slug)
    cache_key = (
        f"odk:xform:{key.pk}:{xlsform.FORM_REVISION}:{hashlib.sha256(url.encode()).hexdigest()}"
    )
    cached = cache.get(cache_key)
    if cached is None:
        cached, _warnings = xlsform.xform(organisation, key, url)
        cache.set(cache_key, cached, 600)
    return str(cached)


@require_http_methods(["GET", "HEAD"])
@device_view
def form_list(request: HttpRequest, organisation: Organisation, device: Device) -> HttpResponse:
    xml = current_xform(request, organisation)
    key = actions.current_form_key(organisation)
    slug = organisation.slug
    entry = (
        "<xform>"
        f"<formID>{xlsform.FORM_ID}</formID>"
        f"<name>{escape(organisation.name)}</name>"
        f"<version>{key.pk}.{xlsform.FORM_REVISION}</version>"
        f"<hash>md5:{hashlib.md5(xml.encode()).hexdigest()}</hash>"  # noqa: S324 - OpenRosa's
        f"<downloadUrl>{escape(_absolute(request, 'form', slug))}</downloadUrl>"
        f"<manifestUrl>{escape(_absolute(request, 'manifest', slug))}</manifestUrl>"
        "</xform>"
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<xforms xmlns="http://openrosa.org/xforms/xformsList">{entry}</xforms>'
    )
    return openrosa.xml_response(body)


@require_http_methods(["GET"])
@device_view
def form(request: HttpRequest, organisation: Organisation, device: Device) -> HttpResponse:
    return openrosa.xml_response(current_xform(request, organisation))


@require_http_methods(["GET"])
@device_view
def manifest(request: HttpRequest, organisation: Organisation, device: Device) -> HttpResponse:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest xmlns="http://openrosa.org/xforms/xformsManifest"/>'
    )
    return openrosa.xml_response(body)


def _too_big(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.ODK_MAX_SUBMISSION_BYTES


def _read_files(request: HttpRequest) -> tuple[bytes, dict[str, bytes]] | None:
    """(manifest, files by name) from the multipart body, or None without a manifest."""
    uploads = request.FILES
    main = uploads.get("xml_submission_file")
    if main is None:
        return None
    files: dict[str, bytes] = {}
    for field_name, items in uploads.lists():
        if field_name == "xml_submission_file":
            continue
        for upload in items:
            files[str(upload.name or field_name)] = upload.read()
    return main.read(), files


@require_http_methods(["HEAD", "POST"])
@device_view
def submission(request: HttpRequest, organisation: Organisation, device: Device) -> HttpResponse:
    if request.method == "HEAD":
        return openrosa.with_headers(HttpResponse(status=204))
    if _too_big(request):
        return openrosa.message(_("This record is too large for the server."), 413)
    try:
        received = _read_files(request)
    except RequestDataTooBig:
        return openrosa.message(_("This record is too large for the server."), 413)
    if received is None:
        return openrosa.message(_("The record has no xml_submission_file part."), 400)
    manifest_xml, files = received
    if len(manifest_xml) + sum(map(len, files.values())) > settings.ODK_MAX_SUBMISSION_BYTES:
        return openrosa.message(_("This record is too large for the server."), 413)
    return _store(organisation, device, manifest_xml, files)


def _store(
    organisation: Organisation, device: Device, manifest_xml: bytes, files: dict[str, bytes]
) -> HttpResponse:
    if not envelope.is_encrypted_manifest(manifest_xml):
        return openrosa.message(
            _("This server accepts encrypted records only. Download the form again."), 400
        )
    try:
        parsed = envelope.parse_manifest(manifest_xml)
    except envelope.EnvelopeError:
        return openrosa.message(_("The encrypted record is incomplete."), 400)
    if parsed.form_id != xlsform.FORM_ID:
        return openrosa.message(_("This form is not Vigil's report form."), 400)
    listed = [*parsed.media, parsed.xml_file]
    if any(name not in files for name in listed) or set(files) - set(listed):
        return openrosa.message(_("The files of the record do not match its manifest."), 400)
    try:
        actions.receive_record(device, parsed, manifest_xml, files)
    except actions.Duplicate as duplicate:
        if not duplicate.same:
            return openrosa.message(
                _("Another record with this instance ID was already received."), 409
            )
        # Collect re-sends when the answer was lost: say yes, so it stops.
        return openrosa.message(_("This record was already received."), 202)
    return openrosa.message(_("Thank you: the record is received, encrypted."), 201)
