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
from typing import Any, Protocol, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from vigil.accounts.models import Membership, Role
from vigil.cases.models import Case
from vigil.incidents.models import Event, Perpetrator, Person
from vigil.intake.models import Submission
from vigil.lib.requests import as_staff
from vigil.officers.models import ComplaintRegister, ExternalComplaint, ImportStatus
from vigil.referrals.models import HealthService, PoliceUnit, Programme, Referral
from vigil.vault.session import Vault
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
    # --- referrals ---
    REFERRAL_SUBMIT = "referral_submit"
    POLICE_FUNNEL = "police_funnel"
    REFERRAL_WORK = "referral_work"
    PROGRAMME_MANAGE = "programme_manage"
    REFERRAL_FUNNEL = "referral_funnel"
    # alerts
    ALERT_VIEW = "alert_view"
    ALERT_DRAFT = "alert_draft"
    ALERT_APPROVE = "alert_approve"
    ALERT_POLICE_IDENTIFIER = "alert_police_identifier"
    ALERT_SEND = "alert_send"
    ALERT_MEMBER_PAGE = "alert_member_page"
    SUBSCRIBERS_MANAGE = "subscribers_manage"
    POLICE_DIGEST = "police_digest"
    POLICE_REQUESTS = "police_requests"
    # --- engagement ---
    ENGAGEMENT_VIEW = "engagement_view"
    ENGAGEMENT_MANAGE = "engagement_manage"
    ENGAGEMENT_ANSWER = "engagement_answer"
    ENGAGEMENT_DASHBOARD = "engagement_dashboard"
    DETENTION_MONITORING = "detention_monitoring"
    # --- imports and api ---
    IMPORT_RECORDS = "import_records"
    EXPORT_RECORDS = "export_records"
    MANAGE_API = "manage_api"
    # --- officers ---
    OFFICER_PROFILES = "officer_profiles"
    OFFICER_SETTINGS = "officer_settings"
    COMPLAINT_REGISTERS = "complaint_registers"
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
    # --- referrals: the police side submits and sees aggregates, nothing else ---
    Perm.REFERRAL_SUBMIT: frozenset({R.POLICE_LIAISON}),
    Perm.POLICE_FUNNEL: frozenset({R.POLICE_LIAISON}),
    Perm.REFERRAL_WORK: frozenset({R.COORDINATOR, R.REFERRAL}),
    Perm.PROGRAMME_MANAGE: frozenset({R.COORDINATOR}),
    Perm.REFERRAL_FUNNEL: frozenset({R.COORDINATOR, R.ANALYST, R.REFERRAL}),
    # --- alerts: caseworkers draft, a coordinator or lawyer vets; a police identifier
    # needs a lawyer. Staff who may read the members' page as members: not analysts
    # (alerts carry offender identifiers), not police liaisons or network analysts.
    Perm.ALERT_VIEW: _CASE_TEAM,
    Perm.ALERT_DRAFT: _CASE_TEAM,
    Perm.ALERT_APPROVE: frozenset({R.COORDINATOR, R.LAWYER}),
    Perm.ALERT_POLICE_IDENTIFIER: frozenset({R.LAWYER}),
    Perm.ALERT_SEND: _CASE_TEAM,
    Perm.ALERT_MEMBER_PAGE: _CASE_TEAM | {R.HOTLINE, R.REFERRAL},
    Perm.SUBSCRIBERS_MANAGE: frozenset({R.COORDINATOR, R.CASEWORKER}),
    Perm.POLICE_DIGEST: frozenset({R.COORDINATOR, R.LAWYER}),
    Perm.POLICE_REQUESTS: _CASE_TEAM,
    # --- end alerts
    # --- engagement: the case team manages; the police liaison sees only the
    # partnership and meeting records she takes part in and answers suggestions.
    Perm.ENGAGEMENT_VIEW: _CASE_TEAM | {R.POLICE_LIAISON},
    Perm.ENGAGEMENT_MANAGE: _CASE_TEAM,
    Perm.ENGAGEMENT_ANSWER: _CASE_TEAM | {R.POLICE_LIAISON},
    Perm.ENGAGEMENT_DASHBOARD: _CASE_TEAM | {R.ANALYST},
    Perm.DETENTION_MONITORING: _CASE_TEAM,
    # --- imports and api: bulk data in and out, and keys for programs, are coordinators' ---
    Perm.IMPORT_RECORDS: frozenset({R.COORDINATOR}),
    Perm.EXPORT_RECORDS: frozenset({R.COORDINATOR}),
    Perm.MANAGE_API: frozenset({R.COORDINATOR}),
    # --- officers: profiles name officers, so only those who act on them legally ---
    Perm.OFFICER_PROFILES: frozenset({R.COORDINATOR, R.LAWYER}),
    Perm.OFFICER_SETTINGS: frozenset({R.COORDINATOR}),
    Perm.COMPLAINT_REGISTERS: frozenset({R.COORDINATOR, R.LAWYER}),
    # odk: a coordinator equips phones and rotates the form key; whoever triages opens.
    Perm.ODK_MANAGE: frozenset({R.COORDINATOR}),
    Perm.ODK_OPEN: _CASE_TEAM,
}

