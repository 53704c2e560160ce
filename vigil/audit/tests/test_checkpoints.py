"""Signed checkpoints of the chain head, outside the database, reveal truncation."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Max

from vigil.audit import checkpoints
from vigil.audit.log import record, verify
from vigil.audit.models import AuditEvent, AuditHead
from vigil.conftest import World
from vigil.mailtest import Inbox, body_of, smtp_server

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def outside(settings: Any, tmp_path: Path) -> Path:
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "keys" / "audit.key"
    return tmp_path


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    with smtp_server(settings) as handler:
        yield handler


def _events(world: World, n: int) -> None:
    for count in range(n):
        record(world["coordinator"].user, "demo.generate", organisation=world.org, count=count)


def _messages() -> list[str]:
    return [problem.message for problem in verify()]


def _last_seq() -> int:
    return int(AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0)


def _delete_tail(n: int) -> None:
    last = _last_seq()
    AuditEvent.objects.filter(seq__gt=last - n).delete()  # queryset delete skips the guard


def _rewrite_head_to_last_event() -> None:
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    AuditHead.objects.filter(id=1).update(seq=last.seq, hash=last.hash)


def test_the_command_signs_a_checkpoint_outside_the_database_and_emails_coordinators(
    world: World, outside: Path, inbox: Inbox
) -> None:
    _events(world, 3)
    coordinator = world["coordinator"].user
    coordinator.email = "coordinator@svitlo.example"
    coordinator.save()
    other = world.others["coordinator"].user
    other.email = "coordinator@dostyk.example"
    other.save()
    caseworker = world["caseworker"].user
    caseworker.email = "caseworker@svitlo.example"
    caseworker.save()

    call_command("audit_checkpoint")

    lines = (outside / "checkpoints" / "checkpoints.jsonl").read_text().splitlines()
    assert len(lines) == 1
    written = json.loads(lines[0])
    head = AuditEvent.objects.order_by("-seq").first()
    assert head is not None
    assert (written["seq"], written["hash"]) == (head.seq, head.hash)
    key_file = outside / "keys" / "audit.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [line.valid for line in checkpoints.read()] == [True]
    assert {rcpt[0] for rcpt, _m in inbox.received} == {
        "coordinator@svitlo.example",
        "coordinator@dostyk.example",
    }
    body = body_of(inbox.to("coordinator@svitlo.example")[0])
    assert head.hash in body and str(head.seq) in body
    assert "Svitlo" not in body  # a number and a hash, nothing about anyone


def test_the_task_runs_through_django_tasks(world: World, outside: Path, settings: Any) -> None:
    from vigil.audit.tasks import audit_checkpoint

    settings.TASKS = IMMEDIATE
    _events(world, 1)
    result = audit_checkpoint.enqueue()
    assert result.status == "SUCCESSFUL"
    assert len(list(checkpoints.read())) == 1


def test_it_refuses_to_checkpoint_a_broken_chain(world: World, outside: Path) -> None:
    _events(world, 3)
    _delete_tail(1)
    with pytest.raises(CommandError, match="no checkpoint"):
        call_command("audit_checkpoint")
    assert list(checkpoints.read()) == []


def test_it_detects_a_deleted_head_row(world: World, outside: Path) -> None:
    _events(world, 3)
    assert _messages() == []
    AuditHead.objects.all().delete()
    assert any("head row is missing" in m for m in _messages())


def test_it_detects_a_deleted_tail_with_a_rewritten_head(world: World, outside: Path) -> None:
    _events(world, 5)
    checkpoints.append()
    _delete_tail(2)
    _rewrite_head_to_last_event()
    # The chain and its head agree: only the checkpoint can tell.
    assert any("deleted tail" in m and "checkpoint" in m for m in _messages())
    with pytest.raises(CommandError, match="verification failed"):
        call_command("verify_audit")


def test_it_detects_a_deleted_tail_and_head_row(world: World, outside: Path) -> None:
    _events(world, 5)
    checkpoints.append()
    _delete_tail(2)
    AuditHead.objects.all().delete()
    assert any("checkpoint" in m and "deleted tail" in m for m in _messages())


def test_it_detects_a_tail_rewritten_after_the_checkpoint(world: World, outside: Path) -> None:
    _events(world, 5)
    checkpoints.append()
    _delete_tail(2)
    _rewrite_head_to_last_event()
    _events(world, 3)  # new, self-consistent events where the old ones were
    assert any("differs from the checkpoint" in m for m in _messages())


def test_it_refuses_a_forged_checkpoint(world: World, outside: Path) -> None:
    _events(world, 2)
    checkpoints.append()
    path = checkpoints.checkpoint_path()
    forged = json.loads(path.read_text())
    forged["seq"] = 1
    path.write_text(path.read_text() + json.dumps(forged) + "\n")
    assert any("no valid signature" in m for m in _messages())


def test_a_missing_head_row_does_not_stop_audited_writes(world: World, outside: Path) -> None:
    _events(world, 3)
    checkpoints.append()
    last = _last_seq()
    AuditHead.objects.all().delete()
    event = record(world["coordinator"].user, "key.grant", organisation=world.org)
    assert event.seq == last + 2
    recovered = AuditEvent.objects.get(seq=last + 1)
    assert recovered.action == "audit.head_recovered" and recovered.data == {"seq": last}
    assert _messages() == []  # nothing was lost: the chain and the checkpoint agree
