"""Partnerships: institutions, named contacts, agreements and the history of contacts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vigil import policy
from vigil.complaints import actions as complaints_actions
from vigil.complaints.access import bodies_for, legal_actions_for
from vigil.complaints.models import BodyType
from vigil.engagement import actions, reads
from vigil.engagement.forms import (
    AgreementEditForm,
    AgreementForm,
    ContactForm,
    ContactLogForm,
    PartnerForm,
)
from vigil.engagement.models import Agreement, ContactLog, Partner, PartnerContact, PartnerKind
from vigil.engagement.views.common import (
    GET_POST,
    acting_membership,
    acting_user,
    files,
    form_data,
    form_page,
)
from vigil.policy import Perm
from vigil.vault import downloads

# A new institution named on the partner form goes into the directory with this type.
BODY_TYPE_OF_KIND = {
    PartnerKind.POLICE_UNIT: BodyType.POLICE_INTERNAL,
    PartnerKind.OMBUDSMAN: BodyType.OMBUDSMAN,
    PartnerKind.NPM: BodyType.NPM,
    PartnerKind.PROSECUTOR: BodyType.PROSECUTOR,
    PartnerKind.HEALTH: BodyType.HEALTH,
}


def _bodies(request: HttpRequest) -> Any:
    membership = acting_membership(request)
    return bodies_for(request, Perm.DIRECTORY_VIEW).filter(
        Q(country=membership.organisation.country) | Q(country="")
    )


@policy.staff_view(Perm.ENGAGEMENT_VIEW)
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = policy.partners_for(request).select_related("body").order_by("-is_active", "pk")
    context = {
        "partners": partners,
        "may_manage": policy.engagement_may(request, Perm.ENGAGEMENT_MANAGE),
    }
    return render(request, "engagement/partner_list.html", context)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def partner_create(request: HttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    organisation = membership.organisation
    form = PartnerForm(
        form_data(request),
        bodies=_bodies(request),
        participants=policy.engagement_participants(organisation.pk),
        editing=False,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        body = data["body"]
        if body is None:
            body = complaints_actions.create_local_body(
                acting_user(request),
                organisation,
                names={"en": data["new_name"], request.LANGUAGE_CODE[:2]: data["new_name"]},
                country=organisation.country,
                body_type=BODY_TYPE_OF_KIND.get(data["kind"], BodyType.OTHER),
            )
        if policy.partners_for(request, Perm.ENGAGEMENT_MANAGE).filter(body=body).exists():
            form.add_error("body", _("This institution is already a partner."))
        else:
            partner = actions.create_partner(
                acting_user=acting_user(request),
                organisation=organisation,
                body=body,
                kind=data["kind"],
                since=data["since"],
                participants=data["participants"],
            )
            messages.success(request, _("Partner added."))
            return redirect("engagement:partner_detail", pk=partner.pk)
    return form_page(request, form, title=_("New partner"), back=reverse("engagement:partner_list"))


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = policy.get_partner_for_user(request, pk, Perm.ENGAGEMENT_MANAGE)
    initial = {
        "kind": partner.kind,
        "since": partner.since,
        "is_active": partner.is_active,
        "participants": list(partner.participants.all()),
    }
    form = PartnerForm(
        form_data(request),
        initial=initial,
        bodies=_bodies(request),
        participants=policy.engagement_participants(partner.organisation_id),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_partner(
            acting_user=acting_user(request),
            partner=partner,
            kind=data["kind"],
            since=data["since"],
            is_active=data["is_active"],
            participants=data["participants"],
        )
        messages.success(request, _("Partner saved."))
        return redirect("engagement:partner_detail", pk=partner.pk)
    back = reverse("engagement:partner_detail", args=[partner.pk])
    return form_page(request, form, title=_("Edit partner"), back=back)


def _contact_labels(request: HttpRequest, partner: Partner) -> dict[int, str]:
    return {
        contact.pk: values.get("name") or contact.rank or _("contact %(pk)s") % {"pk": contact.pk}
        for contact, values in reads.rows(request, partner.contacts.all())
    }


@policy.staff_view(Perm.ENGAGEMENT_VIEW)
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = policy.get_partner_for_user(request, pk)
    may_manage = policy.engagement_may(request, Perm.ENGAGEMENT_MANAGE)
    context: dict[str, Any] = {
        "partner": partner,
        "may_manage": may_manage,
        "activities": policy.activities_for(request).filter(partners=partner).order_by("-date"),
    }
    if may_manage:
        # The police liaison sees the clear record only: no contacts, history or files.
        labels = _contact_labels(request, partner)
        history = reads.rows(request, partner.history.select_related("legal_action"))
        context.update(
            contacts=reads.rows(request, partner.contacts.all()),
            history=[(e, v, labels.get(e.contact_id or 0, "")) for e, v in history],
            agreements=reads.rows(request, partner.agreements.all()),
            may_legal=policy.engagement_may(request, Perm.LEGAL_VIEW),
            legal_actions=legal_actions_for(request).filter(body=partner.body).order_by("-pk")
            if policy.engagement_may(request, Perm.LEGAL_VIEW)
            else [],
        )
    return render(request, "engagement/partner_detail.html", context)


def _contact_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data.get(name, "") for name in ("name", "phone", "email", "notes")}


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    partner = policy.get_partner_for_user(request, pk, Perm.ENGAGEMENT_MANAGE)
    form = ContactForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_contact(
            acting_user=acting_user(request),
            partner=partner,
            rank_in_clear=data["rank_in_clear"],
            rank=data["rank"],
            unit=data["unit"],
            sealed=_contact_values(data),
        )
        messages.success(request, _("Contact added."))
        return redirect("engagement:partner_detail", pk=partner.pk)
    back = reverse("engagement:partner_detail", args=[partner.pk])
    return form_page(request, form, title=_("New contact person"), back=back)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = policy.get_engagement_item_for_user(request, PartnerContact, pk)
    key = policy.data_key(request, contact)
    values = reads.opened_with(key, contact.sealed)
    initial = {
        **values,
        "rank": contact.rank or values.get("rank", ""),
        "unit": contact.unit or values.get("unit", ""),
        "rank_in_clear": contact.rank_in_clear,
        "is_active": contact.is_active,
    }
    form = ContactForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_contact(
            acting_user=acting_user(request),
            contact=contact,
            key=key,
            rank_in_clear=data["rank_in_clear"],
            rank=data["rank"],
            unit=data["unit"],
            is_active=data["is_active"],
            sealed=_contact_values(data),
        )
        messages.success(request, _("Contact saved."))
        return redirect("engagement:partner_detail", pk=contact.partner_id)
    back = reverse("engagement:partner_detail", args=[contact.partner_id])
    return form_page(request, form, title=_("Edit contact person"), back=back)


def _log_form(request: HttpRequest, partner: Partner, **kwargs: Any) -> ContactLogForm:
    legal = None
    if policy.engagement_may(request, Perm.LEGAL_VIEW):
        legal = legal_actions_for(request).filter(body=partner.body).order_by("-pk")
    return ContactLogForm(
        form_data(request),
        contacts=partner.contacts.all(),
        contact_labels=_contact_labels(request, partner),
        legal_actions=legal,
        **kwargs,
    )


def _log_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": data["kind"],
        "date": data["date"],
        "contact": data["contact"],
        "legal_action": data.get("legal_action"),
        "response": data["response"],
        "response_on": data["response_on"],
        "sealed": {"notes": data["notes"], "response_notes": data["response_notes"]},
    }


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def log_create(request: HttpRequest, pk: int) -> HttpResponse:
    partner = policy.get_partner_for_user(request, pk, Perm.ENGAGEMENT_MANAGE)
    form = _log_form(request, partner)
    if request.method == "POST" and form.is_valid():
        actions.log_contact(
            acting_user=acting_user(request), partner=partner, **_log_values(form.cleaned_data)
        )
        messages.success(request, _("Contact recorded."))
        return redirect("engagement:partner_detail", pk=partner.pk)
    back = reverse("engagement:partner_detail", args=[partner.pk])
    return form_page(request, form, title=_("Record a contact"), back=back)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def log_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = policy.get_engagement_item_for_user(request, ContactLog, pk)
    key = policy.data_key(request, entry)
    initial = {
        **reads.opened_with(key, entry.sealed),
        "kind": entry.kind,
        "date": entry.date,
        "contact": entry.contact,
        "legal_action": entry.legal_action,
        "response": entry.response,
        "response_on": entry.response_on,
    }
    form = _log_form(request, entry.partner, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = _log_values(form.cleaned_data)
        if "legal_action" not in form.fields:
            values["legal_action"] = entry.legal_action  # not shown to her: keep it
        actions.update_contact_log(acting_user=acting_user(request), entry=entry, key=key, **values)
        messages.success(request, _("Contact saved."))
        return redirect("engagement:partner_detail", pk=entry.partner_id)
    back = reverse("engagement:partner_detail", args=[entry.partner_id])
    return form_page(request, form, title=_("Edit the contact record"), back=back)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    partner = policy.get_partner_for_user(request, pk, Perm.ENGAGEMENT_MANAGE)
    form = AgreementForm(form_data(request), files(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_agreement(
            acting_user=acting_user(request),
            partner=partner,
            kind=data["kind"],
            signed_on=data["signed_on"],
            valid_until=data["valid_until"],
            title=data["title"],
            upload=data["file"],
        )
        messages.success(request, _("Agreement stored, sealed."))
        return redirect("engagement:partner_detail", pk=partner.pk)
    back = reverse("engagement:partner_detail", args=[partner.pk])
    return form_page(request, form, title=_("New agreement"), back=back, multipart=True)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = policy.get_engagement_item_for_user(request, Agreement, pk)
    key = policy.data_key(request, agreement)
    initial = {
        "kind": agreement.kind,
        "signed_on": agreement.signed_on,
        "valid_until": agreement.valid_until,
        "title": reads.opened_with(key, agreement.sealed).get("title", ""),
    }
    form = AgreementEditForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_agreement(
            acting_user=acting_user(request), agreement=agreement, key=key, **form.cleaned_data
        )
        messages.success(request, _("Agreement saved."))
        return redirect("engagement:partner_detail", pk=agreement.partner_id)
    back = reverse("engagement:partner_detail", args=[agreement.partner_id])
    return form_page(request, form, title=_("Edit agreement"), back=back)


def sealed_download(request: HttpRequest, item: Any, fallback: str) -> HttpResponseBase:
    """Through the one verified path: checked whole against its hash, audited either way."""
    key = policy.data_key(request, item)
    user = acting_user(request)
    stored = downloads.StoredDownload(
        chunks=lambda: reads.file_chunks(key, item),
        sha256=item.sha256,
        size=item.size,
        content_type=item.content_type,
        filename=reads.opened_with(key, item.sealed).get("file_name", ""),
        fallback_name=fallback,
    )
    return downloads.respond(
        request,
        stored,
        record_download=lambda: actions.record_file_download(
            acting_user=user, item=item, damaged=False
        ),
        record_damaged=lambda: actions.record_file_download(
            acting_user=user, item=item, damaged=True
        ),
        damaged_page=lambda: render(
            request, "engagement/file_damaged.html", {"item": item}, status=410
        ),
    )


@require_GET
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def agreement_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    agreement = policy.get_engagement_item_for_user(request, Agreement, pk)
    return sealed_download(request, agreement, f"agreement-{agreement.pk}")
