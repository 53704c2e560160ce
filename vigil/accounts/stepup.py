"""Step-up: changes that can hurt reporters need the password and a fresh code again.

Editing the public reporting page, changing letter templates, adding members
or changing roles, and granting or revoking access to sealed data are what an
attacker holding a stolen session (or a coordinator's unlocked laptop) would
use against reporters. Such views are wrapped in ``required()``: unless the
member re-entered her password and a new TOTP code in the last few minutes
(``STEP_UP_SECONDS``), she is sent to confirm first. Each such change is then
``announce()``d by email to every coordinator of the organisation: what kind
of change, by whom, when; never the content.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from vigil.lib.requests import as_staff

STEP_UP_AT = "step_up_at"
FAILURES = "step_up_failures"

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def is_fresh(request: HttpRequest) -> bool:
    confirmed_at = request.session.get(STEP_UP_AT)
    if not isinstance(confirmed_at, int):
        return False
    return 0 <= int(time.time()) - confirmed_at <= settings.STEP_UP_SECONDS


def mark_fresh(request: HttpRequest) -> None:
    request.session[STEP_UP_AT] = int(time.time())
    request.session.pop(FAILURES, None)


def confirm_url(next_url: str) -> str:
    return reverse("accounts:step_up") + "?" + urlencode({"next": next_url})


def required(back: Callable[..., str] | None = None, *, on_get: bool = True) -> Callable[[V], V]:
    """Decorator (inside ``policy.staff_view``): a recent step-up, or confirm first.

    ``on_get`` asks before the form is shown, so nothing typed is lost; a POST
    after the step-up expired goes back to the form (``back(request, **kwargs)``,
    default: the same URL) once confirmed, and changes nothing.
    """

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            needs = request.method == "POST" or (on_get and request.method == "GET")
            if needs and not is_fresh(request):
                target = back(request, *args, **kwargs) if back else request.path
                if request.method == "POST":
                    messages.warning(
                        request,
                        _("Nothing was changed: confirm it is you, then submit again."),
                    )
                return redirect(confirm_url(target))
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def announce(request: HttpRequest, kind: str, detail: str = "") -> None:
    """Tell every coordinator of the acting member's organisation about a change.

    ``kind`` is one of ``tasks.CHANGE_KINDS``; ``detail`` a code or a staff
    username, never reporter data.
    """
    from vigil.accounts import tasks

    membership = as_staff(request).membership
    tasks.announce_change.enqueue(
        organisation_id=membership.organisation_id,
        actor_id=request.user.pk,
        kind=kind,
        detail=detail,
    )
