"""Who may do what with legal actions, the directory, letters and figures.

The permissions themselves are decided in ``vigil/policy.py``; this module
holds the object lookups built on them, reaching cases only through
``policy.cases_for`` / ``policy.get_case_for_user``.

* Lawyers and coordinators file and manage legal actions (status, response,
  appeal), and have a deadline agenda.
* Caseworkers see a case's legal actions, prepare drafts and generate letters.
* Coordinators manage the organisation's own oversight bodies, liaison
  contacts and letter templates; shared bodies are read-only (403).
* Analysts see only the accountability figures (aggregates); so do lawyers
  and coordinators.
* Everyone else (hotline, referral worker, police liaison, network analyst):
  403 everywhere here. Objects of another organisation: 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from vigil import policy
from vigil.accounts.models import Membership
from vigil.cases.models import Case
from vigil.complaints.models import GeneratedLetter, LegalAction, LiaisonContact, OversightBody
from vigil.policy import Perm

# Roles a legal action's lawyer may hold (the agenda and reminders go to them).
LAWYER_ROLES: frozenset[str] = policy.roles_with(Perm.LEGAL_FILE)


def can(membership: Membership | None, perm: Perm) -> bool:
    return policy.can(membership, perm)


def membership(request: HttpRequest, perm: Perm) -> Membership:
    acting: Membership | None = getattr(request, "membership", None)
    if acting is None or not can(acting, perm):
        raise PermissionDenied
    return acting


def _case_perm(perm: Perm) -> Perm:
    return Perm.CASE_VIEW if perm == Perm.LEGAL_VIEW else Perm.CASE_EDIT


# --- cases and legal actions -----------------------------------------------------------


def cases_for(request: HttpRequest, perm: Perm = Perm.LEGAL_VIEW) -> QuerySet[Case]:
    membership(request, perm)
    return policy.cases_for(request, _case_perm(perm))


def get_case(request: HttpRequest, pk: int, perm: Perm = Perm.LEGAL_VIEW) -> Case:
    membership(request, perm)
    return policy.get_case_for_user(request, pk, _case_perm(perm))


def legal_actions_for(request: HttpRequest, perm: Perm = Perm.LEGAL_VIEW) -> QuerySet[LegalAction]:
    acting = membership(request, perm)
    return LegalAction.objects.filter(
        organisation_id=acting.organisation_id, case__in=cases_for(request, perm)
    )


def get_legal_action(request: HttpRequest, pk: int, perm: Perm = Perm.LEGAL_VIEW) -> LegalAction:
    try:
        return (
            legal_actions_for(request, perm)
            .select_related("case", "case__organisation", "case__client", "body", "lawyer")
            .get(pk=pk)
        )
    except LegalAction.DoesNotExist as exc:
        raise Http404 from exc


def get_letter(request: HttpRequest, pk: int) -> GeneratedLetter:
    letter = (
        GeneratedLetter.objects.filter(action__in=legal_actions_for(request, Perm.LEGAL_VIEW))
        .select_related("action", "action__case", "action__case__organisation")
        .filter(pk=pk)
        .first()
    )
    if letter is None:
        raise Http404
    return letter


# --- directory ---------------------------------------------------------------------------


def bodies_for(request: HttpRequest, perm: Perm = Perm.DIRECTORY_VIEW) -> QuerySet[OversightBody]:
    """Shared bodies plus this organisation's own; never another organisation's."""
    acting = membership(request, perm)
    return OversightBody.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=acting.organisation_id)
    )


def get_body(request: HttpRequest, pk: int) -> OversightBody:
    body = bodies_for(request).filter(pk=pk).first()
    if body is None:
        raise Http404
    return body


def get_local_body_for_coordinator(request: HttpRequest, pk: int) -> OversightBody:
    """An organisation's own body; shared bodies are read-only (403, they are public)."""
    body = bodies_for(request, Perm.MANAGE_DIRECTORY).filter(pk=pk).first()
    if body is None:
        raise Http404
    if body.is_shared:
        raise PermissionDenied
    return body


def liaisons_for(
    request: HttpRequest, perm: Perm = Perm.DIRECTORY_VIEW
) -> QuerySet[LiaisonContact]:
    acting = membership(request, perm)
    return LiaisonContact.objects.filter(organisation_id=acting.organisation_id)


def get_liaison_for_coordinator(request: HttpRequest, pk: int) -> LiaisonContact:
    liaison = (
        liaisons_for(request, Perm.MANAGE_DIRECTORY)
        .select_related("body", "organisation")
        .filter(pk=pk)
        .first()
    )
    if liaison is None:
        raise Http404
    return liaison


def organisation_id(request: HttpRequest, perm: Perm) -> int:
    return membership(request, perm).organisation_id
