"""The directory of oversight bodies, liaison contacts, letter templates and figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vigil import policy
from vigil.accounts import stepup
from vigil.accounts.models import User
from vigil.complaints import access, actions, figures, letters, reads
from vigil.complaints.forms import BodyForm, LiaisonForm, TemplateUploadForm
from vigil.complaints.models import (
    BodyType,
    Holiday,
    LetterLanguage,
    LetterTemplate,
    LiaisonContact,
    OversightBody,
)
from vigil.incidents import regions
from vigil.lib import paging
from vigil.lib.requests import StaffRequest
from vigil.policy import Perm
from vigil.vault import downloads

GET_POST = ["GET", "POST"]
BODY_ORDER = ["country", "body_type", "slug"]
BODY_PAGE_SIZE = 100
MAX_COUNTRIES = 300


def _user(request: StaffRequest) -> User:
    return request.user


def _data(request: StaffRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- bodies -----------------------------------------------------------------------------------


@policy.staff_view(Perm.DIRECTORY_VIEW)
def body_list(request: StaffRequest) -> HttpResponse:
    membership = access.membership(request, Perm.DIRECTORY_VIEW)
    country = request.GET.get("country", "")
    bodies = access.bodies_for(request)
    countries = _countries(bodies)
    if country and country in countries:
        bodies = bodies.filter(Q(country=country) | Q(country=""))
    else:
        country = ""
    keyset = paging.page(bodies, BODY_ORDER, request.GET.get("after"), BODY_PAGE_SIZE)
    holidays = Holiday.objects.filter(date__year=timezone.localdate().year)
    if country:
        holidays = holidays.filter(country=country)
    # The page's bodies grouped by country, a heading each; international ones
    # (no country) last.
    groups: dict[str, list[OversightBody]] = {}
    for body in keyset.rows:
        groups.setdefault(body.country, []).append(body)
    order = sorted(groups, key=lambda code: (code == "", regions.country_name(code)))
    context = {
        "bodies": keyset.rows,
        "keyset": keyset,
        "query": urlencode({"country": country}) if country else "",
        "groups": [(code, regions.country_name(code), groups[code]) for code in order],
        "countries": [(c, regions.country_name(c)) for c in countries if c],
        "country": country,
        "may_manage": access.can(membership, Perm.MANAGE_DIRECTORY),
        "holidays": holidays,
    }
    return render(request, "complaints/body_list.html", context)


def _countries(bodies: Any) -> list[str]:
    """The distinct countries, one index seek each: no scan of every body."""
    found: list[str] = []
    current = bodies.order_by("country").values_list("country", flat=True).first()
    while current is not None and len(found) < MAX_COUNTRIES:
        found.append(current)
        current = (
            bodies.filter(country__gt=current)
            .order_by("country")
            .values_list("country", flat=True)
            .first()
        )
    return found


@dataclass(frozen=True)
class LiaisonRow:
    liaison: LiaisonContact
    values: dict[str, str]


@policy.staff_view(Perm.DIRECTORY_VIEW)
def body_detail(request: StaffRequest, pk: int) -> HttpResponse:
    body = access.get_body(request, pk)
    membership = access.membership(request, Perm.DIRECTORY_VIEW)
    liaisons = access.liaisons_for(request).filter(body=body).order_by("-is_active", "pk")
    context = {
        "body": body,
        "region_name": regions.name(body.region) if body.region else "",
        "liaisons": [LiaisonRow(x, reads.liaison_values(request, x)) for x in liaisons],
        "may_manage": access.can(membership, Perm.MANAGE_DIRECTORY),
    }
    return render(request, "complaints/body_detail.html", context)


def _prefill(request: StaffRequest) -> dict[str, Any]:
    """Start a local body from a shared one (``?from=<pk>``), e.g. to add contact details."""
    try:
        source = access.get_body(request, int(request.GET.get("from", "")))
    except (ValueError, Http404):
        return {"response_unit": "calendar", "is_active": True}
    return BodyForm.initial_from(source)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.MANAGE_DIRECTORY)
def body_create(request: StaffRequest) -> HttpResponse:
    membership = access.membership(request, Perm.MANAGE_DIRECTORY)
    form = BodyForm(_data(request), initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        body = actions.create_local_body(
            _user(request), membership.organisation, names=form.names(), **form.fields_for_model()
        )
        messages.success(request, _("Body added to your directory."))
        return redirect("complaints:body_detail", pk=body.pk)
    return render(request, "complaints/body_form.html", {"form": form, "body": None})


@require_http_methods(GET_POST)
@policy.staff_view(Perm.MANAGE_DIRECTORY)
def body_edit(request: StaffRequest, pk: int) -> HttpResponse:
    body = access.get_local_body_for_coordinator(request, pk)
    form = BodyForm(_data(request), initial=BodyForm.initial_from(body))
    if request.method == "POST" and form.is_valid():
        actions.update_local_body(
            _user(request), body, names=form.names(), **form.fields_for_model()
        )
        messages.success(request, _("Body saved."))
        return redirect("complaints:body_detail", pk=body.pk)
    return render(request, "complaints/body_form.html", {"form": form, "body": body})


# --- liaison contacts ----------------------------------------------------------------------------


@require_http_methods(GET_POST)
@policy.staff_view(Perm.MANAGE_DIRECTORY)
def liaison_create(request: StaffRequest, pk: int) -> HttpResponse:
    body = access.get_body(request, pk)
    membership = access.membership(request, Perm.MANAGE_DIRECTORY)
    form = LiaisonForm(_data(request))
    if request.method == "POST" and form.is_valid():
        actions.add_liaison(
            _user(request),
            membership.organisation,
            body,
            position=form.cleaned_data["position"],
            sealed=form.sealed(),
        )
        messages.success(request, _("Liaison contact added."))
        return redirect("complaints:body_detail", pk=body.pk)
    context = {"form": form, "body": body, "title": _("Add a liaison contact")}
    return render(request, "complaints/liaison_form.html", context)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.MANAGE_DIRECTORY)
def liaison_edit(request: StaffRequest, pk: int) -> HttpResponse:
    liaison = access.get_liaison_for_coordinator(request, pk)
    key, values = reads.liaison_opened(request, liaison)
    initial = {**values, "position": liaison.position, "is_active": liaison.is_active}
    form = LiaisonForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_liaison(
            _user(request),
            liaison,
            key,
            position=form.cleaned_data["position"],
            is_active=form.cleaned_data["is_active"],
            sealed=form.sealed(),
        )
        messages.success(request, _("Liaison contact saved."))
        return redirect("complaints:body_detail", pk=liaison.body_id)
    context = {"form": form, "body": liaison.body, "title": _("Edit the liaison contact")}
    return render(request, "complaints/liaison_form.html", context)


# --- letter templates ---------------------------------------------------------------------------


def _check_kind(body_type: str, language: str) -> None:
    if body_type not in BodyType.values or language not in LetterLanguage.values:
        raise Http404


@dataclass(frozen=True)
class TemplateRow:
    body_type: str
    label: str
    languages: list[tuple[str, str, bool]]  # (code, label, the organisation has its own)


@policy.staff_view(Perm.MANAGE_LETTER_TEMPLATES)
def template_list(request: StaffRequest) -> HttpResponse:
    organisation_id = access.organisation_id(request, Perm.MANAGE_LETTER_TEMPLATES)
    own = set(
        LetterTemplate.objects.filter(organisation_id=organisation_id).values_list(
            "body_type", "language"
        )
    )
    rows = [
        TemplateRow(
            value,
            str(label),
            [(lang, str(name), (value, lang) in own) for lang, name in LetterLanguage.choices],
        )
        for value, label in BodyType.choices
    ]
    return render(request, "complaints/template_list.html", {"rows": rows})


@require_http_methods(GET_POST)
@policy.staff_view(Perm.MANAGE_LETTER_TEMPLATES)
@stepup.required()
def template_upload(request: StaffRequest, body_type: str, language: str) -> HttpResponse:
    _check_kind(body_type, language)
    membership = access.membership(request, Perm.MANAGE_LETTER_TEMPLATES)
    form = TemplateUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        language=language,
    )
    if request.method == "POST" and form.is_valid():
        actions.save_template(
            _user(request),
            membership.organisation,
            body_type=body_type,
            language=language,
            content=form.cleaned_data["file"],
        )
        stepup.announce(request, "letter_template", f"{body_type}/{language}")
        messages.success(request, _("Template saved. New letters use it."))
        return redirect("complaints:template_list")
    own = LetterTemplate.objects.filter(
        organisation_id=membership.organisation_id, body_type=body_type, language=language
    ).first()
    context = {
        "form": form,
        "body_type": body_type,
        "body_type_label": BodyType(body_type).label,
        "language": language,
        "language_label": LetterLanguage(language).label,
        "own": own,
    }
    return render(request, "complaints/template_upload.html", context)


@policy.staff_view(Perm.MANAGE_LETTER_TEMPLATES)
def template_download(request: StaffRequest, body_type: str, language: str) -> HttpResponseBase:
    _check_kind(body_type, language)
    membership = access.membership(request, Perm.MANAGE_LETTER_TEMPLATES)
    chosen = letters.choose_template(membership.organisation_id, body_type, language)
    rows = LetterTemplate.objects.filter(body_type=body_type, language=language)
    row = (
        rows.filter(organisation_id=membership.organisation_id)
        if chosen.custom
        else rows.filter(organisation__isnull=True)
    ).first()
    stored = downloads.StoredDownload(
        chunks=lambda: iter([chosen.content]),
        sha256=chosen.sha256,
        size=len(chosen.content),
        content_type=letters.DOCX_MIME,
        filename=f"template-{body_type}-{language}.docx",
    )
    user, organisation = _user(request), membership.organisation

    def audited(action: str) -> None:
        if row is not None:  # a default built on the fly has no row to name
            downloads.record_file_event(
                user, action, organisation=organisation, target=row, kind="letter_template"
            )

    return downloads.respond(
        request,
        stored,
        record_download=lambda: audited("file.download"),
        record_damaged=lambda: audited("file.damaged"),
    )


@require_POST
@policy.staff_view(Perm.MANAGE_LETTER_TEMPLATES)
@stepup.required(lambda request, **kwargs: reverse("complaints:template_list"))
def template_reset(request: StaffRequest, body_type: str, language: str) -> HttpResponse:
    _check_kind(body_type, language)
    membership = access.membership(request, Perm.MANAGE_LETTER_TEMPLATES)
    if actions.reset_template(
        _user(request), membership.organisation, body_type=body_type, language=language
    ):
        stepup.announce(request, "letter_template", f"{body_type}/{language}")
        messages.success(request, _("Back to the shared template."))
    return redirect("complaints:template_list")


# --- accountability figures ----------------------------------------------------------------------


@policy.staff_view(Perm.ACCOUNTABILITY_FIGURES)
def figures_page(request: StaffRequest) -> HttpResponse:
    organisation_id = access.organisation_id(request, Perm.ACCOUNTABILITY_FIGURES)
    result = figures.accountability_figures([organisation_id], today=timezone.localdate())
    return render(request, "complaints/figures.html", {"figures": result})
