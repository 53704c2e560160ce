"""Keep the roll-ups current: every audited change that statistics count enqueues a
refresh of the incidents concerned (``tasks.refresh_rollups``, run by the worker).

The hook listens to the audit log rather than to model saves: every write goes
through an action function that records an audit event inside its transaction
(even a removal is recorded before the row goes), and the audit event names the
changed row. The refresh is enqueued when that transaction commits. Organisations
whose roll-ups were never built are counted live and enqueue nothing.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import transaction

from vigil.audit.models import AuditEvent
from vigil.cases.models import Case
from vigil.complaints.models import LegalAction
from vigil.incidents.models import Act, Event, Person
from vigil.stats.models import RollupBuild

# Audited actions that change what statistics count.
REFRESH = frozenset(
    {
        "event.update",
        "event.record",
        "event.shred",
        "person.update",
        "act.add",
        "act.remove",
        "perpetrator.add",
        "perpetrator.remove",
        "case.open",
        "case.status",
        "case.closure_approve",
        "intervention.add",
        "consent.record",
        "consent.override",
        "legal_action.create",
        "legal_action.update",
        "legal_action.status",
    }
)
# Actions that change many incidents at once: rebuild the organisation.
REBUILD = frozenset({"demo.generate", "import.finish"})


def _person(person_id: int) -> tuple[set[int], set[int], set[int]]:
    events = set(Act.objects.filter(victim_id=person_id).values_list("event_id", flat=True))
    return events, {person_id}, set()


def _case(case_id: int) -> tuple[set[int], set[int], set[int]]:
    links = Case.incidents.through.objects.filter(case_id=case_id)
    return set(links.values_list("event_id", flat=True)), set(), {case_id}


def concerned(target: Any) -> tuple[set[int], set[int], set[int]]:
    """(incident, victim, case) ids whose counts a change of ``target`` may move."""
    if isinstance(target, Event):  # its victims and cases too, in case it goes
        victims = set(Act.objects.filter(event_id=target.pk).values_list("victim_id", flat=True))
        links = Case.incidents.through.objects.filter(event_id=target.pk)
        return {target.pk}, victims, set(links.values_list("case_id", flat=True))
    if isinstance(target, Act):
        return {target.event_id}, {target.victim_id}, set()
    if isinstance(target, Person):
        return _person(target.pk)
    if isinstance(target, Case):
        return _case(target.pk)
    if getattr(target, "event_id", None):  # perpetrator
        return {target.event_id}, set(), set()
    if getattr(target, "person_id", None):  # consent
        return _person(target.person_id)
    if getattr(target, "case_id", None):  # intervention, override, legal action
        events, victims, cases = _case(target.case_id)
        if isinstance(target, LegalAction):  # a police report counts for its acts' incidents
            events |= set(target.acts.values_list("event_id", flat=True))
        return events, victims, cases
    return set(), set(), set()


def on_audit(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    if not created or instance.organisation_id is None:
        return
    if instance.action not in REFRESH and instance.action not in REBUILD:
        return
    org_id = instance.organisation_id
    if not RollupBuild.objects.filter(organisation_id=org_id).exists():
        return
    from vigil.stats import tasks

    if instance.action in REBUILD:
        transaction.on_commit(lambda: tasks.rebuild_rollups.enqueue(org_id))
        return
    model = apps.get_model(instance.target_type) if instance.target_type else None
    target = model.objects.filter(pk=instance.target_id).first() if model else None
    events, victims, cases = concerned(target)
    if events or victims or cases:
        transaction.on_commit(
            lambda: tasks.refresh_rollups.enqueue(
                org_id, sorted(events), sorted(victims), sorted(cases)
            )
        )
