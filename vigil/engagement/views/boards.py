"""Community boards per district: members (sealed), meetings, suggestions and answers."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vigil import policy
from vigil.engagement import actions, reads, transitions
from vigil.engagement.forms import AnswerForm, BoardForm, BoardMemberForm, MoveForm, SuggestionForm
from vigil.engagement.models import (
    BoardMember,
    CommunityBoard,
    Suggestion,
    SuggestionStatus,
)
from vigil.engagement.views.common import (
    GET_POST,
    acting_membership,
    acting_user,
    form_data,
    form_page,
)
from vigil.incidents import regions
from vigil.policy import Perm


@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def board_list(request: HttpRequest) -> HttpResponse:
    boards = [(b, regions.name(b.region)) for b in policy.boards_for(request)]
    return render(request, "engagement/board_list.html", {"boards": boards})


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def board_create(request: HttpRequest) -> HttpResponse:
    organisation = acting_membership(request).organisation
    form = BoardForm(form_data(request), country=organisation.country)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if policy.boards_for(request).filter(region=data["region"], district=data["district"]):
            form.add_error("district", _("This district already has a board."))
        else:
            board = actions.create_board(
                acting_user=acting_user(request),
                organisation=organisation,
                region=data["region"],
                district=data["district"],
            )
            messages.success(request, _("Board added."))
            return redirect("engagement:board_detail", pk=board.pk)
    return form_page(
        request, form, title=_("New community board"), back=reverse("engagement:board_list")
    )


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def board_edit(request: HttpRequest, pk: int) -> HttpResponse:
    board = policy.get_board_for_user(request, pk)
    initial = {"region": board.region, "district": board.district, "is_active": board.is_active}
    form = BoardForm(form_data(request), initial=initial, country=board.organisation.country)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_board(
            acting_user=acting_user(request),
            board=board,
            region=data["region"],
            district=data["district"],
            is_active=data["is_active"],
        )
        messages.success(request, _("Board saved."))
        return redirect("engagement:board_detail", pk=board.pk)
    back = reverse("engagement:board_detail", args=[board.pk])
    return form_page(request, form, title=_("Edit community board"), back=back)


@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    board: CommunityBoard = policy.get_board_for_user(request, pk)
    context = {
        "board": board,
        "region_name": regions.name(board.region),
        "members": reads.rows(request, board.members.all()),
        "meetings": board.meetings.order_by("-date"),
        "suggestions": board.suggestions.select_related("addressed_to__user"),
        "today": timezone.localdate(),
    }
    return render(request, "engagement/board_detail.html", context)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    board = policy.get_board_for_user(request, pk)
    form = BoardMemberForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_board_member(
            acting_user=acting_user(request),
            board=board,
            category=data["category"],
            sealed={k: data[k] for k in ("name", "contact", "notes")},
        )
        messages.success(request, _("Member added."))
        return redirect("engagement:board_detail", pk=board.pk)
    back = reverse("engagement:board_detail", args=[board.pk])
    return form_page(request, form, title=_("New board member"), back=back)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = policy.get_engagement_item_for_user(request, BoardMember, pk)
    key = policy.data_key(request, member)
    initial = {
        **reads.opened_with(key, member.sealed),
        "category": member.category,
        "is_active": member.is_active,
    }
    form = BoardMemberForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_board_member(
            acting_user=acting_user(request),
            member=member,
            key=key,
            category=data["category"],
            is_active=data["is_active"],
            sealed={k: data[k] for k in ("name", "contact", "notes")},
        )
        messages.success(request, _("Member saved."))
        return redirect("engagement:board_detail", pk=member.board_id)
    back = reverse("engagement:board_detail", args=[member.board_id])
    return form_page(request, form, title=_("Edit board member"), back=back)


# --- suggestions ---------------------------------------------------------------------------


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def suggestion_create(request: HttpRequest, pk: int) -> HttpResponse:
    board = policy.get_board_for_user(request, pk)
    form = SuggestionForm(
        form_data(request),
        initial={"submitted_on": timezone.localdate()},
        participants=policy.engagement_participants(board.organisation_id),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        suggestion = actions.submit_suggestion(
            acting_user=acting_user(request),
            board=board,
            text=data["text"],
            submitted_on=data["submitted_on"],
            due_date=data["due_date"],
            addressed_to=data["addressed_to"],
            notes=data["notes"],
        )
        messages.success(request, _("Suggestion %(code)s recorded.") % {"code": suggestion.code})
        return redirect("engagement:suggestion_detail", pk=suggestion.pk)
    back = reverse("engagement:board_detail", args=[board.pk])
    return form_page(request, form, title=_("New suggestion"), back=back)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def suggestion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = policy.get_suggestion_for_user(request, pk, Perm.ENGAGEMENT_MANAGE)
    key = policy.data_key(request, suggestion)
    initial = {
        "text": suggestion.text,
        "submitted_on": suggestion.submitted_on,
        "due_date": suggestion.due_date,
        "addressed_to": suggestion.addressed_to,
        **reads.opened_with(key, suggestion.sealed),
    }
    form = SuggestionForm(
        form_data(request),
        initial=initial,
        participants=policy.engagement_participants(suggestion.organisation_id),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_suggestion(
            acting_user=acting_user(request),
            suggestion=suggestion,
            key=key,
            text=data["text"],
            due_date=data["due_date"],
            addressed_to=data["addressed_to"],
            notes=data["notes"],
        )
        messages.success(request, _("Suggestion saved."))
        return redirect("engagement:suggestion_detail", pk=suggestion.pk)
    back = reverse("engagement:suggestion_detail", args=[suggestion.pk])
    return form_page(request, form, title=_("Edit %(code)s") % {"code": suggestion.code}, back=back)


@policy.staff_view(Perm.ENGAGEMENT_ANSWER)
def suggestion_list(request: HttpRequest) -> HttpResponse:
    suggestions = policy.suggestions_for(request).select_related("board")
    status = request.GET.get("status", "")
    if status in SuggestionStatus.values:
        suggestions = suggestions.filter(status=status)
    context = {
        "suggestions": suggestions.order_by("status", "due_date", "pk")[:200],
        "statuses": SuggestionStatus.choices,
        "status": status,
        "today": timezone.localdate(),
    }
    return render(request, "engagement/suggestion_list.html", context)


@policy.staff_view(Perm.ENGAGEMENT_ANSWER)
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion: Suggestion = policy.get_suggestion_for_user(request, pk)
    may_manage = policy.engagement_may(request, Perm.ENGAGEMENT_MANAGE)
    moves = sorted(transitions.SUGGESTION[suggestion.status] - {SuggestionStatus.ANSWERED})
    context = {
        "suggestion": suggestion,
        "may_manage": may_manage,
        "notes": reads.opened(request, suggestion).get("notes", "") if may_manage else "",
        "may_answer": suggestion.status == SuggestionStatus.SUBMITTED,
        "answer_form": AnswerForm(),
        "moves": [(m, SuggestionStatus(m).label) for m in moves] if may_manage else [],
        "history": suggestion.history.select_related("by"),
    }
    return render(request, "engagement/suggestion_detail.html", context)


@require_http_methods(GET_POST)
@policy.staff_view(Perm.ENGAGEMENT_ANSWER)
def suggestion_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The police liaison (or staff on her behalf) records the police answer."""
    suggestion = policy.get_suggestion_for_user(request, pk)
    form = AnswerForm(form_data(request))
    if suggestion.status != SuggestionStatus.SUBMITTED:
        messages.error(request, _("This suggestion has already been answered."))
        return redirect("engagement:suggestion_detail", pk=suggestion.pk)
    if request.method == "POST" and form.is_valid():
        actions.move_suggestion(
            acting_user=acting_user(request),
            suggestion=suggestion,
            to_status=SuggestionStatus.ANSWERED,
            answer=form.cleaned_data["answer"],
        )
        messages.success(request, _("Answer recorded."))
        return redirect("engagement:suggestion_detail", pk=suggestion.pk)
    back = reverse("engagement:suggestion_detail", args=[suggestion.pk])
    return form_page(
        request,
        form,
        title=_("Answer %(code)s") % {"code": suggestion.code},
        back=back,
        intro=suggestion.text,
    )


@require_POST
@policy.staff_view(Perm.ENGAGEMENT_MANAGE)
def suggestion_move(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = policy.get_suggestion_for_user(request, pk, Perm.ENGAGEMENT_MANAGE)
    form = MoveForm(request.POST)
    to_status = form.data.get("to_status", "")
    if to_status == SuggestionStatus.ANSWERED or not form.is_valid():
        return HttpResponseBadRequest()
    try:
        actions.move_suggestion(
            acting_user=acting_user(request), suggestion=suggestion, to_status=to_status
        )
    except actions.TransitionError:
        return HttpResponseBadRequest()
    messages.success(request, _("Status changed."))
    return redirect("engagement:suggestion_detail", pk=suggestion.pk)
