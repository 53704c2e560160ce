"""django-axes hooks: lock by account, never record where a request came from."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def no_client_ip(request: HttpRequest) -> None:
    return None


def cooloff(request: HttpRequest | None = None) -> timedelta:
    # Each lockout lasts 15 minutes from the last failed attempt.
    return timedelta(minutes=15)


def locked_out(
    request: HttpRequest, credentials: dict | None = None, *args: object, **kwargs: object
) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)
