"""The counsel's page: her password opens her key for one request, audited."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from vigil.audit.models import AuditEvent
from vigil.conftest import PASSWORD, World, sign_in
from vigil.matching import reads
from vigil.matching.models import MatchingMembership, NetworkCounsel
from vigil.matching.tests.helpers import incident, qualify, running
from vigil.stats.models import Network
from vigil.vault import crypto, keys

pytestmark = pytest.mark.django_db


def test_it_asks_for_her_password_and_refuses_a_wrong_one(
    world: World, tmp_path: Path, settings: Any
) -> None:
    with running(world, tmp_path, settings) as matching:
        qualify(world["lawyer"], incident(world, world["lawyer"], badge="AB1234"))
        qualify(world.others["lawyer"], incident(world, world.others["lawyer"], badge="AB1234"))
        client = Client()
        sign_in(client, world["lawyer"])
        url = f"/matching/counsel/{matching.network.pk}/"
        home = client.get("/matching/counsel/")
        assert url in home.content.decode()
        form = client.get(url).content.decode()
        wrong = client.post(url, {"password": "not her password"}).content.decode()
        stopped = Client()
        sign_in(stopped, world["lawyer"])
        settings.MATCHING_SERVICE_URL = "http://127.0.0.1:1"  # nothing listens there
        down = stopped.post(url, {"password": "correct horse battery staple"}).content.decode()
    assert 'type="password"' in form and "AB1234" not in form
    assert "does not open your key" in wrong and "AB1234" not in wrong
    assert "did not answer" in down
    # Neither a wrong password nor an unreachable service counts as a reveal.
    assert not AuditEvent.objects.filter(action="matching.reveal").exists()


def test_it_tells_no_lawyer_of_the_match(world: World, tmp_path: Path, settings: Any) -> None:
    with running(world, tmp_path, settings) as matching:
        qualify(world["lawyer"], incident(world, world["lawyer"], badge="AB1234"))
        client = qualify(
            world.others["lawyer"], incident(world, world.others["lawyer"], badge="AB1234")
        )
        response = client.get("/", follow=True)
        inbox = matching.inbox
    # The second lawyer, whose entry made the match, is told exactly what the first was.
    told = [str(message) for message in response.context["messages"]]
    assert told == ["Violation status saved.", "1 identifier entered for matching."]
    assert [rcpt for rcpt, _ in inbox.received] == [["counsel@example.org"]]


def test_it_sets_up_membership_and_counsel_from_the_command_line(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = Network.objects.create(name="EECA", slug="eeca", host=world.org)
    monkeypatch.setattr("sys.stdin", io.StringIO("mo_member-token\n"))
    call_command("matching_join", "dostyk", "eeca", stdout=io.StringIO())
    monkeypatch.setattr("sys.stdin", io.StringIO("mc_counsel-token\n"))
    call_command("matching_counsel", world["lawyer"].user.username, "eeca", stdout=io.StringIO())
    # Both tokens are sealed: only the organisation key, or the counsel's, opens them.
    sealed = bytes(MatchingMembership.objects.get(organisation=world.other_org).sealed_token)
    assert b"mo_member-token" not in sealed
    other_private = keys.organisation_private_from_phrase(world.other_org, world.other_phrase)
    assert crypto.unseal(other_private, sealed) == b"mo_member-token"
    counsel = NetworkCounsel.objects.get(network=network)
    private = reads.counsel_private_key(counsel, PASSWORD)
    assert crypto.unseal(private, bytes(counsel.sealed_token)) == b"mc_counsel-token"


def test_it_sets_up_the_demo_matching(tmp_path: Path) -> None:
    from vigil.accounts.demo import create_demo
    from vigil.matching.demo import create_demo_matching

    create_demo()
    assert "demo-eeca" in create_demo_matching(tmp_path)
    assert "exists already" in create_demo_matching(tmp_path)
    assert MatchingMembership.objects.count() == 2
    assert NetworkCounsel.objects.get().user.username == "svitlo-lawyer"