# Roles that see every incident of their organisation (others: only their own).
_SEE_ALL_INCIDENTS = _CASE_TEAM

# Roles whose members receive the organisation key: they read sealed content.
# The referral worker links referrals to people (a sealed-data screen), so she
# holds it; police liaison, analyst and network analyst see no sealed data and
# hold none (docs/threat-model.md, "Who holds the organisation key").
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
    if user.must_change_password:
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
    acting = as_staff(request).membership
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
    return _events_of_member(_membership(request, perm))


def _events_of_member(membership: Membership) -> QuerySet[Event]:
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


class OwnedSealedRecord(Protocol):
    """A sealed record that belongs to an organisation (every one a page opens)."""

    organisation_id: int

    def data_key(self, vault: Vault, organisation_id: int) -> bytes: ...


def data_key(request: HttpRequest, record: OwnedSealedRecord) -> bytes:
    """Open a record's data key with the session's organisation key.

    Raises VaultLocked when this session holds no key (member without a grant,
    or the vault cookie is gone); views show a clear message for it.
    """
    return record.data_key(as_staff(request).vault, record.organisation_id)


def index_key(request: HttpRequest) -> bytes:
    membership = _membership(request, Perm.HOME)
    return as_staff(request).vault.index_key(membership.organisation_id)


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
    return as_staff(request).vault.org_key(membership.organisation_id)


# --- role decisions used by actions and pages (no role checks elsewhere) ---------


# Roles whose statistics scope is a network rather than their own organisation.
NETWORK_ROLES: frozenset[str] = frozenset({R.NETWORK_ANALYST})


def roles_with(perm: Perm) -> frozenset[str]:
    """The roles holding ``perm``, for queries such as "the lawyers of this organisation"."""
    return PERMISSIONS[perm]


def can_in(membership: Membership | None, perm: Perm, organisation_id: int) -> bool:
    """``perm`` held in that very organisation (actions check the object's owner)."""
    return (
        can(membership, perm)
        and membership is not None
        and (membership.organisation_id == organisation_id)
    )


def stats_scope_is_network(membership: Membership) -> bool:
    return membership.role in NETWORK_ROLES


def enters_hotline_calls(membership: Membership) -> bool:
    """Whether new incidents default to the hotline channel for this member."""
    return membership.role == R.HOTLINE


def members_with(perm: Perm, organisation_id: int | None = None) -> QuerySet[Membership]:
    """Active members holding ``perm`` (of one organisation, or of all), e.g. to notify."""
    members = Membership.objects.filter(
        is_active=True, user__is_active=True, role__in=roles_with(perm)
    )
    if organisation_id is not None:
        members = members.filter(organisation_id=organisation_id)
    return members.select_related("user", "organisation")


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


def members_needing_keys(organisation_id: int) -> QuerySet[Membership]:
    """Active members whose role reads sealed data, so who must hold a key grant."""
    return Membership.objects.filter(
        organisation_id=organisation_id, is_active=True, role__in=KEY_HOLDING_ROLES
    )


# --- referrals ------------------------------------------------------------------


def programmes_for(request: HttpRequest, perm: Perm = Perm.PROGRAMME_MANAGE) -> QuerySet[Programme]:
    membership = _membership(request, perm)
    return Programme.objects.filter(organisation_id=membership.organisation_id)


