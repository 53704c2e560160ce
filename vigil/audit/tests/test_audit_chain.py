from __future__ import annotations

from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from vigil.audit.log import record, verify
from vigil.audit.models import AppendOnlyError, AuditEvent
from vigil.conftest import World


@pytest.fixture
def chain(world: World) -> World:
    for n in range(5):
        record(world["coordinator"].user, "demo.generate", organisation=world.org, count=n)
    return world


def _verify_fails(match: str) -> None:
    with pytest.raises(CommandError, match="verification failed"):
        call_command("verify_audit")
    assert any(match in p.message for p in verify())


def test_it_verifies_an_intact_chain(chain: World) -> None:
    assert list(verify()) == []
    call_command("verify_audit")
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(b.prev_hash == a.hash for a, b in pairwise(events))


def test_it_refuses_changes_through_the_orm(chain: World) -> None:
    event = AuditEvent.objects.order_by("seq").first()
    assert event is not None
    event.action = "edited"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_it_detects_an_edited_row(chain: World) -> None:
    middle = AuditEvent.objects.order_by("seq")[3]
    AuditEvent.objects.filter(pk=middle.pk).update(data={"count": 99})
    _verify_fails("edited")


def test_it_detects_a_deleted_row(chain: World) -> None:
    middle = AuditEvent.objects.order_by("seq")[3]
    AuditEvent.objects.filter(pk=middle.pk).delete()  # queryset delete bypasses the model guard
    _verify_fails("missing events")


def test_it_detects_a_deleted_tail(chain: World) -> None:
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    AuditEvent.objects.filter(pk=last.pk).delete()
    _verify_fails("deleted tail")


def test_it_detects_an_inserted_row(chain: World) -> None:
    # Make room after event 2 and forge an event there with a self-consistent hash.
    AuditEvent.objects.filter(seq__gte=3).update(seq=F("seq") + 100)
    second = AuditEvent.objects.get(seq=2)
    AuditEvent.objects.create(
        seq=3, created_at=second.created_at, action="forged", prev_hash=second.hash, hash="f" * 64
    )
    _verify_fails("edited")


def test_it_keeps_sensitive_words_out_of_audit_rows(world: World) -> None:
    from vigil.accounts import actions

    actions.add_member(world["coordinator"].user, world.org, username="newperson", role="lawyer")
    rows = list(AuditEvent.objects.values_list("action", "data"))
    assert ("member.add", {"role": "lawyer", "granted": False}) in rows
    assert "newperson" not in str(rows)
