"""Small helpers shared by the staff views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from vigil.accounts.models import Membership, User
from vigil.lib.requests import as_staff

GET_POST = ["GET", "POST"]


def acting_user(request: HttpRequest) -> User:
    """The signed-in staff user (views run behind policy.staff_view)."""
    return as_staff(request).user


def acting_membership(request: HttpRequest) -> Membership:
    return as_staff(request).membership


def form_data(request: HttpRequest) -> Any:
    """Bound data on POST (even when every checkbox is empty), None on GET.

    ``request.POST or None`` would leave a form unbound when every field of a
    POST is empty, so its errors would never show.
    """
    return request.POST if request.method == "POST" else None
