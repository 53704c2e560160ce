"""Server-held keys of the alerts app, derived from the environment, never stored.

Three things must work while no staff member is signed in, so they cannot use the
organisation key (which the server only holds during a session):

* members read published alerts (``release_key``): a published alert is released
  to the membership on purpose; its copy is encrypted so that a database dump
  alone does not show it, and it is deleted when the alert ends;
* the checker compares blind indexes (``checker_key``) of the identifiers of
  published alerts with what a member types;
* the sending job reads its recipients (``dispatch_key``) from a batch that an
  unlocked member prepared and that is wiped when the job ends.

A seized server *with* its environment could read what is live at that moment
(published alerts, a batch being sent); never the subscriber list, alert sources,
drafts or checker queries, which are sealed to the organisation or not stored.
"""

from __future__ import annotations

import nacl.encoding
import nacl.hash
import nacl.pwhash
from django.conf import settings

from vigil.vault import crypto


def _secret(name: str) -> bytes:
    configured: str = getattr(settings, name, "")
    source = configured or f"{name}:{settings.SECRET_KEY}"
    return nacl.hash.blake2b(source.encode(), digest_size=32, encoder=nacl.encoding.RawEncoder)


def _derive(name: str, purpose: str) -> bytes:
    return nacl.hash.blake2b(
        purpose.encode(), key=_secret(name), digest_size=32, encoder=nacl.encoding.RawEncoder
    )


def release_key(organisation_id: int) -> bytes:
    return _derive("ALERTS_RELEASE_SECRET", f"release:{organisation_id}")


def checker_key(organisation_id: int) -> bytes:
    return _derive("ALERTS_RELEASE_SECRET", f"checker:{organisation_id}")


def dispatch_key() -> bytes:
    return _derive("ALERTS_DISPATCH_SECRET", "dispatch")


def identifier_digest(organisation_id: int, kind: str, value: str) -> str:
    """The checker's blind index of one identifier (the vault's normalisation; phones
    typed without a country code are read as the organisation's country)."""
    from vigil.accounts.models import Organisation

    country = Organisation.objects.values_list("country", flat=True).get(pk=organisation_id)
    return crypto.blind_index(checker_key(organisation_id), kind, value, region=country)


def email_index(email: str) -> str:
    """A slow keyed hash of a member's email, for sign-in without the organisation key."""
    pepper = _secret("ALERTS_EMAIL_PEPPER")
    secret = nacl.pwhash.argon2id.kdf(
        32,
        email.strip().casefold().encode(),
        pepper[: nacl.pwhash.argon2id.SALTBYTES],
        opslimit=settings.RECEIPT_KDF_OPSLIMIT,
        memlimit=settings.RECEIPT_KDF_MEMLIMIT,
    )
    return nacl.hash.blake2b(secret, digest_size=32, encoder=nacl.encoding.HexEncoder).decode()


def digest_reference(organisation_id: int, event_id: int) -> str:
    """The reference of an incident in police digests: stable, but meaningless to police."""
    digest = nacl.hash.blake2b(
        f"digest:{organisation_id}:{event_id}".encode(),
        key=_secret("ALERTS_RELEASE_SECRET"),
        digest_size=5,
        encoder=nacl.encoding.HexEncoder,
    ).decode()
    return "R-" + digest.upper()
