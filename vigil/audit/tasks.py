"""Background work for the audit log: the daily signed checkpoint of its head."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from vigil import policy
from vigil.accounts.models import User
from vigil.audit import checkpoints
from vigil.audit.log import verify
from vigil.policy import Perm


class ChainBroken(RuntimeError):
    """The chain fails verification: a checkpoint would sign over the damage."""


def _message(user: User, checkpoint: checkpoints.Checkpoint) -> tuple[str, str]:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Vigil: audit log checkpoint")
        body = _(
            "The audit log of this Vigil installation holds %(seq)d events. "
            "The fingerprint of the last one is:\n\n%(hash)s\n\n"
            "Keep this email. If the audit log is ever cut short or rewritten, "
            "this fingerprint will no longer match, and verify_audit will say so."
        ) % {"seq": checkpoint.seq, "hash": checkpoint.hash}
    return subject, body + "\n"


def checkpoint_and_notify() -> int:
    """Verify the chain, append a signed checkpoint, email every coordinator its head.

    Returns the number of emails sent. Raises ChainBroken (and signs nothing)
    when the chain does not verify.
    """
    problems = list(verify())
    if problems:
        raise ChainBroken(f"{len(problems)} problem(s), first: {problems[0].message}")
    checkpoint = checkpoints.append()
    sent = 0
    users = {m.user_id: m.user for m in policy.members_with(Perm.VIEW_AUDIT)}
    for user in users.values():
        if not user.email:
            continue
        subject, body = _message(user, checkpoint)
        sent += send_mail(subject, body, None, [user.email])
    return sent


@task()
def audit_checkpoint() -> int:
    return checkpoint_and_notify()
