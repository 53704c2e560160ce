"""Legal-action pages: a case's actions, drafting, filing with the consent check,
acknowledgement, the response and outcome, appeals, letters, and the agenda.

Objects come through ``complaints.access`` (which uses ``vigil.policy``); every
write goes through ``complaints.actions`` or ``cases.consent`` (transaction + audit).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vigil import policy
from vigil.accounts.models import User
from vigil.cases import consent
from vigil.cases.models import Case
from vigil.complaints import access, actions, letters, reads, transitions
from vigil.complaints import agenda as agenda_mod
from vigil.complaints.forms import (
    AcknowledgeForm,
    AppealForm,
    FileForm,
    LegalActionForm,
    LetterForm,
    OverrideForm,
    ResponseForm,
    ShareConsentForm,
    template_error_message,
)
from vigil.complaints.models import (
    ActionStatus,
    BodyType,
    LegalAction,
    LegalGround,
    LetterFormat,
    LetterLanguage,
    OversightBody,
)
from vigil.incidents.models import Act, Event
from vigil.lib.requests import StaffRequest
from vigil.lib.views import GET_POST, acting_membership, acting_user, form_data
from vigil.policy import Perm
from vigil.vault import downloads

AGENDA_PAGE_SIZE = 50


def _to_action(action: LegalAction) -> HttpResponse:
    return redirect("complaints:action_detail", pk=action.pk)


# --- choices offered in the forms ------------------------------------------------------------


def _countries(case: Case) -> set[str]:
    found = set(case.incidents.exclude(country="").values_list("country", flat=True))
    return found | {case.organisation.country, ""}


def _bodies(request: StaffRequest, case: Case) -> QuerySet[OversightBody]:
    return (
        access.bodies_for(request)
        .filter(is_active=True, country__in=_countries(case))
        .order_by("country", "body_type", "slug")
    )


def _acts(case: Case) -> QuerySet[Act]:
    return (
        Act.objects.filter(event__in=case.incidents.all())
        .select_related("event", "act_type", "victim")
        .order_by("event__number", "pk")
    )


def _grounds(case: Case) -> QuerySet[LegalGround]:
    return LegalGround.objects.filter(is_active=True, country__in=_countries(case))


def _lawyers(organisation_id: int) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__is_active=True,
            memberships__role__in=policy.roles_with(Perm.LEGAL_FILE),
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


def _action_form(request: StaffRequest, case: Case, **kwargs: Any) -> LegalActionForm:
    return LegalActionForm(
        form_data(request),
        bodies=_bodies(request, case),
        acts=_acts(case),
        grounds=_grounds(case),
        lawyers=_lawyers(case.organisation_id),
        **kwargs,
    )


def _draft(form: LegalActionForm) -> actions.Draft:
    data = form.cleaned_data
    return actions.Draft(
        action_type=data["action_type"],
        body=data["body"],
        acts=list(data["acts"]),
        grounds=[*data["rights"], *data["provisions"]],
        lawyer=data["lawyer"],
        notes=data["notes"],
    )


# --- a case's legal actions ----------------------------------------------------------------------


@policy.staff_view(Perm.LEGAL_VIEW)
def case_actions(request: StaffRequest, pk: int) -> HttpResponse:
    case = access.get_case(request, pk)
    rows = (
        access.legal_actions_for(request)
        .filter(case=case)
        .select_related("body", "lawyer", "parent")
        .order_by("number")
    )
    context = {
        "case": case,
        "rows": rows,
        "today": timezone.localdate(),
        "can_draft": access.can(acting_membership(request), Perm.LEGAL_DRAFT),
    }
    return render(request, "complaints/case_actions.html", context)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.LEGAL_DRAFT)
def action_create(request: StaffRequest, pk: int) -> HttpResponse:
    case = access.get_case(request, pk, Perm.LEGAL_DRAFT)
    initial: dict[str, Any] = {}
    if policy.can(acting_membership(request), Perm.LEGAL_FILE):
        initial["lawyer"] = request.user.pk
    form = _action_form(request, case, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = actions.create_action(
            acting_user(request), case, policy.data_key(request, case), _draft(form)
        )
        messages.success(request, _("Draft %(code)s created.") % {"code": action.code})
        return _to_action(action)
    context = {"case": case, "form": form, "title": _("New legal action")}
    return render(request, "complaints/action_form.html", context)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.LEGAL_DRAFT)
def action_edit(request: StaffRequest, pk: int) -> HttpResponse:
    action = access.get_legal_action(request, pk, Perm.LEGAL_DRAFT)
    if action.status != ActionStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return _to_action(action)
    key = policy.data_key(request, action.case)
    sealed = reads.action_values(key, action)
    grounds = list(action.grounds.all())
    initial = {
        "action_type": action.action_type,
        "body": action.body_id,
        "acts": list(action.acts.values_list("pk", flat=True)),
        "rights": [g.pk for g in grounds if g.kind == "right"],
        "provisions": [g.pk for g in grounds if g.kind == "provision"],
        "lawyer": action.lawyer_id,
        "notes": sealed.get("notes", ""),
    }
    form = _action_form(request, action.case, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_draft(acting_user(request), action, key, _draft(form))
        messages.success(request, _("Draft saved."))
        return _to_action(action)
    context = {"case": action.case, "action": action, "form": form, "title": _("Edit the draft")}
    return render(request, "complaints/action_form.html", context)


def _ancestors(action: LegalAction) -> list[LegalAction]:
    chain: list[LegalAction] = []
    parent = action.parent
    while parent is not None and len(chain) < 20:
        chain.append(parent)
        parent = parent.parent
    return list(reversed(chain))


def _detail_context(request: StaffRequest, action: LegalAction) -> dict[str, Any]:
    membership = acting_membership(request)
    key = policy.data_key(request, action.case)
    sealed = reads.action_values(key, action)
    today = timezone.localdate()
    may_file = access.can(membership, Perm.LEGAL_FILE)
    basis = actions.consent_basis(action) if action.status == ActionStatus.DRAFT else None
    allowed = transitions.TRANSITIONS.get(action.status, frozenset())
    return {
        "case": action.case,
        "action": action,
        "sealed": sealed,
        "acts": list(
            action.acts.select_related("event", "act_type", "victim").order_by("event__number")
        ),
        "grounds": list(action.grounds.order_by("-kind", "order")),
        "outcomes": [o.get_outcome_display() for o in action.outcomes.all()],
        "history": list(action.history.select_related("by")),
        "letters": list(action.letters.select_related("created_by")),
        "appeals": list(action.appeals.select_related("body").order_by("number")),
        "ancestors": _ancestors(action),
        "overdue": action.awaiting_response and bool(action.due_date and action.due_date < today),
        "may_file": may_file,
        "may_draft": access.can(membership, Perm.LEGAL_DRAFT),
        "may_override": access.can(membership, Perm.OVERRIDE_CONSENT),
        "basis": basis,
        "identity_consented": actions.identity_consented(action),
        "can_acknowledge": may_file and action.status == ActionStatus.SUBMITTED,
        "can_respond": may_file and action.status != ActionStatus.DRAFT,
        "can_appeal": may_file and ActionStatus.APPEALED in allowed,
        "can_close": may_file and ActionStatus.CLOSED in allowed,
        "consent_form": ShareConsentForm(),
        "override_form": OverrideForm(),
        "letter_form": LetterForm(initial={"language": _letter_language(action)}),
    }


# The language a body reads by default (the lawyer can choose another): the state
# language where bodies work in it; Russian where they mostly still do (Kazakhstan,
# Kyrgyzstan, Belarus accept Kazakh, Kyrgyz, Belarusian letters too).
BODY_LANGUAGE = {"UA": "uk", "MD": "ro", "GE": "ka", "": "en"}


def _letter_language(action: LegalAction) -> str:
    return BODY_LANGUAGE.get(action.body.country, "ru")


@policy.staff_view(Perm.LEGAL_VIEW)
def action_detail(request: StaffRequest, pk: int) -> HttpResponse:
    action = access.get_legal_action(request, pk)
    return render(request, "complaints/action_detail.html", _detail_context(request, action))


# --- filing and consent ------------------------------------------------------------------------


def _refusal(action: LegalAction) -> str:
    return _(
        "Not filed: she has not agreed to share her identified case with “%(body)s”. "
        "Record her consent on this page, or ask a coordinator to override it with a reason."
    ) % {"body": action.body.name}


@require_http_methods(GET_POST)
@policy.staff_view(Perm.LEGAL_FILE)
def action_file(request: StaffRequest, pk: int) -> HttpResponse:
    action = access.get_legal_action(request, pk, Perm.LEGAL_FILE)
    if action.status != ActionStatus.DRAFT:
        messages.error(request, _("This action has already been filed."))
        return _to_action(action)
    if actions.consent_basis(action) is None:
        messages.error(request, _refusal(action))
        return _to_action(action)
    form = FileForm(form_data(request), initial={"submitted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            filed = actions.file_action(
                acting_user(request),
                action,
                policy.data_key(request, action.case),
                submitted_on=form.cleaned_data["submitted_on"],
                channel=form.cleaned_data["channel"],
                reference=form.cleaned_data["reference"],
            )
        except consent.ConsentMissing:
            messages.error(request, _refusal(action))  # withdrawn meanwhile
            return _to_action(action)
        except actions.TransitionError:
            messages.error(request, _("This action has already been filed."))
            return _to_action(action)
        if filed.due_date:
            messages.success(
                request,
                _("Filed. The response is due by %(date)s.")
                % {"date": filed.due_date.strftime("%d.%m.%Y")},
            )
        else:
            messages.success(request, _("Filed. This body has no statutory response period."))
        return _to_action(action)
    return _step_page(request, action, form, _("File this action"), "complaints:action_file")


def _step_page(
    request: StaffRequest, action: LegalAction, form: Any, title: str, url_name: str
) -> HttpResponse:
    context = {"case": action.case, "action": action, "form": form, "title": title}
    context["post_url"] = reverse(url_name, kwargs={"pk": action.pk})
    return render(request, "complaints/step_form.html", context)


@require_POST
@policy.staff_view(Perm.LEGAL_DRAFT)
def share_consent(request: StaffRequest, pk: int) -> HttpResponse:
    action = access.get_legal_action(request, pk, Perm.LEGAL_DRAFT)
    form = ShareConsentForm(request.POST)
    if form.is_valid():
        actions.record_share_consent(acting_user(request), action, form.granted)
        messages.success(request, _("Her decision has been recorded."))
    else:
        messages.error(request, _("Choose her decision."))
    return _to_action(action)


@require_POST
@policy.staff_view(Perm.OVERRIDE_CONSENT)
def override(request: StaffRequest, pk: int) -> HttpResponse:
    action = access.get_legal_action(request, pk, Perm.LEGAL_FILE)
    if action.status != ActionStatus.DRAFT or actions.consent_basis(action) is not None:
        messages.info(request, _("Nothing to override."))
        return _to_action(action)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, action)
        context["override_form"] = form
        return render(request, "complaints/action_detail.html", context, status=400)
    try:
        actions.override_consent(
            acting_user(request),
            acting_membership(request),
            action,
            policy.data_key(request, action.case),
            form.cleaned_data["reason"],
        )
    except PermissionError as exc:
        raise PermissionDenied from exc
    messages.warning(request, _("Override recorded. It is listed on the case page."))
    return _to_action(action)


# --- the rest of the pipeline -----------------------------------------------------------------


@require_http_methods(GET_POST)
@policy.staff_view(Perm.LEGAL_FILE)
def acknowledge(request: StaffRequest, pk: int) -> HttpResponse:
    action = access.get_legal_action(request, pk, Perm.LEGAL_FILE)
    if action.status != ActionStatus.SUBMITTED:
        messages.error(request, _("Only a submitted action can be acknowledged."))
        return _to_action(action)
    form = AcknowledgeForm(form_data(request), initial={"acknowledged_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        actions.acknowledge(
            acting_user(request),
            action,
            policy.data_key(request, action.case),
            on=form.cleaned_data["acknowledged_on"],
            reference=form.cleaned_data["reference"],
        )
        messages.success(request, _("Acknowledgement recorded."))
        return _to_action(action)
    return _step_page(request, action, form, _("Receipt acknowledged"), "complaints:acknowledge")


@require_http_methods(GET_POST)
@policy.staff_view(Perm.LEGAL_FILE)
def response(request: StaffRequest, pk: int) -> HttpResponse:
    action = access.get_legal_action(request, pk, Perm.LEGAL_FILE)
    if action.status == ActionStatus.DRAFT:
        messages.error(request, _("File the action before recording a response."))
        return _to_action(action)
    key = policy.data_key(request, action.case)
    initial = {
        "response": action.response or None,
        "response_on": action.response_on,
        "outcomes": list(action.outcomes.values_list("outcome", flat=True)),
        "summary": reads.action_values(key, action).get("response_summary", ""),
    }
    form = ResponseForm(form_data(request), initial=initial, submitted_on=action.submitted_on)
    if request.method == "POST" and form.is_valid():
        actions.record_response(
            acting_user(request),
            action,
            key,
            response=form.cleaned_data["response"],
            response_on=form.cleaned_data["response_on"],
            outcomes=form.cleaned_data["outcomes"],
            summary=form.cleaned_data["summary"],
        )
        messages.success(request, _("Response recorded."))
        return _to_action(action)
    return _step_page(request, action, form, _("The authority's response"), "complaints:response")


@require_http_methods(GET_POST)
@policy.staff_view(Perm.LEGAL_FILE)
def appeal(request: StaffRequest, pk: int) -> HttpResponse:
    action = access.get_legal_action(request, pk, Perm.LEGAL_FILE)
    if not transitions.allowed(action.status, ActionStatus.APPEALED):
        messages.error(request, _("This action cannot be appealed now."))
        return _to_action(action)
    form = AppealForm(
        form_data(request),
        bodies=_bodies(request, action.case),
        lawyers=_lawyers(action.organisation_id),
        initial={"lawyer": action.lawyer_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = actions.appeal(
            acting_user(request),
            action,
            policy.data_key(request, action.case),
            actions.Draft(
                action_type=data["action_type"],
                body=data["body"],
                acts=list(action.acts.all()),
                grounds=list(action.grounds.all()),
                lawyer=data["lawyer"],
            ),
        )
        messages.success(request, _("Appeal %(code)s opened as a draft.") % {"code": child.code})
        return _to_action(child)
    return _step_page(request, action, form, _("Appeal"), "complaints:appeal")


@require_POST
@policy.staff_view(Perm.LEGAL_FILE)
def close(request: StaffRequest, pk: int) -> HttpResponse:
    action = access.get_legal_action(request, pk, Perm.LEGAL_FILE)
    try:
        actions.close(acting_user(request), action)
    except actions.TransitionError:
        messages.error(request, _("This action is already closed."))
    else:
        messages.success(request, _("Action closed."))
    return _to_action(action)


# --- letters ------------------------------------------------------------------------------------


def _letter_input(request: StaffRequest, action: LegalAction, language: str) -> letters.LetterInput:
    case = action.case
    acts = list(action.acts.all())
    events = (
        Event.objects.filter(pk__in={a.event_id for a in acts}) if acts else case.incidents.all()
    )
    incidents = [
        reads.incident_facts(request, event)
        for event in events.select_related("place_type").order_by("start_date", "number")
    ]
    identified = actions.identity_consented(action)
    legal_name = (
        str(reads.record_values(request, case.client).get("legal_name") or "") if identified else ""
    )
    lawyer = action.lawyer or acting_user(request)
    return letters.LetterInput(
        action=action,
        language=language,
        victim_name=legal_name or case.client.pseudonym,
        identified=bool(legal_name),
        incidents=incidents,
        lawyer_name=lawyer.get_full_name() or lawyer.get_username(),
        lawyer_position=lawyer.position,
        today=timezone.localdate(),
    )


@require_POST
@policy.staff_view(Perm.LEGAL_DRAFT)
def generate_letter(request: StaffRequest, pk: int) -> HttpResponse:
    action = access.get_legal_action(request, pk, Perm.LEGAL_DRAFT)
    form = LetterForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, action)
        context["letter_form"] = form
        return render(request, "complaints/action_detail.html", context, status=400)
    language = form.cleaned_data["language"]
    data = _letter_input(request, action, language)
    values = letters.context(data)
    case_key = policy.data_key(request, action.case)
    # Render every format before storing any, so a failing template stores nothing.
    rendered: list[tuple[str, bytes, str]] = []
    for fmt in form.cleaned_data["formats"]:
        if fmt == LetterFormat.DOCX:
            chosen = letters.choose_template(
                action.organisation_id, action.body.body_type, language
            )
            try:
                rendered.append((fmt, letters.render_docx(chosen.content, values), chosen.sha256))
            except letters.LetterRenderError as exc:
                return _template_failed(request, action, language, chosen, exc)
        else:
            rendered.append((fmt, letters.render_pdf(values), ""))
    for fmt, content, template_sha in rendered:
        actions.store_letter(
            acting_user(request),
            action,
            case_key,
            format=fmt,
            language=language,
            content=content,
            identified=data.identified,
            template_sha256=template_sha,
        )
    messages.success(request, _("Letter generated. Download it below."))
    return redirect(reverse("complaints:action_detail", kwargs={"pk": action.pk}) + "#letters")


def _template_failed(
    request: StaffRequest,
    action: LegalAction,
    language: str,
    chosen: letters.ChosenTemplate,
    exc: letters.LetterRenderError,
) -> HttpResponse:
    """Name the template and where it fails; the letter is not stored."""
    owner = _("your organisation's template") if chosen.custom else _("the shared template")
    name = f"{BodyType(action.body.body_type).label}, {LetterLanguage(language).label} ({owner})"
    messages.error(
        request,
        _("The letter template “%(template)s” cannot be used: %(problem)s")
        % {"template": name, "problem": template_error_message(exc)},
    )
    context = _detail_context(request, action)
    context["letter_form"] = LetterForm(request.POST)
    return render(request, "complaints/action_detail.html", context, status=400)


CONTENT_TYPES: dict[str, str] = {
    LetterFormat.DOCX: letters.DOCX_MIME,
    LetterFormat.PDF: "application/pdf",
}


@policy.staff_view(Perm.LEGAL_VIEW)
def download_letter(request: StaffRequest, pk: int) -> HttpResponseBase:
    letter = access.get_letter(request, pk)
    key = policy.data_key(request, letter.action.case)
    user = acting_user(request)
    stored = downloads.StoredDownload(
        chunks=lambda: reads.letter_chunks(key, letter),
        sha256=letter.sha256,
        size=letter.size,
        content_type=CONTENT_TYPES[letter.format],
        filename=letter.filename,
    )
    return downloads.respond(
        request,
        stored,
        record_download=lambda: actions.record_letter_download(user, letter),
        record_damaged=lambda: downloads.record_file_event(
            user,
            "file.damaged",
            organisation=letter.action.organisation,
            target=letter,
            kind="letter",
        ),
    )


# --- the agenda ---------------------------------------------------------------------------------


@policy.staff_view(Perm.LEGAL_AGENDA)
def agenda(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    page = Paginator(agenda_mod.rows(request, today), AGENDA_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "complaints/agenda.html", {"page": page, "today": today})
