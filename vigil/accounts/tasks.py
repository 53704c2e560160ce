"""Background work for accounts: announcing sensitive changes to coordinators."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from vigil import policy
from vigil.accounts.models import Organisation, User
from vigil.policy import Perm

# What a step-up protected change is called in the email (never its content).
CHANGE_KINDS = {
    "public_page": gettext_lazy(
        "the public reporting page (hotline number, opening hours, introduction)"
    ),
    "letter_template": gettext_lazy("a letter template"),
    "member_added": gettext_lazy("a new member"),
    "member_role": gettext_lazy("a member's role"),
    "member_status": gettext_lazy("a member's account (activated, deactivated or reset)"),
    "key_grant": gettext_lazy("a member's access to sealed data"),
}


def _message(
    recipient: User, organisation: Organisation, actor: User | None, kind: str, detail: str
) -> tuple[str, str]:
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:audit_list")
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Vigil: a sensitive setting of %(org)s was changed") % {
            "org": organisation.name
        }
        lines = [
            _("%(who)s changed %(what)s on %(when)s.")
            % {
                "who": actor.username if actor else _("Someone"),
                "what": CHANGE_KINDS[kind],
                "when": date_format(timezone.localtime(), "DATETIME_FORMAT"),
            }
        ]
        if detail:
            lines.append(_("Details: %(detail)s") % {"detail": detail})
        lines.append(
            _(
                "The change needed the password and a fresh two-factor code. "
                "If you did not expect it, check the audit log now: %(link)s"
            )
            % {"link": link}
        )
    return subject, "\n\n".join(str(line) for line in lines) + "\n"


@task()
def announce_change(organisation_id: int, actor_id: int | None, kind: str, detail: str) -> int:
    """Email every coordinator of the organisation; return the number of emails sent."""
    organisation = Organisation.objects.get(pk=organisation_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    sent = 0
    for membership in policy.members_with(Perm.MANAGE_MEMBERS, organisation_id):
        recipient = membership.user
        if not recipient.email:
            continue
        subject, body = _message(recipient, organisation, actor, kind, detail)
        sent += send_mail(subject, body, None, [recipient.email])
    return sent
