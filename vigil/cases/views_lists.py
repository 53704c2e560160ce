"""The case list: filtered, paginated, a fixed number of queries per page.

Case content (notes, plan) is sealed and not shown here; the list shows only
clear fields: code, the client's pseudonym, status, dates, assignees, counts
and the regions of the linked incidents.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render

from vigil import policy
from vigil.cases.models import Case
from vigil.incidents import filters, regions
from vigil.incidents.views_lists import object_url
from vigil.lib.requests import StaffRequest
from vigil.policy import Perm


@dataclass
class CaseRow:
    case: Case
    url: str
    region_names: list[str]


def case_row(case: Case) -> CaseRow:
    codes = sorted({e.region for e in case.incidents.all() if e.region})
    return CaseRow(case, object_url("cases:detail", case.pk), [regions.name(c) for c in codes])


@policy.staff_view(Perm.CASE_VIEW)
def case_list(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    form = filters.CaseFilterForm(request.GET or None, membership=membership)
    cases = filters.filter_cases(policy.cases_for(request), form.values(), request.user)
    page = filters.paginate(cases, filters.CASE_ORDER, request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": [case_row(case) for case in filters.case_rows(cases, page)],
        "query": form.query_string(),
    }
    return render(request, "cases/list.html", context)
