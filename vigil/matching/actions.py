"""Writes of repeat-perpetrator matching, each audited.

The OPRF round trip runs inside the lawyer's request, not in a background
job: the identifiers exist in clear only while her session holds the
organisation key, and a worker (which holds no key) would need them to rest
in the task table. Withdrawal needs no key (a random secret per entry), so it
is a background job.
"""

from __future__ import annotations

import hashlib
from typing import Any

import nacl.utils
from django.db import transaction
from django.utils import timezone

from matchsvc import oprf
from vigil.accounts.models import Organisation, User
from vigil.audit.log import record
from vigil.incidents.models import Event, Person
from vigil.matching import client, escrow, reads
from vigil.matching.models import MatchEntry, MatchingMembership, NetworkCounsel
from vigil.stats.models import Network
from vigil.vault import crypto
from vigil.vault.models import MemberKey

BATCH = 50


def join_network(
    acting_user: User | None, organisation: Organisation, network: Network, token: str
) -> MatchingMembership:
    """Store the organisation's service token sealed to its public key."""
    from vigil.vault.keys import organisation_public_key

    sealed = crypto.seal_to(organisation_public_key(organisation), token.encode())
    with transaction.atomic():
        membership, _ = MatchingMembership.objects.update_or_create(
            organisation=organisation, network=network, defaults={"sealed_token": sealed}
        )
        record(
            acting_user,
            "matching.join",
            organisation=organisation,
            target=membership,
            network=network.pk,
        )
    return membership


def appoint_counsel(
    acting_user: User | None, user: User, network: Network, token: str
) -> NetworkCounsel:
    """Give the counsel a fresh key pair, its private half sealed to her member key.

    A new key makes entries sealed to a former counsel's key unreadable to
    her: members re-submit (docs/user-guide.md).
    """
    member_public = bytes(MemberKey.objects.get(user=user).public_key)
    private, public = crypto.new_keypair()
    with transaction.atomic():
        counsel, _ = NetworkCounsel.objects.update_or_create(
            network=network,
            defaults={
                "user": user,
                "public_key": public,
                "sealed_private": crypto.seal_to(member_public, private),
                "sealed_token": crypto.seal_to(public, token.encode()),
            },
        )
        record(
            acting_user,
            "matching.counsel_appoint",
            organisation=network.host,
            target=counsel,
            network=network.pk,
            user=user.pk,
        )
    return counsel


def _content(acting_user: User, event: Event, item: reads.Identifier, month: str) -> dict[str, Any]:
    acts = sorted({code for code in event.acts.values_list("act_type__code", flat=True) if code})
    return {
        "organisation": event.organisation.name,
        "organisation_id": event.organisation_id,
        "incident": event.code,
        "month": month,
        "country": event.country,
        "region": event.region,
        "acts": acts,
        "kind": item.kind,
        "identifier": item.typed,
        "normalised": item.normalised,
        "lawyer": acting_user.get_full_name() or acting_user.get_username(),
        "lawyer_id": acting_user.pk,
    }


def _month(event: Event) -> str:
    day = event.start_date or timezone.localdate(event.created_at)
    return f"{day.year:04d}-{day.month:02d}"


def submit_event(*, acting_user: User, event: Event, event_key: bytes, org_private: bytes) -> int:
    """Send one entry per identifier not yet entered to every network the
    organisation matches in; return how many were sent.

    Raises client.ServiceError (after auditing a quota refusal).
    """
    sent = 0
    memberships = MatchingMembership.objects.filter(organisation=event.organisation_id)
    for membership in memberships.select_related("network"):
        counsel = NetworkCounsel.objects.filter(network=membership.network).first()
        if counsel is None:
            continue
        entered = set(
            MatchEntry.objects.filter(
                event=event, network=membership.network, withdrawn_at__isnull=True
            ).values_list("perpetrator_id", "kind")
        )
        todo = [
            item
            for item in reads.identifiers(event, event_key)
            if (item.perpetrator.pk, item.kind) not in entered
        ]
        if todo:
            token = crypto.unseal(org_private, bytes(membership.sealed_token)).decode()
            for start in range(0, len(todo), BATCH):
                sent += _submit_batch(
                    acting_user,
                    event,
                    membership.network,
                    counsel,
                    token,
                    todo[start : start + BATCH],
                )
    return sent


