"""Helpers shared by the engagement views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.lib.views import GET_POST, acting_membership, acting_user, form_data

__all__ = ["GET_POST", "acting_membership", "acting_user", "files", "form_data", "form_page"]


def files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    back: str,
    intro: str = "",
    multipart: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, "intro": intro, "multipart": multipart}
    code = 400 if request.method == "POST" and form.is_bound and form.errors else status
    return render(request, "engagement/form.html", context, status=code)
