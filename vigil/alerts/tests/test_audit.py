"""Every audit event the alerts app writes is declared, with allowed detail keys only."""

from __future__ import annotations

from typing import Any

from vigil.alerts import actions, dispatch
from vigil.alerts.audit_events import EVENTS
from vigil.alerts.tests.helpers import make_source, published
from vigil.audit.models import AuditEvent
from vigil.conftest import World

PREFIXES = ("alert.", "subscriber.", "alert_member.", "checker.", "police.")


def test_it_declares_every_event_it_records(world: World, signed_in: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    alert = published(world)
    caseworker = world["caseworker"].user
    member = actions.enrol(
        caseworker,
        world.org,
        group="peer",
        channel="page",
        region="",
        language="ru",
        name="M",
        email="m@example.org",
        phone="",
    )
    issued = actions.issue_link("m@example.org")
    assert issued is not None
    actions.redeem_link(issued[1])
    actions.check_identifier(caseworker, world.org.pk, "u:1", "plate", "AK1234KA")
    job = actions.prepare_dispatch(caseworker, alert, [])
    dispatch.run(job.pk)
    source = make_source(world, police_consent=True)
    signed_in("lawyer").post(
        "/alerts/police/digest/",
        {
            "partner": "P",
            "month_from": "2026-10-01",
            "month_to": "2026-10-31",
            "file_format": "csv",
        },
    )
    row = actions.record_link_request(
        caseworker,
        world.org,
        partner="P",
        reference="R",
        request_text="x",
        received_at=source.event.start_date or alert.period_start,
        event_id=source.event.pk,
    )
    from vigil.incidents.models import Person

    actions.record_link_decision(
        caseworker, row, granted=False, victims=Person.objects.filter(pk=source.victim.pk)
    )
    actions.deactivate(caseworker, member)
    coordinator = world["coordinator"]
    actions.withdraw(coordinator.user, coordinator.membership, alert)
    seen = set()
    for event in AuditEvent.objects.all():
        if not event.action.startswith(PREFIXES):
            continue
        seen.add(event.action)
        assert event.action in EVENTS, event.action
        assert set(event.data) <= EVENTS[event.action], (event.action, event.data)
    assert len(seen) >= 15, sorted(seen)
