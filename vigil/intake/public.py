"""The reporter's side: no account, no JavaScript needed, nothing logged.

Drafts live in a cookie box (encrypted in the session under a key held only
by her browser), so the back button, a dropped connection or a refused
submission never loses what she wrote, and a copy of the database does not
reveal an unsent draft either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.forms.renderers import Jinja2
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from vigil.accounts.models import Organisation
from vigil.cases import consent as consent_ladder
from vigil.incidents import evidence, regions
from vigil.intake import abuse, actions, choices, reads, receipts
from vigil.intake.forms import (
    STEP_NAMES,
    STEPS,
    ReceiptForm,
    ReplyForm,
    ReviewForm,
    SavedForm,
    WhenWhereForm,
    to_draft,
)
from vigil.intake.models import Submission
from vigil.lib import langswitch, languages
from vigil.vault import cookiebox

DRAFT = "report_draft"
DRAFT_COOKIE = "vigil_draft"
MAILBOX = "report_mailbox"
MAILBOX_COOKIE = "vigil_mailbox"


class PublicFormRenderer(Jinja2):
    """Django's Jinja2 widget templates, with their includes written out.

    The widgets of a step page were about 70 % of its CPU with Django's
    template language, half that with Django's Jinja2 widget templates, and
    half again without their includes (each include is a new template context,
    and a select or a set of radios includes two templates per option). Same
    HTML: vigil/intake/widgets_jinja2/ holds the flattened copies, found before
    Django's own.
    """

    @cached_property
    def engine(self) -> Any:
        return self.backend(
            {
                "APP_DIRS": False,
                "DIRS": [WIDGET_TEMPLATES, Path(forms.__file__).parent / "jinja2"],
                "NAME": "publicforms",
                "OPTIONS": {},
            }
        )


WIDGET_TEMPLATES = Path(__file__).resolve().parent / "widgets_jinja2"
# One instance, so its template engine is built once per process.
PUBLIC_FORM_RENDERER = PublicFormRenderer()


def _draft(request: HttpRequest) -> dict[str, Any]:
    return cookiebox.get(request, DRAFT, DRAFT_COOKIE, None) or {}


def _save_draft(request: HttpRequest, draft: dict[str, Any]) -> None:
    cookiebox.put(request, DRAFT, DRAFT_COOKIE, draft)


# Every public page of a report needs the organisation (name, country, public
# texts, offered languages). It is read from the cache for a minute, dropped there
# whenever the organisation or its key is saved (vigil/intake/apps.py); with a
# per-process cache another worker may show the old public texts for up to that
# minute. The report itself is always sealed to the key read fresh in actions.submit.
ORGANISATION_CACHE_SECONDS = 60


def organisation_cache_key(slug: str) -> str:
    return f"intake:public-organisation:{slug}"


def _cached_organisation(slug: str) -> Organisation | None:
    cache_key = organisation_cache_key(slug)
    organisation: Organisation | None = cache.get(cache_key)
    if organisation is None:
        organisation = Organisation.objects.filter(slug=slug, key__isnull=False).first()
        if organisation is not None:
            cache.set(cache_key, organisation, ORGANISATION_CACHE_SECONDS)
    return organisation


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    """The organisation of a public page; the page speaks one of the languages it offers."""
    organisation = _cached_organisation(slug)
    if organisation is None:
        raise Http404
    languages.use_offered(request, organisation)
    return organisation


def _public(organisation: Organisation, field: str) -> str:
    """Per-organisation public text in the current language (settings JSON)."""
    from django.utils.translation import get_language

    values = (organisation.settings or {}).get("public", {}).get(field, {})
    if isinstance(values, str):
        return values
    return values.get((get_language() or "en")[:2]) or values.get("en", "")


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    # The public pages are Jinja2 templates (vigil/lib/jinja.py says why).
    return render(request, f"intake/{template}", context, status=status, using="public")


@require_http_methods(["GET"])
def choose(request: HttpRequest) -> HttpResponse:
    """Pick an organisation by country and city."""
    organisations = Organisation.objects.filter(key__isnull=False).order_by(
        "country", "city", "name"
    )
    country = request.GET.get("country", "")
    if country:
        organisations = organisations.filter(country=country)
    countries = sorted({o.country for o in Organisation.objects.filter(key__isnull=False)})
    return _render(
        request,
        "choose.html",
        {"organisations": organisations, "countries": countries, "country": country},
    )


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    draft = _draft(request)
    if request.method == "POST":
        if draft.get("org") != slug:
            draft = {"org": slug, "started": abuse.start_token(), "data": {}}
            _save_draft(request, draft)
        return redirect("intake:step", slug=slug, step=STEP_NAMES[0])
    context = {
        "organisation": organisation,
        "intro": _public(organisation, "intro"),
        "hotline": _public(organisation, "hotline"),
        "hours": _public(organisation, "hours"),
        "has_draft": draft.get("org") == slug and bool(draft.get("data")),
    }
    return _render(request, "start.html", context)


def _step_form(step: str, organisation: Organisation, data: Any = None, initial: Any = None) -> Any:
    form_class = dict((name, form) for name, form, _label in STEPS)[step]
    kwargs: dict[str, Any] = {
        "data": data,
        "initial": initial,
        "prefix": None,
        "renderer": PUBLIC_FORM_RENDERER,
    }
    if form_class is WhenWhereForm:
        kwargs["country"] = organisation.country
    return form_class(**kwargs)


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    if step not in STEP_NAMES:
        raise Http404
    draft = _draft(request)
    if draft.get("org") != slug:
        return redirect("intake:start", slug=slug)
    index = STEP_NAMES.index(step)
    saved = draft["data"].get(step, {})
    language = langswitch.requested(request)
    if language:
        # Switching language mid-step: keep what was typed (valid or not) in the draft.
        draft["data"][step] = langswitch.typed_values(request) | {"_raw": True}
        _save_draft(request, draft)
        return langswitch.switch(redirect("intake:step", slug=slug, step=step), language)
    if request.method == "POST":
        form = _step_form(step, organisation, data=request.POST)
        if form.is_valid():
            draft["data"][step] = to_draft(form.cleaned_data)
            _save_draft(request, draft)
            if "back" in request.POST and index > 0:
                return redirect("intake:step", slug=slug, step=STEP_NAMES[index - 1])
            following = STEP_NAMES[index + 1] if index + 1 < len(STEP_NAMES) else None
            return (
                redirect("intake:step", slug=slug, step=following)
                if following
                else redirect("intake:review", slug=slug)
            )
        if "back" in request.POST and index > 0:
            # Going back never loses what was typed, even if it is not valid yet.
            draft["data"][step] = {
                k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"
            } | {"_raw": True}
            _save_draft(request, draft)
            return redirect("intake:step", slug=slug, step=STEP_NAMES[index - 1])
    else:
        form = _initial_form(step, organisation, saved)
    context = {
        "organisation": organisation,
        "form": form,
        "step": step,
        "step_number": index + 1,
        "step_count": len(STEP_NAMES) + 1,
        "step_label": STEPS[index][2],
        "is_first": index == 0,
        "what_choices": choices.WHAT if step == "what" else None,
        "switch_form": langswitch.FORM_ID,
    }
    return _render(request, "step.html", context)


def _initial_form(step: str, organisation: Organisation, saved: dict[str, Any]) -> Any:
    if saved.get("_raw"):
        # An unfinished step saved on "back": show it as typed, with its errors.
        data = {k: v if len(v) != 1 else v[0] for k, v in saved.items() if k != "_raw"}
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for key, value in data.items():
            query.setlist(key, value if isinstance(value, list) else [value])
        return _step_form(step, organisation, data=query)
    return _step_form(step, organisation, initial=saved)


def summary(report: dict[str, Any]) -> list[tuple[str, str]]:
    """Every answer of a (flat) report in her words: review page and triage."""
    what = when = who = help_ = consent = contact = report
    rows = [
        (
            _("What happened"),
            ", ".join(choices.label_of(choices.WHAT, k) for k in what.get("what", [])),
        ),
        (_("In your own words"), what.get("story", "")),
        (
            _("When"),
            when.get("date") or choices.label_of(choices.WHEN, when.get("when", ""))
            if when.get("when")
            else "",
        ),
        (_("Region"), regions.name(when["region"]) if when.get("region") else ""),
        (_("Where"), choices.label_of(choices.PLACES, when["place"]) if when.get("place") else ""),
        (_("Place details"), when.get("place_detail", "")),
        (_("Who did it"), choices.label_of(choices.WHO_KIND, who["who"]) if who.get("who") else ""),
        (_("How many were there"), str(who.get("how_many") or "")),
        (
            _("Uniform"),
            choices.label_of(choices.UNIFORM, who["uniform"]) if who.get("uniform") else "",
        ),
        (_("Badge number"), who.get("badge", "")),
        (_("Name or nickname"), who.get("name", "")),
        (_("Car number plate"), who.get("vehicle", "")),
        (_("Unit"), who.get("unit", "")),
        (_("Anything else about them"), who.get("description", "")),
        (
            _("Help you need"),
            ", ".join(choices.label_of(choices.NEEDS, k) for k in help_.get("needs", [])),
        ),
        (_("In danger right now"), _("yes") if help_.get("urgent") else ""),
        (
            _("Your choices"),
            "; ".join(
                choices.label_of(choices.CONSENTS + choices.LEGACY_CONSENTS, k)
                for k in consent.get("consents", [])
            ),
        ),
        (
            _("Warning others and the police"),
            consent_ladder.level_label(consent["consent_level"])
            if consent.get("consent_level")
            else "",
        ),
        (
            _("Contact"),
            " ".join(
                x
                for x in (
                    choices.label_of(choices.CONTACT_METHODS, contact["method"])
                    if contact.get("method")
                    else "",
                    contact.get("contact", ""),
                )
                if x
            ),
        ),
        (_("Safe times to contact"), contact.get("safe_times", "")),
    ]
    return [(label, str(value)) for label, value in rows if value]


def _report(data: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for name in STEP_NAMES:
        merged.update({k: v for k, v in data.get(name, {}).items() if k != "_raw"})
    return merged


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    draft = _draft(request)
    if _pending(request) is not None:
        # Stored already (the answer may have been lost in a crash): never twice.
        return redirect("intake:receipt")
    if draft.get("org") != slug:
        return redirect("intake:start", slug=slug)
    missing = [
        name for name in ("what",) if not draft["data"].get(name) or draft["data"][name].get("_raw")
    ]
    form = ReviewForm(
        request.POST if request.method == "POST" else None, renderer=PUBLIC_FORM_RENDERER
    )
    refusal = None
    if request.method == "POST" and form.is_valid() and not missing:
        refusal = abuse.submission_refusal(
            request, draft.get("started", ""), form.cleaned_data["website"]
        )
        if refusal is None:
            actions.submit(
                organisation,
                _report(draft["data"]),
                browser_key=cookiebox.key_for(request, DRAFT_COOKIE),
            )
            abuse.count_submission(request)
            cookiebox.drop(request, DRAFT)
            return redirect("intake:receipt")
    context = {
        "organisation": organisation,
        "form": form,
        "rows": summary(_report(draft["data"])),
        "urgent": bool(_report(draft["data"]).get("urgent")),
        "hotline": _public(organisation, "hotline"),
        "missing": missing,
        "refusal": refusal,
        "step_number": len(STEP_NAMES) + 1,
        "step_count": len(STEP_NAMES) + 1,
        "last_step": STEP_NAMES[-1],
    }
    return _render(request, "review.html", context, status=429 if refusal else 200)


def _pending(request: HttpRequest) -> dict[str, str] | None:
    key = cookiebox.key_of(request, DRAFT_COOKIE)
    return actions.pending_receipt(key) if key is not None else None


@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest) -> HttpResponse:
    """Shown until she confirms she saved it, then gone from the server.

    Read from the pending receipt stored with the report, so a reload, a
    dropped answer or a server restart still shows it.
    """
    held = _pending(request)
    key = cookiebox.key_of(request, DRAFT_COOKIE)
    if not held or key is None:
        return redirect("intake:mailbox_login")
    organisation = _organisation(request, str(held.get("org", "")))
    form = SavedForm(
        request.POST if request.method == "POST" else None, renderer=PUBLIC_FORM_RENDERER
    )
    if request.method == "POST" and form.is_valid():
        actions.confirm_receipt_saved(key, organisation)
        return _render(request, "thanks.html", {})
    context = {"receipt": receipts.grouped(held["receipt"]), "form": form}
    return _render(request, "receipt.html", context)


@require_http_methods(["GET", "POST"])
def mailbox_login(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    ticket = request.POST.get("ticket", "") if request.method == "POST" else ""
    if request.method == "POST" and form.is_valid():
        refusal = abuse.receipt_refusal(ticket)
        if refusal and not ticket:
            # Only a script posts without the page's ticket: the cheapest answer.
            return HttpResponse(refusal, status=429, content_type="text/plain; charset=utf-8")
        if refusal:
            context = {"form": form, "refusal": refusal, "ticket": abuse.receipt_ticket()}
            return _render(request, "mailbox_login.html", context, status=429)
        digits = receipts.normalise(form.cleaned_data["receipt"])
        opened = actions.open_mailbox(digits) if digits else None
        if opened is None:
            abuse.count_receipt_failure(ticket)
            form.add_error("receipt", _("We found no report with this code. Check the 16 digits."))
        else:
            submission, thread_key = opened
            abuse.count_receipt_success(ticket)
            request.session.cycle_key()
            cookiebox.put(
                request, MAILBOX, MAILBOX_COOKIE, {"id": submission.pk, "key": thread_key.hex()}
            )
            return redirect("intake:mailbox")
    # After a wrong code she keeps her ticket (and its wait); a first visit gets one.
    held = ticket if abuse.ticket_is_valid(ticket) else abuse.receipt_ticket()
    context = {"form": form, "ticket": held}
    return _render(request, "mailbox_login.html", context)


def _mailbox(request: HttpRequest) -> tuple[Submission, bytes] | None:
    held = cookiebox.get(request, MAILBOX, MAILBOX_COOKIE, None)
    if not held:
        return None
    submission = Submission.objects.filter(pk=held["id"]).select_related("organisation").first()
    if submission is None or not submission.receipt_wrapped_key:
        return None
    return submission, bytes.fromhex(held["key"])


STATUS_WORDS = {
    "new": gettext_lazy(
        "Your report has arrived. Nobody has read it yet; "
        "a caseworker usually reads reports within two working days."
    ),
    "accepted": gettext_lazy(
        "A caseworker has read your report and opened a case. Messages from her appear below."
    ),
    "merged": gettext_lazy(
        "A caseworker has read your report and added it to a case "
        "we already have about the same events."
    ),
    "rejected": gettext_lazy(
        "A caseworker has read your report and cannot take it further. "
        "The message below may explain why."
    ),
    "expired": gettext_lazy("This report has expired and was deleted."),
}


@require_http_methods(["GET", "POST"])
def mailbox(request: HttpRequest) -> HttpResponse:
    opened = _mailbox(request)
    if opened is None:
        return redirect("intake:mailbox_login")
    submission, thread_key = opened
    languages.use_offered(request, submission.organisation)
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.add_message(submission, thread_key, form.cleaned_data["body"])
        return redirect("intake:mailbox")
    thread = reads.reporter_thread(thread_key, submission)
    context = {
        "submission": submission,
        "status_words": STATUS_WORDS.get(submission.status, ""),
        "thread": thread,
        "form": form,
        "file_form": FileForm(),
        "files_added": _files_added(submission.attachments.count()),
        "organisation": submission.organisation,
    }
    return _render(request, "mailbox.html", context)


def _files_added(count: int) -> str:
    if not count:
        return ""
    return ngettext("You have added %(n)s file.", "You have added %(n)s files.", count) % {
        "n": count
    }


class FileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("A photo or a document"))


@csrf_exempt  # checked by _receive_file once our upload handler is in place
@require_POST
def mailbox_file(request: HttpRequest) -> HttpResponse:
    """Files are counted, encrypted while spooled, checked and stripped of metadata."""
    opened = _mailbox(request)
    if opened is None:
        return redirect("intake:mailbox_login")
    refusal = abuse.upload_refusal(request, actions.stored_bytes(opened[0]))
    if refusal:
        messages.error(request, refusal)  # the body is never read
        return redirect("intake:mailbox")
    handler = evidence.SpoolUploadHandler(request, settings.REPORT_MAX_BYTES)
    request.upload_handlers = [handler]
    return _receive_file(request, opened, handler)


@csrf_protect
def _receive_file(
    request: HttpRequest, opened: tuple[Submission, bytes], handler: Any
) -> HttpResponse:
    submission, thread_key = opened
    form = FileForm(request.POST, request.FILES)
    if handler.too_large:
        messages.error(
            request,
            _("This file is too large. The limit is %(limit)s.")
            % {"limit": filesizeformat(settings.REPORT_MAX_BYTES)},
        )
    elif not form.is_valid():
        messages.error(request, _("Choose a file first."))
    else:
        try:
            actions.add_attachment(submission, thread_key, form.cleaned_data["file"])
        except evidence.Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your file was added. Thank you."))
    return redirect("intake:mailbox")


@require_POST
def mailbox_close(request: HttpRequest) -> HttpResponse:
    cookiebox.drop(request, MAILBOX)
    response = redirect("intake:choose")
    cookiebox.delete_cookie(response, MAILBOX_COOKIE)
    return response


def quick_exit(request: HttpRequest) -> HttpResponse:
    """Leave at once for a neutral site, leaving nothing behind on the phone.

    The session (draft, open mailbox) is destroyed on the server and the
    cookie keys are deleted, so someone who picks up the phone afterwards and
    presses "back" finds nothing. The only external address is in settings.
    """
    request.session.flush()
    response = HttpResponseRedirect(settings.QUICK_EXIT_URL)
    for cookie in (DRAFT_COOKIE, MAILBOX_COOKIE):
        cookiebox.delete_cookie(response, cookie)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


def reverse_step(slug: str, step: str) -> str:
    return reverse("intake:step", kwargs={"slug": slug, "step": step})
