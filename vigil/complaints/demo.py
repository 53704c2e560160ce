"""Demo complaints for the demo year (never in production).

Every complaint goes through the same action functions as a lawyer's: drafted,
her consent to share recorded, filed, acknowledged, answered and closed, so the
accountability figures and the advocacy report read real demo numbers.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.utils import timezone

from vigil.accounts.models import Membership, Organisation, Role, User
from vigil.cases.models import Case, CaseStatus
from vigil.complaints import actions
from vigil.complaints.models import (
    ActionStatus,
    ActionType,
    Channel,
    Outcome,
    OversightBody,
    Response,
)
from vigil.incidents.models import Act
from vigil.vault import crypto

# Share of active, monitoring and closed cases that reach a formal complaint or request:
# the lawyers of the EHRN brief's platform wrote to an authority in about half of the
# cases they took on (complaints, requests for investigation, ombudsman petitions).
COMPLAINT_SHARE = 0.5
# Where they go (weights by type of body): mostly police internal security and the
# prosecutor, then the ombudsman; courts and others rarely in a first year.
BODY_WEIGHTS = {"police_internal": 6, "prosecutor": 5, "ombudsman": 2}
# How far a filed complaint has got (weights). Oversight bodies answer late or not at all:
# about a third of complaints in the brief's monitoring got no answer within the period.
STAGES = [("draft", 1), ("submitted", 2), ("acknowledged", 1), ("answered", 5), ("closed", 6)]
# What the answer was (weights): mostly token replies and refusals, few favourable ones.
RESPONSES = [
    (Response.TOKEN, 5),
    (Response.REFUSED, 3),
    (Response.FORWARDED, 2),
    (Response.DENIED, 2),
    (Response.PARTIAL, 2),
    (Response.FAVOURABLE, 1),
    (Response.NO_RESPONSE, 3),
]
OUTCOMES: dict[str, list[str]] = {
    Response.FAVOURABLE: [Outcome.DISCIPLINED, Outcome.CRIMINAL_CASE, Outcome.OST_PROVIDED],
    Response.PARTIAL: [Outcome.TRANSFERRED, Outcome.OTHER],
    Response.TOKEN: [Outcome.REJECTED],
    Response.REFUSED: [Outcome.REJECTED],
    Response.DENIED: [Outcome.REJECTED],
    Response.FORWARDED: [Outcome.OTHER],
    Response.NO_RESPONSE: [Outcome.NO_RESPONSE],
}
TYPES = [
    (ActionType.COMPLAINT, 6),
    (ActionType.INVESTIGATION_REQUEST, 2),
    (ActionType.OMBUDSMAN_PETITION, 2),
    (ActionType.OST_CONTINUITY, 1),
]


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return str(rng.choices([p for p, _w in pairs], [w for _p, w in pairs])[0])


def create_demo_complaints(
    organisation: Organisation, org_private: bytes, *, seed: int = 19
) -> int:
    """Complaints on a share of the organisation's cases; returns how many were made."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    lawyer = _member(organisation, Role.LAWYER)
    bodies = list(
        OversightBody.objects.filter(country=organisation.country, is_active=True).order_by("pk")
    ) or list(OversightBody.objects.filter(is_active=True).order_by("pk")[:5])
    if lawyer is None or not bodies:
        return 0
    today = timezone.localdate()
    cases = Case.objects.filter(
        organisation=organisation,
        status__in=[CaseStatus.ACTIVE, CaseStatus.MONITORING, CaseStatus.CLOSED],
    ).order_by("number")
    made = 0
    for case in cases:
        if rng.random() >= COMPLAINT_SHARE:
            continue
        key = crypto.unseal(org_private, bytes(case.sealed_key or b""))
        acts = list(Act.objects.filter(event__in=case.incidents.all()).order_by("pk")[:3])
        body = rng.choices(bodies, [BODY_WEIGHTS.get(b.body_type, 1) for b in bodies])[0]
        draft = actions.Draft(
            action_type=_weighted(rng, TYPES),
            body=body,
            acts=acts,
            grounds=[],
            lawyer=lawyer,
        )
        action = actions.create_action(lawyer, case, key, draft)
        made += 1
        stage = _weighted(rng, STAGES)
        if stage == "draft":
            continue
        actions.record_share_consent(lawyer, action, True)
        opened = timezone.localdate(case.opened_at)
        submitted = min(opened + datetime.timedelta(days=rng.randrange(3, 30)), today)
        actions.file_action(
            lawyer, action, key, submitted_on=submitted, channel=rng.choice(Channel.values)
        )
        if stage == "submitted":
            continue
        answered = min(submitted + datetime.timedelta(days=rng.randrange(10, 60)), today)
        if stage == "acknowledged" or rng.random() < 0.5:
            actions.acknowledge(
                lawyer, action, key, on=min(submitted + datetime.timedelta(days=5), today)
            )
        if stage == "acknowledged":
            continue
        response = _weighted(rng, RESPONSES)
        actions.record_response(
            lawyer,
            action,
            key,
            response=response,
            response_on=None if response == Response.NO_RESPONSE else answered,
            outcomes=[rng.choice(OUTCOMES[response])],
        )
        if stage == "closed":
            action.refresh_from_db()
            if action.status != ActionStatus.CLOSED:
                actions.close(lawyer, action)
    return made


def _member(organisation: Organisation, role: str) -> User | None:
    membership = (
        Membership.objects.filter(organisation=organisation, role=role, is_active=True)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None
