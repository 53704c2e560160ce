"""Term lists: every member reads them; a coordinator manages her organisation's local terms."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vigil import policy
from vigil.lib.requests import StaffRequest
from vigil.lib.views import form_data
from vigil.policy import Perm
from vigil.vocab import actions
from vigil.vocab.forms import LocalTermForm, TermTextsForm, tree_order
from vigil.vocab.models import LANGS, Term, TermList

terms_for = policy.terms_for
get_local_term_for_coordinator = policy.get_local_term_for_coordinator


def _list_name(term_list: str) -> str:
    if term_list not in TermList.values:
        raise Http404
    return str(TermList(term_list).label)


# --- views ----------------------------------------------------------------------------


@policy.staff_view(Perm.HOME)
def index(request: StaffRequest) -> HttpResponse:
    counts = {
        row["list"]: row
        for row in terms_for(request)
        .order_by()
        .values("list")
        .annotate(
            total=Count("id"),
            active=Count("id", filter=Q(is_active=True)),
            local=Count("id", filter=Q(organisation__isnull=False)),
        )
    }
    empty = {"total": 0, "active": 0, "local": 0}
    rows = [
        {"slug": value, "name": name, **{k: counts.get(value, empty)[k] for k in empty}}
        for value, name in TermList.choices
    ]
    context = {"rows": rows, "can_manage": _can_manage(request)}
    return render(request, "vocab/index.html", context)


@policy.staff_view(Perm.HOME)
def term_list(request: StaffRequest, term_list: str) -> HttpResponse:
    name = _list_name(term_list)
    terms = tree_order(terms_for(request).filter(list=term_list))
    # Each label with its language, so the page marks it (lang="en" ...) for screen readers.
    rows = [(term, [(lang, term.labels.get(lang, "")) for lang in LANGS]) for term in terms]
    context = {
        "term_list": term_list,
        "name": name,
        "rows": rows,
        "languages": [get_language_info(lang)["name_local"] for lang in LANGS],
        "can_manage": _can_manage(request),
    }
    return render(request, "vocab/term_list.html", context)


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.MANAGE_VOCAB)
def add(request: StaffRequest, term_list: str) -> HttpResponse:
    name = _list_name(term_list)
    membership = request.membership
    form = LocalTermForm(term_list, membership.organisation_id, form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            term = actions.add_local_term(
                request.user,
                membership.organisation,
                term_list,
                labels=form.labels(),
                help_texts=form.help_texts(),
                parent=form.cleaned_data["parent"],
            )
        except actions.VocabError:
            form.add_error("parent", _("A term cannot be added at this depth of the list."))
        else:
            messages.success(request, _("Term added with code %(code)s.") % {"code": term.code})
            return redirect(_term_anchor(term))
    context = {"form": form, "term_list": term_list, "name": name}
    return render(request, "vocab/term_add.html", context)


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.MANAGE_VOCAB)
def edit(request: StaffRequest, pk: int) -> HttpResponse:
    term = get_local_term_for_coordinator(request, pk)
    if request.method == "POST" and request.POST.get("set_active") in {"0", "1"}:
        return _set_active(request, term, request.POST["set_active"] == "1")
    form = TermTextsForm(form_data(request), initial=TermTextsForm.initial_for(term))
    if request.method == "POST" and form.is_valid():
        actions.update_local_term(
            request.user,
            term,
            labels=form.labels(),
            help_texts=form.help_texts(),
        )
        messages.success(request, _("Term saved. Its code stays %(code)s.") % {"code": term.code})
        return redirect(_term_anchor(term))
    context = {"form": form, "term": term, "name": _list_name(term.list)}
    return render(request, "vocab/term_edit.html", context)


def _set_active(request: StaffRequest, term: Term, active: bool) -> HttpResponse:
    actions.set_term_active(request.user, term, active)
    if active:
        messages.success(request, _("Term reactivated: it is offered again in forms."))
    else:
        messages.success(
            request, _("Term deactivated: it is no longer offered; existing records keep it.")
        )
    return redirect("vocab:edit", pk=term.pk)


def _can_manage(request: StaffRequest) -> bool:
    return policy.can(request.membership, Perm.MANAGE_VOCAB)


def _term_anchor(term: Term) -> str:
    return reverse("vocab:list", args=[term.list]) + f"#term-{term.pk}"