def get_programme_for_user(
    request: HttpRequest, pk: int, perm: Perm = Perm.PROGRAMME_MANAGE
) -> Programme:
    try:
        return programmes_for(request, perm).get(pk=pk)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc


def referrer_programmes_for(
    request: HttpRequest, perm: Perm = Perm.REFERRAL_SUBMIT
) -> QuerySet[Programme]:
    """Programmes of her organisation that list this police account as a referrer."""
    membership = _membership(request, perm)
    return Programme.objects.filter(
        organisation_id=membership.organisation_id, referrers=membership.user_id
    )


def police_units_for(request: HttpRequest) -> QuerySet[PoliceUnit]:
    membership = _membership(request, Perm.PROGRAMME_MANAGE)
    return PoliceUnit.objects.filter(organisation_id=membership.organisation_id)


def health_services_for(
    request: HttpRequest, perm: Perm = Perm.REFERRAL_WORK
) -> QuerySet[HealthService]:
    membership = _membership(request, perm)
    return HealthService.objects.filter(organisation_id=membership.organisation_id)


def referrals_for(request: HttpRequest, perm: Perm = Perm.REFERRAL_WORK) -> QuerySet[Referral]:
    """Referrals a worker handles. The police side never reaches this (403)."""
    membership = _membership(request, perm)
    return Referral.objects.filter(organisation_id=membership.organisation_id)


def get_referral_for_user(
    request: HttpRequest, pk: int, perm: Perm = Perm.REFERRAL_WORK
) -> Referral:
    try:
        return referrals_for(request, perm).select_related("organisation", "programme").get(pk=pk)
    except Referral.DoesNotExist as exc:
        raise Http404 from exc


def referral_people_for(request: HttpRequest) -> QuerySet[Person]:
    """People a referral worker may link a referral to: her organisation's, found
    only through exact blind-index matches (the page never lists them all)."""
    membership = _membership(request, Perm.REFERRAL_WORK)
    return Person.objects.filter(organisation_id=membership.organisation_id)


def referral_index_key(request: HttpRequest) -> bytes:
    membership = _membership(request, Perm.REFERRAL_WORK)
    return as_staff(request).vault.index_key(membership.organisation_id)


def referral_workers(organisation_id: int) -> QuerySet[Membership]:
    """Active referral workers: who may be on call for a programme."""
    return Membership.objects.filter(
        organisation_id=organisation_id, is_active=True, role=R.REFERRAL
    )


def police_referrers(organisation_id: int) -> QuerySet[Membership]:
    """Active police liaison accounts: who may refer for a programme."""
    return Membership.objects.filter(
        organisation_id=organisation_id, is_active=True, role=R.POLICE_LIAISON
    )


# --- alerts ---------------------------------------------------------------------------


def alerts_for(request: HttpRequest, perm: Perm = Perm.ALERT_VIEW) -> QuerySet[Any]:
    from vigil.alerts.models import Alert

    membership = _membership(request, perm)
    return Alert.objects.filter(organisation_id=membership.organisation_id)


def get_alert_for_user(request: HttpRequest, pk: int, perm: Perm = Perm.ALERT_VIEW) -> Any:
    alert = alerts_for(request, perm).select_related("organisation").filter(pk=pk).first()
    if alert is None:
        raise Http404
    return alert


def can_approve_alert(membership: Membership | None, author_id: int) -> bool:
    """A second person: a coordinator or lawyer who did not write the alert."""
    return (
        membership is not None
        and can(membership, Perm.ALERT_APPROVE)
        and membership.user_id != author_id
    )


def can_approve_police_identifier(membership: Membership | None) -> bool:
    return can(membership, Perm.ALERT_POLICE_IDENTIFIER)


def subscribers_for(request: HttpRequest, perm: Perm = Perm.SUBSCRIBERS_MANAGE) -> QuerySet[Any]:
    """Members of the alerts; ``ALERT_SEND`` reads them to send (contacts stay sealed)."""
    from vigil.alerts.models import Subscriber

    membership = _membership(request, perm)
    return Subscriber.objects.filter(organisation_id=membership.organisation_id)


def get_subscriber_for_user(request: HttpRequest, pk: int) -> Any:
    subscriber = subscribers_for(request).filter(pk=pk).first()
    if subscriber is None:
        raise Http404
    return subscriber


