"""The funnel page and its CSV/XLSX exports (numbers after disclosure control)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vigil import policy
from vigil.audit.log import record
from vigil.lib.views import acting_membership
from vigil.policy import Perm
from vigil.referrals import funnel
from vigil.referrals.charts import funnel_chart
from vigil.referrals.forms import FunnelForm
from vigil.stats import exports


def _computed(request: HttpRequest) -> tuple[FunnelForm, funnel.Funnel | None]:
    membership = acting_membership(request)
    programmes = policy.programmes_for(request, Perm.REFERRAL_FUNNEL)
    form = FunnelForm(request.GET or None, programmes=programmes)
    if form.is_bound and not form.is_valid():
        return form, None
    data: dict[str, Any] = form.cleaned_data if form.is_bound else {}
    programme = data.get("programme")
    filters = funnel.FunnelFilters(
        (membership.organisation_id,),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        programme_ids=(programme.pk,) if programme else None,
        route=data.get("route") or "",
    )
    by = (data["by"],) if data.get("by") else ()
    return form, funnel.funnel(filters, by)


@require_GET
@policy.staff_view(Perm.REFERRAL_FUNNEL)
def page(request: HttpRequest) -> HttpResponse:
    form, result = _computed(request)
    context = {
        "form": form,
        "funnel": result,
        "chart": funnel_chart(result.total) if result else None,
        "query": request.GET.urlencode(),
    }
    return render(request, "referrals/funnel.html", context, status=200 if result else 400)


def _export(request: HttpRequest, fmt: str) -> tuple[funnel.Funnel, str] | HttpResponse:
    form, result = _computed(request)
    if result is None:
        return render(request, "referrals/funnel.html", {"form": form}, status=400)
    record(
        request.user,
        "referral.funnel_export",
        organisation=acting_membership(request).organisation,
        format=fmt,
        by=list(result.by),
        period=[str(request.GET.get("date_from", "")), str(request.GET.get("date_to", ""))],
    )
    name = "-".join(["vigil-referral-funnel", *result.by]) + f".{fmt}"
    return result, name


def _attach(response: HttpResponse | StreamingHttpResponse | FileResponse, name: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"


@require_GET
@policy.staff_view(Perm.REFERRAL_FUNNEL)
def export_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    done = _export(request, "csv")
    if isinstance(done, HttpResponse):
        return done
    result, name = done
    response = StreamingHttpResponse(
        exports.csv_chunks(result.header(), result.records()),
        content_type="text/csv; charset=utf-8",
    )
    _attach(response, name)
    return response


@require_GET
@policy.staff_view(Perm.REFERRAL_FUNNEL)
def export_xlsx(request: HttpRequest) -> HttpResponse | FileResponse:
    done = _export(request, "xlsx")
    if isinstance(done, HttpResponse):
        return done
    result, name = done
    notes = [
        [_("Counting unit: referrals (one person referred once).")],
        [
            _("Counts from 1 to %(below)d are hidden, with complementary suppression.")
            % {"below": result.threshold - 1}
        ],
    ]
    handle = exports.xlsx_file(
        result.header(), result.records(), title=str(_("Referral funnel")), notes=notes
    )
    response = FileResponse(
        handle,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    _attach(response, name)
    return response