def _submit_batch(
    acting_user: User,
    event: Event,
    network: Network,
    counsel: NetworkCounsel,
    token: str,
    items: list[reads.Identifier],
) -> int:
    inputs = [item.oprf_input(event.country) for item in items]
    blinded = [oprf.blind(value) for value in inputs]
    try:
        evaluated, point, threshold = client.evaluate(token, [b.element for b in blinded])
    except client.ServiceError as error:
        if error.code == "quota":
            record_quota_refusal(acting_user, event.organisation, network)
        raise
    month = _month(event)
    payload, secrets = [], []
    for item, value, hidden, answer in zip(items, inputs, blinded, evaluated, strict=True):
        derived = escrow.derive(oprf.finalize(value, hidden.blind, answer), threshold)
        secret = nacl.utils.random(32)
        sealed = escrow.seal_entry(
            bytes(counsel.public_key), derived, point, _content(acting_user, event, item, month)
        )
        secrets.append(secret)
        payload.append(
            {
                "tag": client.b64(derived.tag),
                "sealed": client.b64(sealed),
                "month": month,
                "withdraw_hash": client.b64(hashlib.sha256(secret).digest()),
            }
        )
    ids = client.add_entries(token, payload)
    with transaction.atomic():
        MatchEntry.objects.bulk_create(
            MatchEntry(
                organisation_id=event.organisation_id,
                network=network,
                event=event,
                perpetrator=item.perpetrator,
                kind=item.kind,
                service_id=pk,
                withdraw_secret=secret,
            )
            for item, pk, secret in zip(items, ids, secrets, strict=True)
        )
        record(
            acting_user,
            "matching.submit",
            organisation=event.organisation,
            target=event,
            network=network.pk,
            entries=len(ids),
        )
    return len(ids)


def record_quota_refusal(
    acting_user: User | None, organisation: Organisation, network: Network
) -> None:
    """The service refused for quota: audit it and alarm the coordinators and the counsel."""
    from vigil.matching import tasks

    with transaction.atomic():
        record(
            acting_user,
            "matching.quota_refused",
            organisation=organisation,
            target=network,
            network=network.pk,
        )
        transaction.on_commit(lambda: tasks.send_quota_alarm.enqueue(organisation.pk, network.pk))


def withdraw_for_person(acting_user: User | None, person: Person, reason: str = "consent") -> int:
    """Withdraw every entry of the incidents this woman is a victim of."""
    events = Event.objects.filter(acts__victim=person).distinct()
    return _withdraw(acting_user, person.organisation, person, events, reason)


def withdraw_for_event(acting_user: User | None, event: Event, reason: str) -> int:
    return _withdraw(
        acting_user, event.organisation, event, Event.objects.filter(pk=event.pk), reason
    )


def _withdraw(
    acting_user: User | None, organisation: Organisation, target: Any, events: Any, reason: str
) -> int:
    from vigil.matching import tasks

    with transaction.atomic():
        rows = MatchEntry.objects.filter(event__in=events, withdrawn_at__isnull=True)
        count = rows.update(withdrawn_at=timezone.now())
        if not count:
            return 0
        record(
            acting_user,
            "matching.withdraw",
            organisation=organisation,
            target=target,
            entries=count,
            reason=reason,
        )
        transaction.on_commit(lambda: tasks.withdraw_pending.enqueue())
    return count


def record_reveal(acting_user: User, counsel: NetworkCounsel, matches: reads.Matches) -> None:
    with transaction.atomic():
        record(
            acting_user,
            "matching.reveal",
            organisation=counsel.network.host,
            target=counsel,
            network=counsel.network_id,
            groups=len(matches.readable_groups),
            entries=matches.entries,
            unreadable=matches.unreadable,
        )
