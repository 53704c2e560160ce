"""Staff pages of the alerts: the list, drafting from an incident or accepted report,
vetting by a second person, publishing, withdrawing, the sealed source link and sending.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil import policy
from vigil.alerts import actions, reads, transitions
from vigil.alerts.forms import AlertForm, ApproveForm, alert_initial
from vigil.alerts.models import Alert, AlertStatus, PeriodKind
from vigil.incidents.models import Event
from vigil.lib.views import GET_POST, acting_membership, acting_user, form_data
from vigil.policy import Perm


@require_GET
@policy.staff_view(Perm.ALERT_VIEW)
def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = (
        policy.alerts_for(request).select_related("author", "approved_by").order_by("-number")[:200]
    )
    return render(request, "alerts/list.html", {"alerts": alerts})


def _prefill(event: Event) -> dict[str, Any]:
    acts = list(event.acts.select_related("act_type").prefetch_related("methods"))
    perpetrator = event.perpetrators.select_related("perpetrator_type").first()
    return {
        "region": event.region,
        "day": event.start_date or event.created_at.date(),
        "perpetrator_type": perpetrator.perpetrator_type if perpetrator else None,
        "act_types": sorted({a.act_type for a in acts}, key=lambda t: t.pk),
        "methods": sorted({m for a in acts for m in a.methods.all()}, key=lambda t: t.pk),
    }


@require_POST
@policy.staff_view(Perm.ALERT_DRAFT)
def alert_new(request: HttpRequest) -> HttpResponse:
    """Start a draft from ``event`` (an incident) or ``submission`` (an accepted report)."""
    kind = "submission" if request.POST.get("submission") else "event"
    raw = request.POST.get(kind, "")
    number = request.POST.get("event_number", "").strip().removeprefix("E-").lstrip("0")
    if kind == "event" and number.isdigit():
        found = policy.events_for(request).filter(number=int(number)).first()
        raw = str(found.pk) if found is not None else ""
    if not raw.isdigit():
        raise Http404
    event = reads.source_event(request, kind, int(raw))
    try:
        new = actions.create_alert(
            acting_user(request),
            event.organisation,
            source_kind=kind,
            source_id=int(raw),
            period_kind=PeriodKind.MONTH,
            victims=list(reads.victims_of_event(request, event.pk)),
            **_prefill(event),
        )
    except actions.AlertError as exc:
        messages.error(request, str(exc))
        return redirect("incidents:detail", pk=event.pk)
    messages.success(request, _("Draft alert created. Write its description in every language."))
    return redirect("alerts:edit", pk=new.alert.pk)


@require_GET
@policy.staff_view(Perm.ALERT_VIEW)
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = policy.get_alert_for_user(request, pk)
    shown, _key = reads.content(request, alert)
    membership = acting_membership(request)
    context = {
        "alert": alert,
        "content": shown,
        "history": alert.history.select_related("changed_by"),
        "approve_form": ApproveForm(),
        "can_approve": policy.can_approve_alert(membership, alert.author_id),
        "can_edit": policy.can(membership, Perm.ALERT_DRAFT),
        "can_withdraw": policy.can(membership, Perm.ALERT_APPROVE)
        and transitions.allowed(alert.status, AlertStatus.WITHDRAWN),
        "can_send": policy.can(membership, Perm.ALERT_SEND),
        "dispatches": alert.dispatches.order_by("-pk")[:5],
        "act_types": list(alert.act_types.all()),
        "methods": list(alert.methods.all()),
    }
    return render(request, "alerts/detail.html", context)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ALERT_DRAFT)
def alert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    alert = policy.get_alert_for_user(request, pk, Perm.ALERT_DRAFT)
    if alert.status != AlertStatus.DRAFT:
        messages.error(request, _("Only a draft can be edited."))
        return redirect("alerts:detail", pk=alert.pk)
    shown, key = reads.content(request, alert)
    initial = {
        "region": alert.region,
        "period_kind": alert.period_kind,
        "day": alert.period_start,
        "risk": alert.risk,
        "valid_until": alert.valid_until,
        "perpetrator_type": alert.perpetrator_type,
        "act_types": list(alert.act_types.all()),
        "methods": list(alert.methods.all()),
        **alert_initial(shown.texts, shown.identifiers),
    }
    form = AlertForm(
        form_data(request),
        initial=initial,
        organisation_id=alert.organisation_id,
        country=alert.organisation.country,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_alert(
            acting_user(request),
            alert,
            key,
            texts=form.texts(),
            identifiers=form.identifiers(),
            act_types=list(data["act_types"]),
            methods=list(data["methods"]),
            region=data["region"],
            period_kind=data["period_kind"],
            day=data["day"],
            risk=data["risk"],
            valid_until=data["valid_until"],
            perpetrator_type=data["perpetrator_type"],
        )
        messages.success(request, _("Alert saved."))
        return redirect("alerts:detail", pk=alert.pk)
    return render(request, "alerts/edit.html", {"alert": alert, "form": form})


def _guarded(request: HttpRequest, alert: Alert, move: Any) -> HttpResponse:
    try:
        move()
    except actions.AlertError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Done: the alert is now %(status)s.") % {"status": alert.get_status_display()},
        )
    return redirect("alerts:detail", pk=alert.pk)


@require_POST
@policy.staff_view(Perm.ALERT_DRAFT)
def alert_submit(request: HttpRequest, pk: int) -> HttpResponse:
    alert = policy.get_alert_for_user(request, pk, Perm.ALERT_DRAFT)
    _shown, key = reads.content(request, alert)
    secrets = reads.secrets_of(request, alert)
    return _guarded(
        request, alert, lambda: actions.submit(acting_user(request), alert, key, secrets)
    )


@require_POST
@policy.staff_view(Perm.ALERT_APPROVE)
def alert_approve(request: HttpRequest, pk: int) -> HttpResponse:
    alert = policy.get_alert_for_user(request, pk, Perm.ALERT_APPROVE)
    membership = acting_membership(request)
    if not policy.can_approve_alert(membership, alert.author_id):
        messages.error(request, _("A second person must approve: not the author."))
        return redirect("alerts:detail", pk=alert.pk)
    form = ApproveForm(request.POST)
    form.is_valid()
    _shown, key = reads.content(request, alert)
    return _guarded(
        request,
        alert,
        lambda: actions.approve(
            acting_user(request),
            membership,
            alert,
            key,
            checklist=form.checklist(),
            police_reason=form.cleaned_data.get("police_reason", ""),
        ),
    )


@require_POST
@policy.staff_view(Perm.ALERT_APPROVE)
def alert_return(request: HttpRequest, pk: int) -> HttpResponse:
    alert = policy.get_alert_for_user(request, pk, Perm.ALERT_APPROVE)
    membership = acting_membership(request)
    if not policy.can_approve_alert(membership, alert.author_id):
        messages.error(request, _("A second person must review: not the author."))
        return redirect("alerts:detail", pk=alert.pk)
    return _guarded(
        request, alert, lambda: actions.return_to_draft(acting_user(request), membership, alert)
    )


@require_POST
@policy.staff_view(Perm.ALERT_DRAFT)
def alert_publish(request: HttpRequest, pk: int) -> HttpResponse:
    alert = policy.get_alert_for_user(request, pk, Perm.ALERT_DRAFT)
    _shown, key = reads.content(request, alert)
    return _guarded(request, alert, lambda: actions.publish(acting_user(request), alert, key))


@require_POST
@policy.staff_view(Perm.ALERT_APPROVE)
def alert_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    alert = policy.get_alert_for_user(request, pk, Perm.ALERT_APPROVE)
    return _guarded(
        request,
        alert,
        lambda: actions.withdraw(acting_user(request), acting_membership(request), alert),
    )


@require_GET
@policy.staff_view(Perm.ALERT_VIEW)
def alert_source(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow the sealed link to the source (audited); only the organisation can."""
    alert = policy.get_alert_for_user(request, pk)
    link = reads.source(request, alert)
    event = reads.source_event(request, link["kind"], int(link["id"]))
    actions.record_source_opened(acting_user(request), alert, link["kind"])
    return redirect("incidents:detail", pk=event.pk)


@require_POST
@policy.staff_view(Perm.ALERT_SEND)
def alert_send(request: HttpRequest, pk: int) -> HttpResponse:
    alert = policy.get_alert_for_user(request, pk, Perm.ALERT_SEND)
    if alert.status != AlertStatus.PUBLISHED:
        messages.error(request, _("Only a published alert is sent."))
        return redirect("alerts:detail", pk=alert.pk)
    recipients = reads.recipients(request, alert)  # unsealed here, with this session's key
    dispatch = actions.prepare_dispatch(acting_user(request), alert, recipients)
    return redirect("alerts:dispatch", pk=dispatch.pk)


@require_GET
@policy.staff_view(Perm.ALERT_SEND)
def dispatch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dispatch = policy.get_dispatch_for_user(request, pk)
    done = dispatch.sent + dispatch.failed
    percent = 100 if not dispatch.total else round(100 * done / dispatch.total)
    return render(request, "alerts/dispatch.html", {"dispatch": dispatch, "percent": percent})
