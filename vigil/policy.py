"""Every access decision in Vigil is made here.

Views and API endpoints call these functions instead of querying models or
checking roles themselves, so the whole policy can be read (and tested as a
matrix) in one file. Objects of another organisation are reported as missing
(404), never as forbidden, so their existence does not leak.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from vigil.accounts.models import Membership, Role
from vigil.cases.models import Case
from vigil.incidents.models import Event, Person
from vigil.intake.models import Submission
from vigil.vault.sealing import SealedRecord
from vigil.vocab.models import Term

R = Role


class Perm(StrEnum):
    HOME = "home"
    MANAGE_MEMBERS = "manage_members"
    VIEW_AUDIT = "view_audit"
    RECOVER_KEYS = "recover_keys"
    MANAGE_VOCAB = "manage_vocab"
    INCIDENT_VIEW = "incident_view"
    INCIDENT_EDIT = "incident_edit"
    QUALIFY_VIOLATION = "qualify_violation"
    CASE_VIEW = "case_view"
    CASE_EDIT = "case_edit"
    APPROVE_CLOSURE = "approve_closure"
    OVERRIDE_CONSENT = "override_consent"
    MY_WORK = "my_work"
    HOTLINE_INTAKE = "hotline_intake"
    TRIAGE = "triage"
    PUBLIC_PROFILE = "public_profile"
    STATS_VIEW = "stats_view"
    STATS_EXPORT = "stats_export"
    NETWORK_SHARING = "network_sharing"
    LEGAL_VIEW = "legal_view"
    LEGAL_DRAFT = "legal_draft"
    LEGAL_FILE = "legal_file"
    LEGAL_AGENDA = "legal_agenda"
    DIRECTORY_VIEW = "directory_view"
    MANAGE_DIRECTORY = "manage_directory"
    MANAGE_LETTER_TEMPLATES = "manage_letter_templates"
    ACCOUNTABILITY_FIGURES = "accountability_figures"
    # matching: the counsel is a capacity (NetworkCounsel), not a role
    MATCHING_COUNSEL = "matching_counsel"
    # odk: phones with ODK Collect (issue and revoke), and opening their records
    ODK_MANAGE = "odk_manage"
    ODK_OPEN = "odk_open"


_CASE_TEAM = frozenset({R.COORDINATOR, R.CASEWORKER, R.LAWYER})

PERMISSIONS: dict[Perm, frozenset[str]] = {
    Perm.HOME: frozenset(Role.values),
    Perm.MANAGE_MEMBERS: frozenset({R.COORDINATOR}),
    Perm.VIEW_AUDIT: frozenset({R.COORDINATOR}),
    Perm.RECOVER_KEYS: frozenset({R.COORDINATOR}),
    Perm.MANAGE_VOCAB: frozenset({R.COORDINATOR}),
    # Hotline operators document calls; they see only incidents they entered.
    Perm.INCIDENT_VIEW: _CASE_TEAM | {R.HOTLINE},
    Perm.INCIDENT_EDIT: _CASE_TEAM | {R.HOTLINE},
    Perm.QUALIFY_VIOLATION: frozenset({R.COORDINATOR, R.LAWYER}),
    Perm.CASE_VIEW: _CASE_TEAM,
    Perm.CASE_EDIT: _CASE_TEAM,
    Perm.APPROVE_CLOSURE: frozenset({R.COORDINATOR}),
    Perm.OVERRIDE_CONSENT: frozenset({R.COORDINATOR}),
    Perm.MY_WORK: _CASE_TEAM,
    Perm.HOTLINE_INTAKE: _CASE_TEAM | {R.HOTLINE},
    Perm.TRIAGE: _CASE_TEAM,
    Perm.PUBLIC_PROFILE: frozenset({R.COORDINATOR}),
    # Aggregates only (after disclosure control); exporting is separate so it can
    # be withdrawn from a role without touching viewing.
    Perm.STATS_VIEW: frozenset({R.COORDINATOR, R.ANALYST, R.NETWORK_ANALYST}),
    Perm.STATS_EXPORT: frozenset({R.COORDINATOR, R.ANALYST, R.NETWORK_ANALYST}),
    Perm.NETWORK_SHARING: frozenset({R.COORDINATOR}),
    # Complaints: caseworkers see and draft; lawyers and coordinators file.
    Perm.LEGAL_VIEW: _CASE_TEAM,
    Perm.LEGAL_DRAFT: _CASE_TEAM,
    Perm.LEGAL_FILE: frozenset({R.COORDINATOR, R.LAWYER}),
    Perm.LEGAL_AGENDA: frozenset({R.COORDINATOR, R.LAWYER}),
    Perm.DIRECTORY_VIEW: _CASE_TEAM,
    Perm.MANAGE_DIRECTORY: frozenset({R.COORDINATOR}),
    Perm.MANAGE_LETTER_TEMPLATES: frozenset({R.COORDINATOR}),
    Perm.ACCOUNTABILITY_FIGURES: frozenset({R.COORDINATOR, R.LAWYER, R.ANALYST}),
    # matching: roles that may hold a NetworkCounsel capacity; the record decides.
    Perm.MATCHING_COUNSEL: frozenset({R.COORDINATOR, R.LAWYER}),
    # odk: a coordinator equips phones and rotates the form key; whoever triages opens.
    Perm.ODK_MANAGE: frozenset({R.COORDINATOR}),
    Perm.ODK_OPEN: _CASE_TEAM,
}

# Roles that see every incident of their organisation (others: only their own).
_SEE_ALL_INCIDENTS = _CASE_TEAM

# Roles whose members receive the organisation key: they read sealed content.
KEY_HOLDING_ROLES: frozenset[str] = frozenset(
    {R.COORDINATOR, R.CASEWORKER, R.LAWYER, R.HOTLINE, R.REFERRAL}
)


def can(membership: Membership | None, perm: Perm) -> bool:
    return membership is not None and membership.is_active and membership.role in PERMISSIONS[perm]


def role_holds_keys(role: str) -> bool:
    return role in KEY_HOLDING_ROLES


def staff_ready(request: HttpRequest) -> HttpResponse | None:
    """Redirect a staff user who has not finished signing in; None when ready.

    Order: password, then TOTP (enrolment if none), then a forced password
    change after a coordinator reset. No data page is reachable before.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # OTPMiddleware adds is_verified(); a user logged in during this request lacks it.
    if not getattr(user, "is_verified", lambda: False)():
        from django_otp import devices_for_user

        if any(devices_for_user(user, confirmed=True)):
            return redirect("accounts:otp_verify")
        return redirect("accounts:otp_setup")
    if user.must_change_password:  # type: ignore[union-attr]
        return redirect("accounts:password_change")
    return None