def get_dispatch_for_user(request: HttpRequest, pk: int) -> Any:
    from vigil.alerts.models import Dispatch

    membership = _membership(request, Perm.ALERT_SEND)
    dispatch = Dispatch.objects.filter(pk=pk, organisation_id=membership.organisation_id).first()
    if dispatch is None:
        raise Http404
    return dispatch


def link_requests_for(request: HttpRequest) -> QuerySet[Any]:
    from vigil.alerts.models import LinkRequest

    membership = _membership(request, Perm.POLICE_REQUESTS)
    return LinkRequest.objects.filter(organisation_id=membership.organisation_id)


def get_link_request_for_user(request: HttpRequest, pk: int) -> Any:
    row = link_requests_for(request).select_related("organisation").filter(pk=pk).first()

    if row is None:
        raise Http404
    return row


def alert_member_for(request: HttpRequest) -> Any:
    """Who reads the members' page: a signed-in subscriber, or a staff member with
    ``ALERT_MEMBER_PAGE``; None otherwise (the page then offers the sign-in link)."""
    from vigil.alerts import members

    membership: Membership | None = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    verified = user is not None and getattr(user, "is_verified", lambda: False)()
    if membership is not None and verified:
        if not can(membership, Perm.ALERT_MEMBER_PAGE):
            raise PermissionDenied
        return members.Reader(membership.organisation_id, f"u:{membership.user_id}", None)
    return members.subscriber_reader(request)


# --- engagement ---------------------------------------------------------------------
# Partnerships, activities, community boards, detention visits, calendar feeds.
# Members who may not manage (the police liaison) see only the partners and
# activities listing them as participants and the suggestions addressed to them.


def _engagement_scope(request: HttpRequest, perm: Perm) -> tuple[Membership, bool]:
    """The member, and whether she is limited to the records she takes part in."""
    membership = _membership(request, perm)
    return membership, membership.role not in PERMISSIONS[Perm.ENGAGEMENT_MANAGE]


def engagement_membership(request: HttpRequest, perm: Perm = Perm.ENGAGEMENT_VIEW) -> Membership:
    return _membership(request, perm)


def engagement_may(request: HttpRequest, perm: Perm) -> bool:
    return can(getattr(request, "membership", None), perm)


def partners_for(request: HttpRequest, perm: Perm = Perm.ENGAGEMENT_VIEW) -> QuerySet[Any]:
    from vigil.engagement.models import Partner

    membership, limited = _engagement_scope(request, perm)
    partners = Partner.objects.filter(organisation_id=membership.organisation_id)
    return partners.filter(participants=membership) if limited else partners


def get_partner_for_user(request: HttpRequest, pk: int, perm: Perm = Perm.ENGAGEMENT_VIEW) -> Any:
    partner = partners_for(request, perm).select_related("body", "organisation").filter(pk=pk)
    found = partner.first()
    if found is None:
        raise Http404
    return found


def activities_for(request: HttpRequest, perm: Perm = Perm.ENGAGEMENT_VIEW) -> QuerySet[Any]:
    membership, _limited = _engagement_scope(request, perm)
    return activities_of(membership)


def activities_of(membership: Membership) -> QuerySet[Any]:
    """The activities a member may see (also for her calendar feed, which has no request)."""
    from vigil.engagement.models import Activity

    activities = Activity.objects.filter(organisation_id=membership.organisation_id)
    if not can(membership, Perm.ENGAGEMENT_VIEW):
        return activities.none()
    if can(membership, Perm.ENGAGEMENT_MANAGE):
        return activities
    return activities.filter(participants=membership)


def get_activity_for_user(request: HttpRequest, pk: int, perm: Perm = Perm.ENGAGEMENT_VIEW) -> Any:
    found = activities_for(request, perm).select_related("organisation", "board").filter(pk=pk)
    activity = found.first()
    if activity is None:
        raise Http404
    return activity


def boards_for(request: HttpRequest) -> QuerySet[Any]:
    from vigil.engagement.models import CommunityBoard

    membership = _membership(request, Perm.ENGAGEMENT_MANAGE)
    return CommunityBoard.objects.filter(organisation_id=membership.organisation_id)


