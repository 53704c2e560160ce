"""Her conversation on the case: read what she wrote after triage, and reply."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil import policy
from vigil.accounts.models import User
from vigil.cases.models import Case
from vigil.intake import actions as intake_actions
from vigil.intake import conversation
from vigil.intake.forms import ReplyForm
from vigil.lib.requests import as_staff
from vigil.policy import Perm


def panel(request: HttpRequest, case: Case) -> dict[str, object]:
    """The conversation panel of the case page; showing it marks her messages read."""
    linked = case.submissions.all()
    if not linked.exists():
        return {"conversations": [], "reply_form": None}
    found = conversation.conversations(policy.org_private_key(request), linked)
    conversation.mark_read(linked)
    return {"conversations": found, "reply_form": ReplyForm()}


@require_POST
@policy.staff_view(Perm.CASE_EDIT)
def reply(request: HttpRequest, pk: int, submission_pk: int) -> HttpResponse:
    case = policy.get_case_for_user(request, pk, Perm.CASE_EDIT)
    submission = case.submissions.filter(pk=submission_pk).first()
    if submission is None:
        raise Http404
    form = ReplyForm(request.POST)
    if form.is_valid():
        thread_key = intake_actions.staff_thread_key(policy.org_private_key(request), submission)
        user: User = as_staff(request).user
        intake_actions.add_message(
            submission, thread_key, form.cleaned_data["body"], staff_user=user
        )
        messages.success(request, _("Message sent. She sees it when she opens her mailbox."))
    else:
        messages.error(request, _("Write a message first."))
    return redirect(reverse("cases:detail", args=[case.pk]) + "#conversation-h")