V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def staff_view(perm: Perm) -> Callable[[V], V]:
    """Decorator: a signed-in, 2FA-verified member of an organisation with ``perm``."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            pending = staff_ready(request)
            if pending is not None:
                return pending
            if not can(getattr(request, "membership", None), perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def get_member_for_coordinator(request: HttpRequest, pk: int) -> Membership:
    """A membership of the coordinator's own organisation, else 404."""
    acting: Membership = request.membership  # type: ignore[attr-defined]
    if not can(acting, Perm.MANAGE_MEMBERS):
        raise PermissionDenied
    try:
        return Membership.objects.select_related("user", "organisation").get(
            pk=pk, organisation_id=acting.organisation_id
        )
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


# --- incidents and cases ---------------------------------------------------------


def _membership(request: HttpRequest, perm: Perm) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or not can(membership, perm):
        raise PermissionDenied
    return membership


def events_for(request: HttpRequest, perm: Perm = Perm.INCIDENT_VIEW) -> QuerySet[Event]:
    """The incidents this member may see, for lists and lookups."""
    membership = _membership(request, perm)
    events = Event.objects.filter(organisation_id=membership.organisation_id)
    if membership.role not in _SEE_ALL_INCIDENTS:
        events = events.filter(created_by_id=membership.user_id)
    return events


def get_event_for_user(request: HttpRequest, pk: int, perm: Perm = Perm.INCIDENT_VIEW) -> Event:
    try:
        return events_for(request, perm).select_related("organisation").get(pk=pk)
    except Event.DoesNotExist as exc:
        raise Http404 from exc


def cases_for(request: HttpRequest, perm: Perm = Perm.CASE_VIEW) -> QuerySet[Case]:
    membership = _membership(request, perm)
    return Case.objects.filter(organisation_id=membership.organisation_id)


def get_case_for_user(request: HttpRequest, pk: int, perm: Perm = Perm.CASE_VIEW) -> Case:
    try:
        return cases_for(request, perm).select_related("organisation", "client").get(pk=pk)
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def people_for(request: HttpRequest, perm: Perm = Perm.INCIDENT_VIEW) -> QuerySet[Person]:
    membership = _membership(request, perm)
    people = Person.objects.filter(organisation_id=membership.organisation_id)
    if membership.role not in _SEE_ALL_INCIDENTS:
        people = people.filter(created_by_id=membership.user_id)
    return people


