"""Police sharing: the anonymised digest and the register of requests to link a report."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil import policy
from vigil.alerts import actions, digest, reads
from vigil.alerts.forms import AnswerForm, DecisionForm, DigestForm, LinkRequestForm
from vigil.lib.views import GET_POST, acting_membership, acting_user, form_data
from vigil.policy import Perm

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@require_http_methods(GET_POST)
@policy.staff_view(Perm.POLICE_DIGEST)
def digest_page(request: HttpRequest) -> HttpResponse:
    form = DigestForm(form_data(request))
    if request.method != "POST" or not form.is_valid():
        return render(request, "alerts/digest.html", {"form": form})
    organisation = acting_membership(request).organisation
    start, end = form.period()
    rows = digest.entries(organisation.pk, start, end)
    fmt = form.cleaned_data["file_format"]
    partner = form.cleaned_data["partner"]
    if fmt == "csv":
        data = digest.render_csv(rows)
    elif fmt == "pdf":
        data = digest.render_pdf(rows, partner, start, end)
    else:
        data = digest.render_docx(rows, partner, start, end)
    actions.record_digest(
        acting_user(request),
        organisation,
        file_format=fmt,
        incidents=len(rows),
        months=reads.months_between(start, end),
    )
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    name = f"digest-{start.strftime('%Y-%m')}-{end.strftime('%Y-%m')}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(GET_POST)
@policy.staff_view(Perm.POLICE_REQUESTS)
def request_list(request: HttpRequest) -> HttpResponse:
    organisation = acting_membership(request).organisation
    form = LinkRequestForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = actions.record_link_request(
            acting_user(request),
            organisation,
            partner=data["partner"],
            reference=data["reference"].strip().upper(),
            request_text=data["request_text"],
            received_at=data["received_at"],
            event_id=digest.find_event(organisation.pk, data["reference"]),
        )
        return redirect("alerts:police_request", pk=row.pk)
    rows = policy.link_requests_for(request).order_by("-number")[:200]
    return render(request, "alerts/requests.html", {"rows": rows, "form": form})


@require_GET
@policy.staff_view(Perm.POLICE_REQUESTS)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = policy.get_link_request_for_user(request, pk)
    data, _key = reads.link_request_content(request, row)
    context = {
        "row": row,
        "data": data,
        "decision_form": DecisionForm(),
        "answer_form": AnswerForm(),
    }
    return render(request, "alerts/request_detail.html", context)


@require_POST
@policy.staff_view(Perm.POLICE_REQUESTS)
def request_decision(request: HttpRequest, pk: int) -> HttpResponse:
    row = policy.get_link_request_for_user(request, pk)
    form = DecisionForm(request.POST)
    data, _key = reads.link_request_content(request, row)
    if not form.is_valid():
        messages.error(request, _("Choose her decision."))
    elif not data.get("event"):
        messages.error(request, _("No report matches this reference."))
    else:
        try:
            actions.record_link_decision(
                acting_user(request),
                row,
                granted=form.cleaned_data["decision"] == "granted",
                victims=reads.victims_of_event(request, int(data["event"])),
            )
        except actions.AlertError as exc:
            messages.error(request, str(exc))
    return redirect("alerts:police_request", pk=row.pk)


@require_POST
@policy.staff_view(Perm.POLICE_REQUESTS)
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    row = policy.get_link_request_for_user(request, pk)
    form = AnswerForm(request.POST)
    _data, key = reads.link_request_content(request, row)
    if not form.is_valid():
        messages.error(request, _("Write what was answered."))
    else:
        try:
            actions.answer_link_request(
                acting_user(request), row, key, answer=form.cleaned_data["answer"]
            )
        except actions.AlertError as exc:
            messages.error(request, str(exc))
    return redirect("alerts:police_request", pk=row.pk)
