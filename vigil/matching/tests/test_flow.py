"""From a lawyer's qualification to the counsel's reading, through a real
service on a loopback port."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vigil.audit.models import AuditEvent
from vigil.cases import consent
from vigil.cases.models import ConsentPurpose
from vigil.conftest import PASSWORD, World
from vigil.incidents import actions as incident_actions
from vigil.matching import escrow, reads
from vigil.matching.models import MatchEntry
from vigil.matching.tests.helpers import incident, qualify, running, victim_of

pytestmark = pytest.mark.django_db


def test_it_reveals_a_badge_two_organisations_typed_differently(
    world: World, tmp_path: Path, settings: Any
) -> None:
    with running(world, tmp_path, settings) as matching:
        first = incident(world, world["lawyer"], badge="АВ 1234")  # Cyrillic letters
        qualify(world["lawyer"], first)
        assert matching.inbox.to("counsel@example.org") == []
        second = incident(world, world.others["lawyer"], badge="ab-1234")
        qualify(world.others["lawyer"], second)
        notices = matching.inbox.to("counsel@example.org")
        assert len(notices) == 1
        matches = reads.open_matches(matching.counsel, PASSWORD)
    [group] = matches.readable_groups
    by_org = {entry["organisation"]: entry for entry in group.entries}
    assert set(by_org) == {"Svitlo", "Dostyk"}
    assert by_org["Svitlo"]["incident"] == first.code
    assert by_org["Dostyk"]["identifier"] == "ab-1234"
    assert by_org["Svitlo"]["month"] == "2026-03"
    assert by_org["Dostyk"]["lawyer"] == world.others["lawyer"].user.username
    assert matches.unreadable == 0
    # The lawyers were told nothing about the match: only "entered".
    assert MatchEntry.objects.filter(withdrawn_at__isnull=True).count() == 2


def test_it_never_reveals_one_organisation_entering_twice(
    world: World, tmp_path: Path, settings: Any
) -> None:
    with running(world, tmp_path, settings) as matching:
        for typed in ("AB 1234", "ав1234"):
            qualify(world["lawyer"], incident(world, world["lawyer"], badge=typed))
        assert MatchEntry.objects.count() == 2
        assert reads.open_matches(matching.counsel, PASSWORD).groups == []
        assert matching.inbox.to("counsel@example.org") == []
        # Even handed every stored entry, the counsel cannot open two shares
        # at the same point: one organisation is one point on the line.
        rows = matching.service_rows(
            "SELECT e.id, m.point, e.sealed FROM entry e JOIN member m ON m.id = e.member_id"
        )
        private = reads.counsel_private_key(matching.counsel, PASSWORD)
    assert len({tag for tag in rows}) == 2 and len({row[1] for row in rows}) == 1
    entries = [{"id": pk, "point": point, "sealed": _b64(sealed)} for pk, point, sealed in rows]
    opened = escrow.open_group(private, entries, 2)
    assert opened.entries == [] and opened.unreadable == 2


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()


def test_it_shows_the_counsel_exactly_the_matched_entries(
    world: World, tmp_path: Path, settings: Any
) -> None:
    with running(world, tmp_path, settings) as matching:
        qualify(world["lawyer"], incident(world, world["lawyer"], badge="AB1234", name="Петренко"))
        qualify(world["lawyer"], incident(world, world["lawyer"], badge="ZZ9999"))
        qualify(
            world.others["lawyer"],
            incident(world, world.others["lawyer"], badge="AB 1234", plate="КА 7777 ВВ"),
        )
        client = qualify(world["lawyer"], incident(world, world["lawyer"], name="Nobody"))
        response = client.post(f"/matching/counsel/{matching.network.pk}/", {"password": PASSWORD})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<tr>") == 1 + 2  # header and the two AB1234 entries
    for absent in ("Петренко", "ZZ9999", "КА 7777", "Nobody"):
        assert absent not in page
    event = AuditEvent.objects.filter(action="matching.reveal").get()
    assert event.data == {
        "network": matching.network.pk,
        "groups": 1,
        "entries": 2,
        "unreadable": 0,
    }


def test_it_opens_a_genuine_match_despite_a_forged_entry(
    world: World, tmp_path: Path, settings: Any
) -> None:
    import hashlib
    import json

    from matchsvc.app import make_app
    from matchsvc.testing import call
    from vigil.vault import crypto

    with running(world, tmp_path, settings) as matching:
        qualify(world["lawyer"], incident(world, world["lawyer"], badge="AB1234"))
        # A hostile member that learned the tag (say, from the service's
        # disk) files a share that does not lie on the line, placed first.
        [(tag,)] = matching.service_rows("SELECT tag FROM entry")
        forger = matching.service.add_member("forger")
        forged = crypto.seal_to(
            bytes(matching.counsel.public_key),
            json.dumps({"y": (7).to_bytes(32, "little").hex(), "box": _b64(b"x" * 60)}).encode(),
        )
        call(
            make_app(matching.service.config),
            "POST",
            "/v1/entries",
            forger,
            {
                "entries": [
                    {
                        "tag": _b64(tag),
                        "sealed": _b64(forged),
                        "month": "2026-03",
                        "withdraw_hash": _b64(hashlib.sha256(b"f" * 32).digest()),
                    }
                ]
            },
        )
        qualify(world.others["lawyer"], incident(world, world.others["lawyer"], badge="AB-1234"))
        matches = reads.open_matches(matching.counsel, PASSWORD)
    [group] = matches.groups
    assert {entry["organisation"] for entry in group.entries} == {"Svitlo", "Dostyk"}
    assert group.unreadable == 1


def test_it_withdraws_the_entries_when_consent_is_withdrawn(
    world: World, tmp_path: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with running(world, tmp_path, settings) as matching:
        first = incident(world, world["lawyer"], badge="AB1234")
        qualify(world["lawyer"], first)
        qualify(world.others["lawyer"], incident(world, world.others["lawyer"], badge="AB1234"))
        assert len(reads.open_matches(matching.counsel, PASSWORD).readable_groups) == 1
        with django_capture_on_commit_callbacks(execute=True):
            consent.record_consent(
                world["caseworker"].user, victim_of(first), ConsentPurpose.MATCHING, False
            )
        assert reads.open_matches(matching.counsel, PASSWORD).groups == []
        assert matching.service_rows("SELECT COUNT(*) FROM entry") == [(1,)]
    entry = MatchEntry.objects.get(event=first)
    assert entry.withdrawn_at is not None and entry.withdraw_secret is None
    actions = list(
        AuditEvent.objects.filter(action__startswith="matching.withdraw")
        .order_by("seq")
        .values_list("action", "data")
    )
    assert actions == [
        ("matching.withdraw", {"entries": 1, "reason": "consent"}),
        ("matching.withdraw_confirmed", {"entries": 1}),
    ]


def test_it_enters_nothing_without_consent_or_qualification(
    world: World, tmp_path: Path, settings: Any
) -> None:
    with running(world, tmp_path, settings) as matching:
        qualify(
            world["lawyer"],
            incident(world, world["lawyer"], badge="AB1234", matching_consent=False),
        )
        qualify(
            world["lawyer"], incident(world, world["lawyer"], badge="AB1234"), code="VST.POSSIBLE"
        )
        assert matching.service_rows("SELECT COUNT(*) FROM entry") == [(0,)]
    assert not MatchEntry.objects.exists()


def test_it_withdraws_when_the_incident_is_requalified_as_no_violation(
    world: World, tmp_path: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with running(world, tmp_path, settings) as matching:
        event = incident(world, world["lawyer"], badge="AB1234", name="Ivanov")
        qualify(world["lawyer"], event)
        qualify(world["lawyer"], event)  # again: nothing entered twice
        assert matching.service_rows("SELECT COUNT(*) FROM entry") == [(2,)]
        with django_capture_on_commit_callbacks(execute=True):
            qualify(world["lawyer"], event, code="VST.NOT_VIOLATION")
        assert matching.service_rows("SELECT COUNT(*) FROM entry") == [(0,)]


def test_it_refuses_past_the_quota_and_alarms_the_coordinator_and_counsel(
    world: World, tmp_path: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for persona in (world["coordinator"], world["lawyer"]):
        persona.user.email = f"{persona.user.username}@svitlo.example.org"
        persona.user.save(update_fields=["email"])
    with running(world, tmp_path, settings, daily_quota=1) as matching:
        event = incident(world, world["lawyer"], badge="AB1", name="Ivanov")
        with django_capture_on_commit_callbacks(execute=True):
            client = qualify(world["lawyer"], event)
        inbox = matching.inbox
    assert not MatchEntry.objects.exists()
    assert (
        AuditEvent.objects.filter(action="matching.quota_refused", organisation=world.org).count()
        == 1
    )
    assert AuditEvent.objects.get(action="matching.alarm_sent").data["recipients"] == 2
    for address in ("a-coordinator@svitlo.example.org", "a-lawyer@svitlo.example.org"):
        [message] = inbox.to(address)
        assert "limit" in message["Subject"]
    assert len(inbox.to("counsel@example.org")) == 1  # the service's own alarm
    page = client.get("/").content.decode()
    assert "Ivanov" not in page


def test_shredding_an_incident_withdraws_its_entries_and_unlinks_its_officers(
    world: World, tmp_path: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with running(world, tmp_path, settings) as matching:
        event = incident(world, world["lawyer"], badge="AB1234", name="Ivanov")
        qualify(world["lawyer"], event)
        assert matching.service_rows("SELECT COUNT(*) FROM entry") == [(2,)]
        with django_capture_on_commit_callbacks(execute=True):
            incident_actions.shred_event(world["coordinator"].user, event)
        assert matching.service_rows("SELECT COUNT(*) FROM entry") == [(0,)]
    assert not event.perpetrators.exclude(badge_bidx="", name_bidx="").exists()
    withdrawn = AuditEvent.objects.get(action="matching.withdraw")
    assert withdrawn.data == {"entries": 2, "reason": "shred"}
