"""What matching reads: the identifiers of an incident, and the counsel's matches.

Both unseal: the identifiers with the event's data key (in the lawyer's
request), the matches with the counsel's own key (opened by her password for
this request only, never kept in the session).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vigil.cases import consent
from vigil.cases.models import ConsentPurpose
from vigil.incidents.models import Event, Perpetrator, Person
from vigil.matching import client, escrow
from vigil.matching.models import IdentifierKind, MatchingMembership, NetworkCounsel
from vigil.vault import crypto, keys, sealing

# Incidents a lawyer qualified as these are matched; others are not (or withdrawn).
MATCHED_STATUSES = frozenset({"VST.CONFIRMED", "VST.LIKELY"})


@dataclass(frozen=True)
class Identifier:
    perpetrator: Perpetrator
    kind: str
    typed: str
    normalised: str

    def oprf_input(self, country: str) -> bytes:
        # Badge and plate numbers are national; names and phones are not scoped.
        scope = country if self.kind in {IdentifierKind.BADGE, IdentifierKind.PLATE} else ""
        return f"vigil-match\x00{self.kind}\x00{scope}\x00{self.normalised}".encode()


def takes_part(organisation_id: int) -> bool:
    """The organisation is a member of some network's matching."""
    return MatchingMembership.objects.filter(organisation_id=organisation_id).exists()


def qualifies(event: Event) -> bool:
    status = event.violation_status
    return status is not None and status.code in MATCHED_STATUSES


def victims_consent(event: Event) -> bool:
    """Every woman in the incident has consented (latest decision) to matching."""
    victims = list(Person.objects.filter(acts__event=event).distinct())
    return bool(victims) and all(consent.has(v, ConsentPurpose.MATCHING) for v in victims)


def identifiers(event: Event, event_key: bytes) -> list[Identifier]:
    found: dict[tuple[str, str], Identifier] = {}
    for perpetrator in Perpetrator.objects.filter(event=event).order_by("pk"):
        values = sealing.open_json(event_key, perpetrator.sealed, {})
        for kind in IdentifierKind.values:
            typed = str(values.get(kind) or "").strip()
            normalised = crypto.normalise(kind, typed) if typed else ""
            if normalised and (kind, normalised) not in found:
                found[(kind, normalised)] = Identifier(perpetrator, kind, typed, normalised)
    return list(found.values())


class WrongPassword(Exception):
    pass


@dataclass
class Matches:
    groups: list[escrow.OpenedGroup]

    @property
    def entries(self) -> int:
        return sum(len(group.entries) for group in self.groups)

    @property
    def unreadable(self) -> int:
        return sum(group.unreadable for group in self.groups)

    @property
    def readable_groups(self) -> list[escrow.OpenedGroup]:
        return [group for group in self.groups if group.entries]


def counsel_private_key(counsel: NetworkCounsel, password: str) -> bytes:
    try:
        member_private = keys.unlock_member(counsel.user, password)
    except crypto.CryptoError as exc:
        raise WrongPassword from exc
    if member_private is None:
        raise WrongPassword
    return crypto.unseal(member_private, bytes(counsel.sealed_private))


def open_matches(counsel: NetworkCounsel, password: str) -> Matches:
    """Fetch the groups the service holds at or above the threshold, and open them.

    The service only ever returns such groups, so the counsel cannot read an
    entry that has no match; within a group only entries that decrypt under
    the reconstructed key are shown.
    """
    private = counsel_private_key(counsel, password)
    token = crypto.unseal(private, bytes(counsel.sealed_token)).decode()
    threshold, groups = client.matches(token)
    return Matches([escrow.open_group(private, group["entries"], threshold) for group in groups])


def entry_rows(matches: Matches) -> list[list[dict[str, Any]]]:
    return [group.entries for group in matches.readable_groups]