def get_board_for_user(request: HttpRequest, pk: int) -> Any:
    board = boards_for(request).filter(pk=pk).first()
    if board is None:
        raise Http404
    return board


def suggestions_for(request: HttpRequest, perm: Perm = Perm.ENGAGEMENT_ANSWER) -> QuerySet[Any]:
    """All of the organisation's for the case team; the liaison only those addressed to her."""
    membership, _limited = _engagement_scope(request, perm)
    return suggestions_of(membership)


def suggestions_of(membership: Membership) -> QuerySet[Any]:
    from vigil.engagement.models import Suggestion

    suggestions = Suggestion.objects.filter(organisation_id=membership.organisation_id)
    if not can(membership, Perm.ENGAGEMENT_ANSWER):
        return suggestions.none()
    if can(membership, Perm.ENGAGEMENT_MANAGE):
        return suggestions
    return suggestions.filter(addressed_to=membership)


def recommendations_of(membership: Membership) -> QuerySet[Any]:
    from vigil.engagement.models import Recommendation

    items = Recommendation.objects.filter(visit__organisation_id=membership.organisation_id)
    return items if can(membership, Perm.DETENTION_MONITORING) else items.none()


def get_suggestion_for_user(
    request: HttpRequest, pk: int, perm: Perm = Perm.ENGAGEMENT_ANSWER
) -> Any:
    found = suggestions_for(request, perm).select_related("board", "addressed_to").filter(pk=pk)
    suggestion = found.first()
    if suggestion is None:
        raise Http404
    return suggestion


def visits_for(request: HttpRequest) -> QuerySet[Any]:
    from vigil.engagement.models import Visit

    membership = _membership(request, Perm.DETENTION_MONITORING)
    return Visit.objects.filter(organisation_id=membership.organisation_id)


def get_visit_for_user(request: HttpRequest, pk: int) -> Any:
    visit = visits_for(request).select_related("organisation").filter(pk=pk).first()
    if visit is None:
        raise Http404
    return visit


def get_visit_item_for_user(request: HttpRequest, model: type[Any], pk: int) -> Any:
    """An allegation or recommendation of a visit this member may see."""
    item = model.objects.filter(visit__in=visits_for(request), pk=pk).select_related("visit")
    found = item.first()
    if found is None:
        raise Http404
    return found


def get_engagement_item_for_user(
    request: HttpRequest, model: type[Any], pk: int, perm: Perm = Perm.ENGAGEMENT_MANAGE
) -> Any:
    """A contact, contact-log entry, agreement, material or board member of this organisation."""
    membership = _membership(request, perm)
    found = model.objects.filter(organisation_id=membership.organisation_id, pk=pk).first()
    if found is None:
        raise Http404
    return found


def engagement_participants(organisation_id: int) -> QuerySet[Membership]:
    """Members who may be linked to records as participants (police liaisons): those
    who may see engagement records but not manage them."""
    roles = PERMISSIONS[Perm.ENGAGEMENT_ANSWER] - PERMISSIONS[Perm.ENGAGEMENT_MANAGE]
    return Membership.objects.filter(
        organisation_id=organisation_id, is_active=True, role__in=roles
    ).select_related("user")


def engagement_staff(organisation_id: int) -> QuerySet[Membership]:
    """Members who may manage engagement records (visit teams, reminders)."""
    return Membership.objects.filter(
        organisation_id=organisation_id,
        is_active=True,
        role__in=PERMISSIONS[Perm.ENGAGEMENT_MANAGE],
    ).select_related("user")


def calendar_feed_for_token(token_hash: str) -> Any:
    """The live feed of an active member; revoked or unknown tokens are 404."""
    from vigil.engagement.models import CalendarFeed

    feed = (
        CalendarFeed.objects.filter(token_hash=token_hash, revoked_at__isnull=True)
        .select_related("membership", "membership__user", "membership__organisation")
        .first()
    )
    if feed is None or not can(feed.membership, Perm.ENGAGEMENT_VIEW):
        raise Http404
    if not feed.membership.user.is_active:
        raise Http404
    return feed


# --- imports and api ---------------------------------------------------------------


def import_jobs_for(request: HttpRequest) -> QuerySet[Any]:
    from vigil.imports.models import ImportJob

    membership = _membership(request, Perm.IMPORT_RECORDS)
    return ImportJob.objects.filter(organisation_id=membership.organisation_id)


