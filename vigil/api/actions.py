"""Writes of the API app: tokens, reports sent by programs, Kobo hooks and deliveries.

A report from the API or from Kobo takes the public form's path
(``intake.actions.submit``): sealed to the organisation's public key at once,
so the server cannot read it back, and landing in the triage inbox.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from vigil.accounts.models import Organisation, User
from vigil.api import kobo
from vigil.api.models import ApiSubmission, ApiToken, KoboDelivery, KoboHook, Scope
from vigil.audit.log import record
from vigil.intake import actions as intake_actions
from vigil.intake.models import Channel, Submission

TOKEN_PREFIX = "vgl_"  # noqa: S105 - a public marker, not a secret


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once


def create_token(
    acting_user: User, organisation: Organisation, *, name: str, scopes: list[str]
) -> NewToken:
    secret = new_token()
    valid = [s for s in scopes if s in Scope.values]
    with transaction.atomic():
        token = ApiToken.objects.create(
            organisation=organisation,
            name=name.strip(),
            prefix=secret[:10],
            token_hash=hash_token(secret),
            scopes=valid,
            created_by=acting_user,
        )
        record(
            acting_user, "api.token_create", organisation=organisation, target=token, scopes=valid
        )
    return NewToken(token, secret)


def revoke_token(acting_user: User, token: ApiToken) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(acting_user, "api.token_revoke", organisation=token.organisation, target=token)


def find_token(secret: str) -> ApiToken | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("organisation")
        .filter(token_hash=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is not None and token.last_used_on != timezone.localdate():
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=timezone.localdate())
    return token


def over_rate(kind: str, ident: int) -> bool:
    """Count one request in the current minute; True past ``API_RATE_PER_MINUTE``."""
    minute = int(timezone.now().timestamp() // 60)
    key = f"api-rate:{kind}:{ident}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > settings.API_RATE_PER_MINUTE


@dataclass(frozen=True)
class Sent:
    reference: str
    receipt: str


def submit_report(token: ApiToken, report: dict[str, Any]) -> Sent:
    """A program's report: sealed like the public form's; the token can follow its status."""
    with transaction.atomic():
        created = intake_actions.submit(token.organisation, report, channel=Channel.API)
        link = ApiSubmission.objects.create(
            token=token, submission=created.submission, reference=secrets.token_hex(12)
        )
        record(
            None,
            "api.report_submit",
            organisation=token.organisation,
            target=link,
            token=token.pk,
            submission=created.submission.pk,
        )
    return Sent(link.reference, created.receipt)


def status_of(token: ApiToken, reference: str) -> Submission | None:
    link = (
        ApiSubmission.objects.select_related("submission")
        .filter(token=token, reference=reference)
        .first()
    )
    return link.submission if link is not None else None


# --- Kobo -------------------------------------------------------------------------


@dataclass(frozen=True)
class NewHook:
    hook: KoboHook
    secret: str


def create_hook(acting_user: User, organisation: Organisation, *, name: str) -> NewHook:
    secret = new_token()
    with transaction.atomic():
        hook = KoboHook.objects.create(
            organisation=organisation,
            name=name.strip(),
            token_hash=hash_token(secret),
            created_by=acting_user,
        )
        record(acting_user, "kobo.hook_create", organisation=organisation, target=hook)
    return NewHook(hook, secret)


def update_hook(
    acting_user: User, hook: KoboHook, *, mapping: dict[str, str], values: dict[str, Any]
) -> None:
    with transaction.atomic():
        hook.mapping = {k: v for k, v in mapping.items() if v}
        hook.values = values
        hook.save(update_fields=["mapping", "values"])
        record(
            acting_user,
            "kobo.hook_update",
            organisation=hook.organisation,
            target=hook,
            fields=sorted(hook.mapping),
        )


def revoke_hook(acting_user: User, hook: KoboHook) -> None:
    with transaction.atomic():
        hook.revoked_at = timezone.now()
        hook.save(update_fields=["revoked_at"])
        record(acting_user, "kobo.hook_revoke", organisation=hook.organisation, target=hook)


def hook_for(hook_id: int, slug: str, secret: str) -> KoboHook | None:
    hook = (
        KoboHook.objects.select_related("organisation")
        .filter(pk=hook_id, organisation__slug=slug, revoked_at__isnull=True)
        .first()
    )
    if hook is None or not hmac.compare_digest(hook.token_hash, hash_token(secret)):
        return None
    return hook


def uuid_hash(hook: KoboHook, uuid: str) -> str:
    return hashlib.sha256(f"{hook.pk}:{uuid.strip().lower()}".encode()).hexdigest()


def receive_kobo(hook: KoboHook, payload: dict[str, Any]) -> tuple[bool, KoboDelivery]:
    """Store a Kobo submission once. Returns (created, delivery)."""
    digest = uuid_hash(hook, str(payload["_uuid"]))
    existing = KoboDelivery.objects.filter(hook=hook, uuid_hash=digest).first()
    if existing is not None:
        return False, existing
    report = kobo.to_report(payload, hook.mapping, hook.values)
    try:
        with transaction.atomic():
            created = intake_actions.submit(hook.organisation, report, channel=Channel.KOBO)
            delivery = KoboDelivery.objects.create(
                hook=hook, uuid_hash=digest, submission=created.submission
            )
            record(
                None,
                "kobo.receive",
                organisation=hook.organisation,
                target=delivery,
                hook=hook.pk,
                submission=created.submission.pk,
            )
    except IntegrityError:  # the same _uuid raced in twice: the first one won
        return False, KoboDelivery.objects.get(hook=hook, uuid_hash=digest)
    return True, delivery
