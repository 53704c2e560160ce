"""Repeat officers, one officer's profile and co-accusal, for lawyers and coordinators."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vigil.cases import consent
from vigil.cases.models import ConsentPurpose
from vigil.conftest import World
from vigil.officers import identity
from vigil.officers.models import OfficerSettings
from vigil.officers.tests.helpers import complaint_with_outcome, incident

BADGE = {"badge": "АВ 4471", "name": "Гаврилюк Петро"}
SAME_BADGE = {"badge": "ab-4471", "name": "Havryliuk Petro"}


def tokens(html: str) -> list[str]:
    return re.findall(r'href="/officers/o/([^/"]+)/"', html)


def test_it_lists_one_badge_typed_two_ways_as_a_repeat_officer(
    world: World, signed_in: Any
) -> None:
    incident(world, [BADGE])
    incident(world, [SAME_BADGE])
    incident(world, [{"badge": "9999"}])
    page = signed_in("lawyer").get("/officers/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "АВ 4471" in html or "ab-4471" in html
    assert "9999" not in html  # one incident only: below the default threshold of 2
    # The badge row and the name row (Гаврилюк / Havryliuk meet through the skeleton).
    assert len(tokens(html)) == 2
    for token in tokens(html):
        # Random base64 may hold any two letters; the identifier itself must not appear.
        assert "4471" not in token and "AB4471" not in token.upper()


def test_it_counts_only_incidents_whose_victim_consents_to_matching(
    world: World, signed_in: Any
) -> None:
    incident(world, [BADGE])
    incident(world, [SAME_BADGE], matching=None)  # never asked
    withdrawn = incident(world, [SAME_BADGE])
    consent.record_consent(
        world["caseworker"].user, withdrawn.victim, ConsentPurpose.MATCHING, False
    )
    html = signed_in("coordinator").get("/officers/").content.decode()
    assert tokens(html) == []
    consent.record_consent(
        world["caseworker"].user, withdrawn.victim, ConsentPurpose.MATCHING, True
    )
    assert len(tokens(signed_in("coordinator").get("/officers/").content.decode())) == 2


def test_it_reads_badges_within_a_region(world: World, signed_in: Any) -> None:
    incident(world, [{"badge": "4471"}], region="UA-30")
    incident(world, [{"badge": "4471"}], region="UA-46")
    assert tokens(signed_in("lawyer").get("/officers/").content.decode()) == []


def test_it_follows_the_threshold_the_coordinator_sets(world: World, signed_in: Any) -> None:
    incident(world, [BADGE])
    incident(world, [SAME_BADGE])
    coordinator = signed_in("coordinator")
    response = coordinator.post("/officers/settings/", {"repeat_threshold": "3"})
    assert response.status_code == 302
    assert OfficerSettings.objects.get(organisation=world.org).repeat_threshold == 3
    assert tokens(coordinator.get("/officers/").content.decode()) == []
    incident(world, [{"badge": "AB4471"}])
    assert len(tokens(coordinator.get("/officers/").content.decode())) == 1  # badge only


def test_it_shows_dates_places_acts_and_complaint_outcomes(world: World, signed_in: Any) -> None:
    first = incident(world, [BADGE], title="Metro station")
    incident(world, [SAME_BADGE], act="ACT.DET.SEARCH")
    complaint_with_outcome(world, first, "disciplined")
    lawyer = signed_in("lawyer")
    badge_token = identity.token(
        world.org.pk, identity.Identity("badge", first.event.perpetrators.get().badge_bidx, "UA-30")
    )
    html = lawyer.get(f"/officers/o/{badge_token}/").content.decode()
    assert "Metro station" in html
    assert first.event.code in html
    assert "14.03.2025" in html or "03/14/2025" in html or "2025" in html
    assert "Officer disciplined" in html
    assert "Гаврилюк Петро" in html and "Havryliuk Petro" in html


def test_it_lists_officers_accused_together_in_two_incidents(world: World, signed_in: Any) -> None:
    partner = {"badge": "КК 0007"}
    incident(world, [BADGE, partner])
    incident(world, [SAME_BADGE, {"badge": "KK0007"}])
    incident(world, [BADGE, {"badge": "5555"}])
    made = incident(world, [BADGE])
    token = identity.token(
        world.org.pk, identity.Identity("badge", made.event.perpetrators.get().badge_bidx, "UA-30")
    )
    html = signed_in("lawyer").get(f"/officers/o/{token}/").content.decode()
    together = html.split('id="co-accused"')[1]
    assert "КК 0007" in together
    assert "5555" not in together  # only one incident together


def test_it_refuses_tokens_it_did_not_make(world: World, signed_in: Any) -> None:
    made = incident(world, [BADGE])
    incident(world, [SAME_BADGE])
    bidx = made.event.perpetrators.get().badge_bidx
    own = identity.token(world.org.pk, identity.Identity("badge", bidx, "UA-30"))
    foreign = identity.token(world.other_org.pk, identity.Identity("badge", bidx, "UA-30"))
    lawyer = signed_in("lawyer")
    assert lawyer.get(f"/officers/o/{own}/").status_code == 200
    assert lawyer.get(f"/officers/o/{foreign}/").status_code == 404
    assert lawyer.get(f"/officers/o/{own[:-2]}xx/").status_code == 404
    assert signed_in("coordinator", other=True).get(f"/officers/o/{own}/").status_code == 404


def test_it_shows_no_name_when_the_session_cannot_unseal(world: World, signed_in: Any) -> None:
    incident(world, [BADGE])
    incident(world, [SAME_BADGE])
    lawyer: Client = signed_in("lawyer")
    lawyer.cookies.pop(settings.VAULT_COOKIE_NAME)
    html = lawyer.get("/officers/").content.decode()
    assert len(tokens(html)) == 2
    assert "4471" not in html and "Гаврилюк" not in html
    assert "sealed" in html


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_runs_a_fixed_number_of_queries(world: World, signed_in: Any) -> None:
    lawyer = signed_in("lawyer")
    first = incident(world, [BADGE, {"badge": "1"}])
    incident(world, [SAME_BADGE, {"badge": "1"}])
    complaint_with_outcome(world, first, "disciplined")
    token = identity.token(
        world.org.pk,
        identity.Identity("badge", first.event.perpetrators.order_by("pk")[0].badge_bidx, "UA-30"),
    )
    small_list = _queries(lawyer, "/officers/")
    small_profile = _queries(lawyer, f"/officers/o/{token}/")
    for n in range(4):
        more = incident(world, [BADGE, {"badge": f"X{n}"}, {"badge": f"X{n}"}])
        incident(world, [{"badge": f"X{n}"}, {"name": f"Officer {n}"}, {"name": f"Officer {n}"}])
        complaint_with_outcome(world, more, "transferred")
    assert _queries(lawyer, "/officers/") == small_list
    assert _queries(lawyer, f"/officers/o/{token}/") == small_profile


def test_the_list_shows_officers_accused_together_across_the_organisation(
    world: World, signed_in: Any
) -> None:
    incident(world, [BADGE, {"badge": "КК 0007"}])
    incident(world, [SAME_BADGE, {"badge": "KK0007"}])  # the same two, typed otherwise
    incident(world, [BADGE, {"badge": "5555"}])  # together once only
    html = signed_in("lawyer").get("/officers/").content.decode()
    together = html.split('id="accused-together"')[1]
    assert "КК 0007" in together and BADGE["badge"] in together
    assert "5555" not in together
    assert together.count("<tr>") == 2  # header and one pair


def test_the_pairs_count_only_incidents_whose_victim_consents(world: World, signed_in: Any) -> None:
    incident(world, [BADGE, {"badge": "КК 0007"}])
    incident(world, [SAME_BADGE, {"badge": "KK0007"}], matching=False)
    html = signed_in("lawyer").get("/officers/").content.decode()
    assert "КК 0007" not in html.split('id="accused-together"')[1]
