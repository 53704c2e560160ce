"""Writing and verifying the audit chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from vigil.audit import checkpoints, events
from vigil.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _digest(
    prev_hash: str,
    seq: int,
    created_at: str,
    actor_id: int | None,
    organisation_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    data: dict[str, Any],
) -> str:
    payload = json.dumps(
        [
            prev_hash,
            seq,
            created_at,
            actor_id,
            organisation_id,
            action,
            target_type,
            target_id,
            data,
        ],
        sort_keys=True,
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    actor: Any,
    action: str,
    /,
    *,
    organisation: Any = None,
    target: models.Model | None = None,
    **data: Any,
) -> AuditEvent:
    """Append one event. Call inside the action's transaction.

    ``data`` must hold identifiers, codes and counts only: never names,
    narratives or contact details. The event and its keys must be declared in
    an app's ``audit_events.py`` (UndeclaredAuditEvent otherwise).
    """
    events.check(action, frozenset(data))
    with transaction.atomic():
        head = _locked_head()
        target_type = target._meta.label_lower if target is not None else ""
        target_id = str(target.pk) if target is not None else ""
        actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
        organisation_id = organisation.pk if organisation is not None else None
        clean = json.loads(json.dumps(data, default=str))
        event = _append(head, actor_id, organisation_id, action, target_type, target_id, clean)
    return event


def _locked_head() -> AuditHead:
    """The head row, locked; rebuilt from the last event when it is missing.

    A missing head (deleted by hand, or lost in a partial restore) must not
    stop every audited write. The rebuild itself is recorded, so the gap in
    custody stays visible; the checkpoints tell whether events went with it.
    """
    head = AuditHead.objects.select_for_update().filter(id=1).first()
    if head is not None:
        return head
    last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
    try:
        with transaction.atomic():
            AuditHead.objects.create(
                id=1,
                seq=last.seq if last is not None else 0,
                hash=last.hash if last is not None else GENESIS,
            )
    except IntegrityError:
        # A concurrent writer rebuilt it (and recorded that) first.
        return AuditHead.objects.select_for_update().get(id=1)
    head = AuditHead.objects.select_for_update().get(id=1)
    if last is not None:
        _append(head, None, None, "audit.head_recovered", "", "", {"seq": last.seq})
    return head


def _append(
    head: AuditHead,
    actor_id: int | None,
    organisation_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    data: dict[str, Any],
) -> AuditEvent:
    seq = head.seq + 1
    created_at = timezone.now()
    digest = _digest(
        head.hash,
        seq,
        created_at.isoformat(),
        actor_id,
        organisation_id,
        action,
        target_type,
        target_id,
        data,
    )
    event = AuditEvent.objects.create(
        seq=seq,
        created_at=created_at,
        actor_id=actor_id,
        organisation_id=organisation_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        data=data,
        prev_hash=head.hash,
        hash=digest,
    )
    head.seq, head.hash = seq, digest
    head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class Problem:
    seq: int
    message: str


def verify() -> Iterator[Problem]:
    """Walk the chain in order; yield every inconsistency found."""
    expected_prev = GENESIS
    expected_seq = 1
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            yield Problem(event.seq, f"missing events {expected_seq}..{event.seq - 1}")
        if event.prev_hash != expected_prev:
            yield Problem(event.seq, "previous-hash link broken")
        digest = _digest(
            event.prev_hash,
            event.seq,
            event.created_at.isoformat(),
            event.actor_id,
            event.organisation_id,
            event.action,
            event.target_type,
            event.target_id,
            event.data,
        )
        if digest != event.hash:
            yield Problem(event.seq, "content does not match its hash (edited)")
        expected_prev = event.hash
        expected_seq = event.seq + 1
    head = AuditHead.objects.filter(id=1).first()
    last_seq = expected_seq - 1
    if head is None and last_seq > 0:
        yield Problem(last_seq, "the head row is missing (deleted)")
    if head is not None and (head.seq != last_seq or head.hash != expected_prev):
        yield Problem(head.seq, f"chain ends at {last_seq} but head says {head.seq} (deleted tail)")
    yield from _against_checkpoints(last_seq)


def _against_checkpoints(last_seq: int) -> Iterator[Problem]:
    """Every signed checkpoint must still be in the chain, with the same hash."""
    lines = list(checkpoints.read())
    wanted = {line.checkpoint.seq: line.checkpoint for line in lines if line.checkpoint}
    hashes = dict(AuditEvent.objects.filter(seq__in=list(wanted)).values_list("seq", "hash"))
    for line in lines:
        checkpoint = line.checkpoint
        if checkpoint is None:
            yield Problem(0, f"checkpoint line {line.number} has no valid signature")
        elif checkpoint.seq > last_seq:
            yield Problem(
                checkpoint.seq,
                f"chain ends at {last_seq} but a checkpoint of {checkpoint.at} "
                f"saw event {checkpoint.seq} (deleted tail)",
            )
        elif checkpoint.seq and hashes.get(checkpoint.seq) != checkpoint.hash:
            yield Problem(
                checkpoint.seq,
                f"event {checkpoint.seq} differs from the checkpoint of {checkpoint.at} "
                "(rewritten)",
            )