def get_import_job_for_user(request: HttpRequest, pk: int) -> Any:
    try:
        return import_jobs_for(request).select_related("organisation", "mapping").get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def export_events_for(request: HttpRequest) -> QuerySet[Event]:
    """Recorded incidents of the coordinator's organisation, for the records export."""
    return events_for(request, Perm.EXPORT_RECORDS).filter(status="recorded")


def exporting_member(organisation_id: int, user_id: int | None) -> Membership | None:
    """The member who queued an export, if she may still export when the worker runs it
    (her role changed or her membership ended in between: None)."""
    if user_id is None:  # her account was deleted since
        return None
    membership = (
        Membership.objects.filter(organisation_id=organisation_id, user_id=user_id, is_active=True)
        .select_related("organisation")
        .first()
    )
    return membership if membership is not None and can(membership, Perm.EXPORT_RECORDS) else None


def export_events_of(membership: Membership) -> QuerySet[Event]:
    """What ``export_events_for`` gives this member, for the background worker running
    the export she queued (``exporting_member``)."""
    return _events_of_member(membership).filter(status="recorded")


def export_jobs_for(request: HttpRequest) -> QuerySet[Any]:
    """Records exports of the member's organisation: any of its coordinators may see,
    download or delete them (they all may export the same records)."""
    from vigil.imports.models import ExportJob

    membership = _membership(request, Perm.EXPORT_RECORDS)
    return ExportJob.objects.filter(organisation_id=membership.organisation_id)


def get_export_job_for_user(request: HttpRequest, pk: int) -> Any:
    try:
        return export_jobs_for(request).select_related("organisation").get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def api_tokens_for(request: HttpRequest) -> QuerySet[Any]:
    from vigil.api.models import ApiToken

    membership = _membership(request, Perm.MANAGE_API)
    return ApiToken.objects.filter(organisation_id=membership.organisation_id)


def get_api_token_for_user(request: HttpRequest, pk: int) -> Any:
    try:
        return api_tokens_for(request).get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def kobo_hooks_for(request: HttpRequest) -> QuerySet[Any]:
    from vigil.api.models import KoboHook

    membership = _membership(request, Perm.MANAGE_API)
    return KoboHook.objects.filter(organisation_id=membership.organisation_id)


def get_kobo_hook_for_user(request: HttpRequest, pk: int) -> Any:
    try:
        return kobo_hooks_for(request).get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def token_allows(token: Any, scope: str) -> bool:
    """An API token acts for its organisation within its scopes only."""
    return token is not None and token.is_usable and scope in token.scopes


# --- officers ---------------------------------------------------------------------


def officer_perpetrators_for(request: HttpRequest) -> QuerySet[Perpetrator]:
    """Perpetrators of the member's organisation, for officer profiles and repeat lists."""
    membership = _membership(request, Perm.OFFICER_PROFILES)
    return Perpetrator.objects.filter(event__organisation_id=membership.organisation_id)


def external_complaints_for(request: HttpRequest) -> QuerySet[ExternalComplaint]:
    """Rows of the organisation's imported registers (finished, not dry runs)."""
    membership = _membership(request, Perm.OFFICER_PROFILES)
    return ExternalComplaint.objects.filter(
        organisation_id=membership.organisation_id, register__status=ImportStatus.DONE
    )


def registers_for(request: HttpRequest) -> QuerySet[ComplaintRegister]:
    membership = _membership(request, Perm.COMPLAINT_REGISTERS)
    return ComplaintRegister.objects.filter(organisation_id=membership.organisation_id)


def get_register_for_user(request: HttpRequest, pk: int) -> ComplaintRegister:
    try:
        return registers_for(request).select_related("organisation").get(pk=pk)
    except ComplaintRegister.DoesNotExist as exc:
        raise Http404 from exc


def officer_settings_membership(request: HttpRequest) -> Membership:
    """The coordinator who changes the repeat threshold or rebuilds blind indexes."""
    return _membership(request, Perm.OFFICER_SETTINGS)


def can_reindex(membership: Membership) -> bool:
    """Rebuilding blind indexes needs a coordinator (the command checks the same)."""
    return can(membership, Perm.OFFICER_SETTINGS)


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
