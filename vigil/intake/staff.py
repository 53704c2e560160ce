"""Staff side of intake: hotline calls, the triage inbox, the public profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from vigil import policy
from vigil.accounts import stepup
from vigil.audit.log import record
from vigil.incidents import regions
from vigil.intake import actions, choices, reads, receipts
from vigil.intake.forms import STEPS, ReplyForm, WhenWhereForm, to_draft
from vigil.intake.models import Channel, RejectReason, SubmissionStatus
from vigil.intake.public import summary
from vigil.lib import languages
from vigil.lib.requests import StaffRequest
from vigil.policy import Perm
from vigil.vault import downloads
from vigil.vault.keys import VaultLocked


class CallerForm(forms.Form):
    keep_number = forms.BooleanField(
        label=gettext_lazy("The caller agrees that we keep her number"), required=False
    )
    caller_number = forms.CharField(
        label=gettext_lazy("Caller's number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("caller_number") and not data.get("keep_number"):
            self.add_error(
                "caller_number",
                _("Keep a number only if the caller agrees; tick the box or clear it."),
            )
        return data


def _hotline_forms(request: StaffRequest) -> list[tuple[str, forms.Form]]:
    data = request.POST if request.method == "POST" else None
    country = request.membership.organisation.country
    built = [
        (
            name,
            form(data, prefix=name, country=country)
            if form is WhenWhereForm
            else form(data, prefix=name),
        )
        for name, form, _label in STEPS
    ]
    return [*built, ("caller", CallerForm(data, prefix="caller"))]


@policy.staff_view(Perm.HOTLINE_INTAKE)
def hotline(request: StaffRequest) -> HttpResponse:
    """One page for an operator on the phone; creates the same kind of submission."""
    parts = _hotline_forms(request)
    if request.method == "POST" and all(form.is_valid() for _name, form in parts):
        report: dict[str, Any] = {}
        for name, form in parts:
            if name != "caller":
                report.update(to_draft(form.cleaned_data))
        caller = dict(parts)["caller"].cleaned_data
        if caller.get("keep_number") and caller.get("caller_number"):
            report.setdefault("method", "phone")
            report["contact"] = report.get("contact") or caller["caller_number"]
        created = actions.submit(
            request.membership.organisation,
            report,
            channel=Channel.HOTLINE,
            entered_by=request.user,
        )
        return render(
            request,
            "intake/hotline_done.html",
            {
                "submission": created.submission,
                "receipt": receipts.grouped(created.receipt),
            },
        )
    labels = {name: label for name, _form, label in STEPS}
    sections = [(labels.get(name, _("Caller")), form) for name, form in parts]
    return render(
        request, "intake/hotline.html", {"sections": sections, "what_choices": choices.WHAT}
    )


@policy.staff_view(Perm.TRIAGE)
def inbox(request: StaffRequest) -> HttpResponse:
    submissions = policy.submissions_for(request)
    # Danger first, then oldest first: nobody who said she is in danger waits behind a queue.
    new = list(
        submissions.filter(status=SubmissionStatus.NEW).order_by("-urgent", "created_at")[:200]
    )
    # The last few triaged, read backwards along (organisation, triaged_at):
    # never a sort of every report ever triaged.
    recent = list(
        submissions.filter(triaged_at__isnull=False)
        .exclude(status=SubmissionStatus.NEW)
        .select_related("triaged_by")
        .order_by("-triaged_at")[:20]
    )
    now = timezone.now()
    try:
        org_private = policy.org_private_key(request)
    except VaultLocked:
        org_private = None
    rows = [(s, now - s.created_at, _triage_facts(org_private, s)) for s in new]
    context = {"rows": rows, "recent": recent, "locked": org_private is None}
    return render(request, "intake/inbox.html", context)


def _triage_facts(org_private: bytes | None, submission: Any) -> dict[str, str] | None:
    """What she told us, enough to choose what to open first (None when locked)."""
    if org_private is None:
        return None
    thread_key = actions.staff_thread_key(org_private, submission)
    report = reads.report(thread_key, submission)
    return {
        "acts": ", ".join(choices.label_of(choices.WHAT, k) for k in report.get("what", [])),
        "region": regions.name(report["region"]) if report.get("region") else "",
        "who": choices.label_of(choices.WHO_KIND, report["who"]) if report.get("who") else "",
        "needs": ", ".join(choices.label_of(choices.NEEDS, k) for k in report.get("needs", [])),
        "contact": str(_("yes")) if report.get("method") else str(_("no")),
    }


def _opened(request: StaffRequest, pk: int) -> tuple[Any, bytes, dict[str, Any]]:
    submission = policy.get_submission_for_user(request, pk)
    thread_key = actions.staff_thread_key(policy.org_private_key(request), submission)
    return submission, thread_key, reads.report(thread_key, submission)


class MergeForm(forms.Form):
    event_number = forms.IntegerField(label=gettext_lazy("Incident number (E-…)"), min_value=1)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=RejectReason.choices)
    message = forms.CharField(
        label=gettext_lazy("Message to the reporter (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@policy.staff_view(Perm.TRIAGE)
def submission_detail(request: StaffRequest, pk: int) -> HttpResponse:
    submission, thread_key, report = _opened(request, pk)
    if request.method == "POST":
        return _reply(request, submission, thread_key)
    thread = reads.thread(thread_key, submission)
    context = {
        "submission": submission,
        "rows": summary(report),
        "urgent": report.get("urgent"),
        "thread": thread,
        "attachments": [(a, reads.file_name(thread_key, a)) for a in submission.attachments.all()],
        "reply_form": ReplyForm(),
        "merge_form": MergeForm(),
        "reject_form": RejectForm(),
        "is_new": submission.status == SubmissionStatus.NEW,
    }
    return render(request, "intake/submission.html", context)


def _reply(request: StaffRequest, submission: Any, thread_key: bytes) -> HttpResponse:
    form = ReplyForm(request.POST)
    if form.is_valid():
        actions.add_message(
            submission, thread_key, form.cleaned_data["body"], staff_user=request.user
        )
        messages.success(request, _("Message sent. She sees it when she opens her mailbox."))
    else:
        messages.error(request, _("Write a message first."))
    return redirect("intake:submission", pk=submission.pk)


@require_POST
@policy.staff_view(Perm.TRIAGE)
def accept(request: StaffRequest, pk: int) -> HttpResponse:
    submission = policy.get_submission_for_user(request, pk)
    try:
        case = actions.accept(request.user, policy.org_private_key(request), submission)
    except actions.TriageError:
        messages.error(request, _("This report was already triaged."))
        return redirect("intake:submission", pk=pk)
    messages.success(request, _("Accepted: an incident and a case were opened."))
    return redirect("cases:detail", pk=case.pk)


@require_POST
@policy.staff_view(Perm.TRIAGE)
def merge(request: StaffRequest, pk: int) -> HttpResponse:
    submission = policy.get_submission_for_user(request, pk)
    form = MergeForm(request.POST)
    event = None
    if form.is_valid():
        event = policy.events_for(request).filter(number=form.cleaned_data["event_number"]).first()
    if event is None:
        messages.error(request, _("No incident with this number in your organisation."))
        return redirect("intake:submission", pk=pk)
    try:
        actions.merge(request.user, policy.org_private_key(request), submission, event)
    except actions.TriageError:
        messages.error(request, _("This report was already triaged."))
        return redirect("intake:submission", pk=pk)
    messages.success(request, _("Merged into %(code)s.") % {"code": event.code})
    return redirect("intake:inbox")


@require_POST
@policy.staff_view(Perm.TRIAGE)
def reject(request: StaffRequest, pk: int) -> HttpResponse:
    submission, thread_key, _report = _opened(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason."))
        return redirect("intake:submission", pk=pk)
    try:
        actions.reject(request.user, submission, form.cleaned_data["reason"])
    except actions.TriageError:
        messages.error(request, _("This report was already triaged."))
        return redirect("intake:submission", pk=pk)
    if form.cleaned_data["message"]:
        actions.add_message(
            submission, thread_key, form.cleaned_data["message"], staff_user=request.user
        )
    messages.success(request, _("Report rejected."))
    return redirect("intake:inbox")


class PublicProfileForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for lang, name in settings.LANGUAGES:
            self.fields[f"intro_{lang}"] = forms.CharField(
                label=_("Introduction (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=3000,
            )
            self.fields[f"hours_{lang}"] = forms.CharField(
                label=_("Opening hours (%(language)s)") % {"language": name},
                required=False,
                max_length=200,
            )
        self.fields["hotline"] = forms.CharField(
            label=_("Hotline number"), required=False, max_length=60
        )


@policy.staff_view(Perm.PUBLIC_PROFILE)
@stepup.required()
def public_profile(request: StaffRequest) -> HttpResponse:
    organisation = request.membership.organisation
    current = (organisation.settings or {}).get("public", {})
    initial = {"hotline": current.get("hotline", "")}
    for lang in languages.codes():
        initial[f"intro_{lang}"] = current.get("intro", {}).get(lang, "")
        initial[f"hours_{lang}"] = current.get("hours", {}).get(lang, "")
    form = PublicProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        profile = {
            "hotline": data["hotline"],
            "intro": {lang: data[f"intro_{lang}"] for lang in languages.codes()},
            "hours": {lang: data[f"hours_{lang}"] for lang in languages.codes()},
        }
        actions.set_public_profile(request.user, organisation, profile)
        stepup.announce(request, "public_page")
        messages.success(request, _("The public page is updated."))
        return redirect("intake:public_profile")
    return render(
        request, "intake/public_profile.html", {"form": form, "organisation": organisation}
    )


class PublicLanguagesForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages of the public report pages"),
        help_text=gettext_lazy(
            "A woman who reports to you can read the pages in these languages. "
            "With every language ticked, a language Vigil adds later is offered too."
        ),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Offer at least one language.")},
    )


@policy.staff_view(Perm.PUBLIC_PROFILE)
@stepup.required()
def public_languages(request: StaffRequest) -> HttpResponse:
    organisation = request.membership.organisation
    form = PublicLanguagesForm(
        request.POST if request.method == "POST" else None,
        initial={"languages": languages.offered(organisation)},
    )
    if request.method == "POST" and form.is_valid():
        chosen = actions.set_public_languages(
            request.user, organisation, form.cleaned_data["languages"]
        )
        stepup.announce(request, "public_page", ", ".join(chosen))
        messages.success(request, _("The languages of the public pages are updated."))
        return redirect("intake:public_languages")
    return render(
        request, "intake/public_languages.html", {"form": form, "organisation": organisation}
    )


@require_GET
@policy.staff_view(Perm.TRIAGE)
def attachment(request: StaffRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    submission, thread_key, _report = _opened(request, pk)
    item = submission.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404
    name = reads.file_name(thread_key, item) or f"{item.pk}"
    stored = downloads.StoredDownload(
        chunks=lambda: reads.attachment_chunks(thread_key, item),
        sha256=item.sha256,
        size=item.size,
        content_type=item.content_type,
        filename=name,
    )
    user, organisation = request.user, submission.organisation
    return downloads.respond(
        request,
        stored,
        record_download=lambda: record(
            user, "attachment.download", organisation=organisation, target=item
        ),
        record_damaged=lambda: downloads.record_file_event(
            user, "file.damaged", organisation=organisation, target=item, kind="attachment"
        ),
    )
