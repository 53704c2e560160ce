"""Statistics dashboard, exports and network settings.

Every number on these pages comes from ``aggregate`` (already through
disclosure control); no view touches an incident, person or case row.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vigil import policy
from vigil.accounts.models import Membership
from vigil.lib.requests import StaffRequest
from vigil.policy import Perm
from vigil.stats import access, actions, aggregate, charts, exports, regionmap, views_network
from vigil.stats.aggregate import Dim, Filters, Group, SafeTable, Scope, Unit
from vigil.stats.forms import CrossReportForm, ExportForm, StatsFilterForm
from vigil.stats.models import CrossReport, Network, NetworkShare


def _network_id(request: StaffRequest) -> int | None:
    value = request.GET.get("network", "")
    return int(value) if value.isdigit() else None


def _form_options(request: StaffRequest, scope: Scope) -> dict[str, Any]:
    """Organisation scope: its local terms and its country's regions. Network: shared
    terms and every country."""
    if scope.is_network:
        return {"organisation_id": None, "countries": None}
    organisation = request.membership.organisation
    return {"organisation_id": organisation.pk, "countries": [organisation.country]}


def _chart(title: str, table: SafeTable, kind: str = "bars") -> dict[str, Any]:
    chart = charts.column_chart(table) if kind == "columns" else charts.bar_chart(table)
    return {"title": title, "table": table, "kind": kind, "chart": chart}


def _figures(
    scope: Scope, filters: Filters, unit: Unit, depth: int | None, countries: list[str]
) -> dict[str, Any]:
    def one(dim: Dim, counted: Unit = unit) -> SafeTable:
        return aggregate.table(scope, counted, Group(dim, depth), None, filters)

    with aggregate.shared_totals():  # the key figures' totals serve every table below
        key_figures = aggregate.key_figures(scope, filters)
        response = aggregate.response_figures(scope, filters)
        by_region = one(Dim.REGION, Unit.INCIDENTS)
        return {
            "region_maps": regionmap.maps_for(
                by_region, countries or regionmap.countries_in(by_region)
            ),
            "key_figures": [(u.label, value) for u, value in key_figures.items()],
            "charts": [
                _chart(_("Trend by month"), one(Dim.MONTH), "columns"),
                _chart(_("Act types"), one(Dim.ACT_TYPE)),
                _chart(_("Perpetrator types"), one(Dim.PERPETRATOR_TYPE)),
                _chart(_("Regions"), one(Dim.REGION)),
            ],
            "response": response,
            "response_charts": [
                _chart(_("Time to first contact"), response.contact_bands),
                _chart(_("Legal support"), response.legal),
                _chart(_("Responses by type"), one(Dim.INTERVENTION_TYPE, Unit.INCIDENTS)),
                _chart(_("Case outcomes"), one(Dim.CASE_OUTCOME, Unit.INCIDENTS)),
            ],
        }


@require_GET
@policy.staff_view(Perm.STATS_VIEW)
def dashboard(request: StaffRequest) -> HttpResponse:
    membership: Membership = request.membership
    scope = access.scope_for(request, _network_id(request))
    context: dict[str, Any] = {
        "scope": scope,
        "networks": list(access.networks_for(membership)),
        "can_export": access.can_export(membership),
        "threshold": aggregate.disclosure.min_cell(),
    }
    if scope is None:
        return render(request, "stats/dashboard.html", context)
    form = StatsFilterForm(request.GET or None, **_form_options(request, scope))
    export_form = ExportForm(**_form_options(request, scope))
    context.update(
        {
            "form": form,
            "export_form": export_form,
            "unit": form.chosen_unit(),
            "query": request.GET.urlencode(),
            "organisations": len(scope.organisation_ids),
        }
    )
    if not form.is_bound or form.is_valid():
        countries = [] if scope.is_network else [membership.organisation.country]
        context.update(
            _figures(scope, form.filters(), form.chosen_unit(), form.chosen_depth(), countries)
        )
        context["alert_figures"] = _alert_figures(scope, form.filters())
    return render(request, "stats/dashboard.html", context)


def _alert_figures(scope: Scope, filters: Filters) -> Any:
    from vigil.alerts.figures import figures

    return figures(scope.organisation_ids, filters.date_from, filters.date_to)


# --- exports ------------------------------------------------------------------------------


def _export_table(request: StaffRequest) -> tuple[Scope, ExportForm, SafeTable] | HttpResponse:
    scope = access.scope_for(request, _network_id(request))
    if scope is None:
        raise Http404
    form = ExportForm(request.GET or None, **_form_options(request, scope))
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "stats/export_invalid.html",
            {"form": form},
            status=400,
        )
    rows, columns = form.groups()
    table = aggregate.table(scope, form.chosen_unit(), rows, columns, form.filters())
    return scope, form, table


def _file_name(table: SafeTable, extension: str) -> str:
    parts = ["vigil-statistics", table.unit.value, table.row_name]
    if table.is_2d:
        parts.append(table.column_name)
    parts.append(timezone.now().strftime("%Y-%m"))
    return "-".join(parts) + "." + extension


def _audit(
    request: StaffRequest, scope: Scope, form: ExportForm, table: SafeTable, fmt: str
) -> None:
    actions.record_export(
        request.user,
        request.membership,
        file_format=fmt,
        scope=scope.describe(),
        unit=table.unit.value,
        rows=table.row_name,
        columns=table.column_name,
        filters=form.filters().as_audit(),
        row_count=table.record_count,
    )


def _notes(scope: Scope, table: SafeTable, filters: Filters) -> list[list[Any]]:
    audit = filters.as_audit()
    return [
        [_("Scope"), scope.label],
        [_("Organisations combined"), len(scope.organisation_ids)],
        [_("Counting unit"), table.unit.label],
        [_("Rows"), table.row_title],
        [_("Columns"), table.column_title or "—"],
        [_("Filters"), "; ".join(f"{k}={v}" for k, v in sorted(audit.items())) or "—"],
        [
            _("Counted"),
            _("Recorded incidents whose victims consented to anonymised statistics."),
        ],
        [
            _("Hidden values"),
            _(
                "%(mark)s: a count from 1 to %(below)d, or a count hidden so that totals "
                "cannot reveal one. Zero is shown as 0."
            )
            % {"mark": exports.HIDDEN, "below": table.threshold - 1},
        ],
        [_("Dates"), _("By month at most; places by region at most.")],
        [_("Generated"), datetime.date.today().strftime("%Y-%m")],
    ]


def _attachment(response: HttpResponse | StreamingHttpResponse, name: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"


@require_GET
@policy.staff_view(Perm.STATS_EXPORT)
def export_csv(request: StaffRequest) -> HttpResponse | StreamingHttpResponse:
    result = _export_table(request)
    if isinstance(result, HttpResponse):
        return result
    scope, form, table = result
    _audit(request, scope, form, table, "csv")
    response = StreamingHttpResponse(
        exports.csv_chunks(table.header(), table.records()), content_type="text/csv; charset=utf-8"
    )
    _attachment(response, _file_name(table, "csv"))
    return response


@require_GET
@policy.staff_view(Perm.STATS_EXPORT)
def export_xlsx(request: StaffRequest) -> HttpResponse | FileResponse:
    result = _export_table(request)
    if isinstance(result, HttpResponse):
        return result
    scope, form, table = result
    _audit(request, scope, form, table, "xlsx")
    handle = exports.xlsx_file(
        table.header(),
        table.records(),
        title=str(_("Statistics")),
        notes=_notes(scope, table, form.filters()),
    )
    response = FileResponse(
        handle,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    _attachment(response, _file_name(table, "xlsx"))
    return response


# --- network settings ------------------------------------------------------------------------


def _share_rows(membership: Membership) -> list[tuple[Network, bool]]:
    opted = set(
        NetworkShare.objects.filter(
            organisation_id=membership.organisation_id, opted_in=True
        ).values_list("network_id", flat=True)
    )
    networks = actions.member_networks(membership.organisation_id).select_related("host")
    return [(n, n.pk in opted) for n in networks.order_by("name")]


def _post_share(request: StaffRequest, membership: Membership) -> None:
    value = request.POST.get("network", "")
    networks = actions.member_networks(membership.organisation_id)
    network = networks.filter(pk=int(value)).first() if value.isdigit() else None
    if network is None:  # not a member: as if it did not exist
        raise Http404
    opt_in = request.POST.get("action") == "opt_in"
    actions.set_network_share(request.user, membership, network, opt_in)
    if opt_in:
        messages.success(request, _("Your organisation now shares aggregates with this network."))
    else:
        messages.success(request, _("Your organisation no longer shares aggregates."))


def _post_mark(request: StaffRequest, membership: Membership, form: CrossReportForm) -> bool:
    if not form.is_valid():
        return False
    event = (
        policy.events_for(request, Perm.INCIDENT_VIEW)
        .filter(number=form.cleaned_data["number"])
        .first()
    )
    if event is None:
        form.add_error("number", _("No incident of your organisation has this number."))
        return False
    actions.mark_cross_report(
        request.user,
        membership,
        event,
        form.cleaned_data["reference"],
    )
    messages.success(
        request, _("Incident %(code)s marked as cross-reported.") % {"code": event.code}
    )
    return True


def _post_unmark(request: StaffRequest, membership: Membership) -> None:
    value = request.POST.get("cross_report", "")
    events = policy.events_for(request, Perm.INCIDENT_VIEW)
    row = (
        CrossReport.objects.filter(pk=int(value), event__in=events).select_related("event").first()
        if value.isdigit()
        else None
    )
    if row is None:
        raise Http404
    actions.clear_cross_report(request.user, membership, row)
    messages.success(request, _("Cross-report mark removed."))


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.NETWORK_SHARING)
def network_settings(request: StaffRequest) -> HttpResponse:
    membership: Membership = request.membership
    form = CrossReportForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action in {"opt_in", "opt_out"}:
            _post_share(request, membership)
            return redirect("stats:network_settings")
        if action == "unmark":
            _post_unmark(request, membership)
            return redirect("stats:network_settings")
        if action != "mark":
            raise Http404
        form = CrossReportForm(request.POST)
        if _post_mark(request, membership, form):
            return redirect("stats:network_settings")
    marked = (
        CrossReport.objects.filter(event__in=policy.events_for(request, Perm.INCIDENT_VIEW))
        .select_related("event")
        .order_by("-marked_at")
    )
    context = {
        "shares": _share_rows(membership),
        "form": form,
        "marked": marked,
        **views_network.membership_context(membership),
    }
    return render(request, "stats/network_settings.html", context)
