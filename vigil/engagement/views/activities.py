"""Trainings, joint meetings, board meetings and round tables, with their materials."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vigil import policy
from vigil.engagement import actions, reads
from vigil.engagement.forms import ActivityForm, MaterialForm
from vigil.engagement.models import AUDIENCE_FIELDS, TOPIC_LIST, Activity, ActivityType, Material
from vigil.engagement.views.common import (
    GET_POST,
    acting_membership,
    acting_user,
    files,
    form_data,
    form_page,
)
from vigil.engagement.views.partners import sealed_download
from vigil.incidents import regions
from vigil.policy import Perm
from vigil.vocab.models import Term


def _form(request: HttpRequest, **kwargs: Any) -> ActivityForm:
    organisation = acting_membership(request).organisation
    return ActivityForm(
        form_data(request),
        country=organisation.country,
        boards=policy.boards_for(request).filter(is_active=True),
        partners=policy.partners_for(request, Perm.ENGAGEMENT_MANAGE).select_related("body"),
        topics=Term.objects.of(TOPIC_LIST, organisation.pk),
        participants=policy.engagement_participants(organisation.pk),
        **kwargs,
    )


def _data(form: ActivityForm) -> actions.ActivityData:
    data = form.cleaned_data
    return actions.ActivityData(
        activity_type=data["activity_type"],
        date=data["date"],
        hours=data["hours"],
        region=data["region"],
        board=data["board"],
        partners=list(data["partners"]),
        topics=list(data["topics"]),
        participants=list(data["participants"]),
        counts={name: data[name] for name in AUDIENCE_FIELDS},
        pre_test_avg=data["pre_test_avg"],
        post_test_avg=data["post_test_avg"],
        sealed={name: data[name] for name in ("place", "notes", "minutes")},
    )


@policy.staff_view(Perm.ENGAGEMENT_VIEW)
def activity_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("type", "")
    activities = policy.activities_for(request).prefetch_related("partners__body")
    if kind in ActivityType.values:
        activities = activities.filter(activity_type=kind)
    context = {
        "activities": activities.order_by("-date", "-pk")[:200],
        "types": ActivityType.choices,
        "type": kind,
        "may_manage": policy.engagement_may(request, Perm.ENGAGEMENT_MANAGE),
    }
    return render(request, "engagement/activity_list.html", context)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def activity_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    if request.GET.get("type") in ActivityType.values:
        initial["activity_type"] = request.GET["type"]
    board = request.GET.get("board", "")
    if board.isdigit():
        initial["board"] = policy.boards_for(request).filter(pk=int(board)).first()
    form = _form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        activity = actions.create_activity(
            acting_user=acting_user(request),
            organisation=acting_membership(request).organisation,
            data=_data(form),
        )
        messages.success(request, _("Activity %(code)s recorded.") % {"code": activity.code})
        return redirect("engagement:activity_detail", pk=activity.pk)
    return form_page(
        request, form, title=_("New activity"), back=reverse("engagement:activity_list")
    )


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = policy.get_activity_for_user(request, pk, Perm.ENGAGEMENT_MANAGE)
    key = policy.data_key(request, activity)
    form = _form(
        request, initial=ActivityForm.initial_for(activity, reads.opened_with(key, activity.sealed))
    )
    if request.method == "POST" and form.is_valid():
        actions.update_activity(
            acting_user=acting_user(request), activity=activity, key=key, data=_data(form)
        )
        messages.success(request, _("Activity saved."))
        return redirect("engagement:activity_detail", pk=activity.pk)
    back = reverse("engagement:activity_detail", args=[activity.pk])
    return form_page(request, form, title=_("Edit %(code)s") % {"code": activity.code}, back=back)


@policy.staff_view(Perm.ENGAGEMENT_VIEW)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity: Activity = policy.get_activity_for_user(request, pk)
    may_manage = policy.engagement_may(request, Perm.ENGAGEMENT_MANAGE)
    context = {
        "activity": activity,
        "sealed": reads.opened(request, activity),
        "region_name": regions.name(activity.region) if activity.region else "",
        "audience": [
            (Activity._meta.get_field(name).verbose_name, getattr(activity, name))  # type: ignore[union-attr]
            for name in AUDIENCE_FIELDS
        ],
        "partners": activity.partners.select_related("body"),
        "topics": activity.topics.all(),
        "may_manage": may_manage,
        "materials": reads.rows(request, activity.materials.all()) if may_manage else [],
        "suggestions": activity.suggestions.all() if may_manage else [],
    }
    return render(request, "engagement/activity_detail.html", context)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def material_create(request: HttpRequest, pk: int) -> HttpResponse:
    activity = policy.get_activity_for_user(request, pk, Perm.ENGAGEMENT_MANAGE)
    form = MaterialForm(form_data(request), files(request))
    if request.method == "POST" and form.is_valid():
        actions.add_material(
            acting_user=acting_user(request), activity=activity, upload=form.cleaned_data["file"]
        )
        messages.success(request, _("Material stored, sealed."))
        return redirect("engagement:activity_detail", pk=activity.pk)
    back = reverse("engagement:activity_detail", args=[activity.pk])
    return form_page(request, form, title=_("Add material"), back=back, multipart=True)


@require_GET
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def material_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    material = policy.get_engagement_item_for_user(request, Material, pk)
    return sealed_download(request, material, f"material-{material.pk}")
