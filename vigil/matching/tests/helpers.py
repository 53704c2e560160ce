"""A running matching service and incidents to feed it, for this app's tests."""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.test import Client

from matchsvc.testing import Network as ServiceNetwork
from matchsvc.testing import configure, serving
from vigil.cases import consent
from vigil.cases.models import ConsentPurpose
from vigil.conftest import Persona, World, sign_in
from vigil.incidents import actions as incident_actions
from vigil.incidents.models import Event, Person
from vigil.mailtest import Inbox, smtp_server
from vigil.matching import actions
from vigil.matching.models import NetworkCounsel
from vigil.stats.models import Network
from vigil.vault import crypto, keys
from vigil.vocab.models import Term

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass
class Matching:
    service: ServiceNetwork
    network: Network
    counsel: NetworkCounsel
    inbox: Inbox
    url: str

    def service_rows(self, query: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.service.config.database) as db:
            return db.execute(query).fetchall()


@contextmanager
def running(world: World, folder: Path, settings: Any, **overrides: Any) -> Iterator[Matching]:
    """Service with network "eecahr"; both organisations members; the first
    organisation's lawyer is the network's counsel."""
    settings.TASKS = IMMEDIATE
    with smtp_server(settings) as inbox:
        service = configure(
            folder,
            smtp_host="127.0.0.1",
            smtp_port=settings.EMAIL_PORT,
            review_url="http://testserver/matching/counsel/",
            **overrides,
        )
        with serving(service.config) as url:
            settings.MATCHING_SERVICE_URL = url
            network = Network.objects.create(name="EECA network", slug="eecahr", host=world.org)
            counsel = actions.appoint_counsel(
                None, world["lawyer"].user, network, service.counsel_token
            )
            for organisation in (world.org, world.other_org):
                token = service.add_member(organisation.slug)
                actions.join_network(None, organisation, network, token)
            yield Matching(service, network, counsel, inbox, url)


def private_key(world: World, persona: Persona) -> bytes:
    if persona.organisation.pk == world.org.pk:
        return world.org_private
    return keys.organisation_private_from_phrase(world.other_org, world.other_phrase)


def incident(
    world: World,
    persona: Persona,
    *,
    matching_consent: bool = True,
    country: str = "UA",
    **identifiers: Any,
) -> Event:
    """A recorded incident with one victim and one perpetrator carrying ``identifiers``."""
    user, organisation = persona.user, persona.organisation
    index_key = crypto.blind_index_key(private_key(world, persona))
    new = incident_actions.start_event(
        user, organisation, start_date=datetime.date(2026, 3, 14), country=country, region="UA-30"
    )
    victim = incident_actions.create_person(user, organisation, index_key, pseudonym="Olena")
    act_type = Term.objects.filter(list="act_type", organisation__isnull=True).order_by("pk")[0]
    incident_actions.add_act(user, new.event, victim=victim, act_type=act_type)
    incident_actions.add_perpetrator(
        user, new.event, new.key, index_key, perpetrator_type=None, sealed=identifiers
    )
    incident_actions.finish_event(user, new.event)
    consent.record_consent(user, victim, ConsentPurpose.MATCHING, matching_consent)
    return new.event


def qualify(persona: Persona, event: Event, code: str = "VST.CONFIRMED") -> Client:
    """The lawyer qualifies through the incident page, as she would."""
    client = Client()
    sign_in(client, persona)
    status = Term.objects.get(list="violation_status", code=code, organisation__isnull=True)
    response = client.post(f"/incidents/{event.pk}/qualify/", {"status": status.pk})
    assert response.status_code == 302, response.content[:300]
    return client


def victim_of(event: Event) -> Person:
    return Person.objects.filter(acts__event=event).distinct().get()