def get_person_for_user(request: HttpRequest, pk: int, perm: Perm = Perm.INCIDENT_VIEW) -> Person:
    try:
        return people_for(request, perm).get(pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc


def data_key(request: HttpRequest, record: SealedRecord) -> bytes:
    """Open a record's data key with the session's organisation key.

    Raises VaultLocked when this session holds no key (member without a grant,
    or the vault cookie is gone); views show a clear message for it.
    """
    return record.data_key(request.vault, record.organisation_id)  # type: ignore[attr-defined]


def index_key(request: HttpRequest) -> bytes:
    membership = _membership(request, Perm.HOME)
    return request.vault.index_key(membership.organisation_id)  # type: ignore[attr-defined]


# --- vocabularies -----------------------------------------------------------------


def terms_for(request: HttpRequest) -> QuerySet[Term]:
    """Shared terms plus this organisation's local ones; never another organisation's."""
    membership = _membership(request, Perm.HOME)
    return Term.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=membership.organisation_id)
    )


def get_local_term_for_coordinator(request: HttpRequest, pk: int) -> Term:
    """A local term of the coordinator's organisation; shared terms are read-only (403)."""
    _membership(request, Perm.MANAGE_VOCAB)
    term = terms_for(request).filter(pk=pk).select_related("parent").first()
    if term is None:
        raise Http404
    if term.organisation_id is None:  # shared: visible to all, so 403 reveals nothing
        raise PermissionDenied
    return term


# --- reports and hotline -------------------------------------------------------


def submissions_for(request: HttpRequest, perm: Perm = Perm.TRIAGE) -> QuerySet[Submission]:
    membership = _membership(request, perm)
    return Submission.objects.filter(organisation_id=membership.organisation_id)


def get_submission_for_user(request: HttpRequest, pk: int) -> Submission:
    try:
        return submissions_for(request).select_related("organisation").get(pk=pk)
    except Submission.DoesNotExist as exc:
        raise Http404 from exc


def org_private_key(request: HttpRequest) -> bytes:
    """The session's key of the member's organisation (raises VaultLocked)."""
    membership = _membership(request, Perm.HOME)
    return request.vault.org_key(membership.organisation_id)  # type: ignore[attr-defined]


# --- matching ---------------------------------------------------------------------


def counsels_for(request: HttpRequest) -> QuerySet[Any]:
    """The networks this member is counsel of, through her host organisation.

    A lawyer or coordinator with no such capacity is refused (403): the page
    exists for every lawyer, the capacity for few.
    """
    from vigil.matching.models import NetworkCounsel

    membership = _membership(request, Perm.MATCHING_COUNSEL)
    counsels = NetworkCounsel.objects.filter(
        user_id=membership.user_id, network__host_id=membership.organisation_id
    )
    if not counsels.exists():
        raise PermissionDenied
    return counsels


def get_counsel_for_user(request: HttpRequest, network_pk: int) -> Any:
    """Her counsel record for this network, else 404 (another network's counsel)."""
    from vigil.matching.models import NetworkCounsel

    membership = _membership(request, Perm.MATCHING_COUNSEL)
    try:
        return NetworkCounsel.objects.select_related("network", "network__host", "user").get(
            network_id=network_pk,
            user_id=membership.user_id,
            network__host_id=membership.organisation_id,
        )
    except NetworkCounsel.DoesNotExist as exc:
        raise Http404 from exc


# --- odk ----------------------------------------------------------------------------


def odk_devices_for(request: HttpRequest) -> QuerySet[Any]:
    from vigil.odk.models import Device

    membership = _membership(request, Perm.ODK_MANAGE)
    return Device.objects.filter(organisation_id=membership.organisation_id)


def get_odk_device_for_coordinator(request: HttpRequest, pk: int) -> Any:
    device = odk_devices_for(request).select_related("organisation").filter(pk=pk).first()
    if device is None:
        raise Http404
    return device


def odk_records_for(request: HttpRequest) -> QuerySet[Any]:
    from vigil.odk.models import EncryptedRecord

    membership = _membership(request, Perm.ODK_OPEN)
    return EncryptedRecord.objects.filter(organisation_id=membership.organisation_id)


def get_odk_record_for_user(request: HttpRequest, pk: int) -> Any:
    row = odk_records_for(request).select_related("organisation").filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def odk_device_for(request: HttpRequest, slug: str) -> tuple[Any, Any]:
    """(organisation, signed-in phone or None) of an OpenRosa request; 404 for no such org.

    Phones are not members: an active Device's own credentials (HTTP Basic) are
    the whole of its access, and it reaches only its organisation's form and inbox.
    """
    from vigil.accounts.models import Organisation
    from vigil.odk import openrosa

    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return organisation, openrosa.authenticate(request, organisation)
