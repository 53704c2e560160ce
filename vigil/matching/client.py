"""Vigil's HTTP client for the matching service (JSON over HTTPS in production)."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings


class ServiceError(Exception):
    """The service refused (``code`` set) or could not be reached (``code`` empty)."""

    def __init__(self, code: str = "") -> None:
        super().__init__(code or "unreachable")
        self.code = code


def enabled() -> bool:
    return bool(settings.MATCHING_SERVICE_URL)


def _call(method: str, path: str, token: str | None, payload: dict[str, Any] | None) -> Any:
    url = settings.MATCHING_SERVICE_URL.rstrip("/") + path
    if not url.startswith(("http://", "https://")):
        raise ServiceError("")
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (scheme checked)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=settings.MATCHING_TIMEOUT) as response:  # noqa: S310
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            code = str(json.loads(exc.read()).get("error", "error"))
        except ValueError:
            code = "error"
        raise ServiceError(code) from exc
    except (OSError, ValueError) as exc:
        raise ServiceError("") from exc


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def evaluate(token: str, blinded: list[bytes]) -> tuple[list[bytes], int, int]:
    answer = _call("POST", "/v1/evaluate", token, {"blinded": [b64(b) for b in blinded]})
    evaluated = [base64.b64decode(item) for item in answer["evaluated"]]
    return evaluated, int(answer["point"]), int(answer["threshold"])


def add_entries(token: str, entries: list[dict[str, str]]) -> list[int]:
    return [int(pk) for pk in _call("POST", "/v1/entries", token, {"entries": entries})["ids"]]


def withdraw(secrets: list[bytes]) -> int:
    return int(
        _call("POST", "/v1/withdraw", None, {"secrets": [b64(s) for s in secrets]})["withdrawn"]
    )


def matches(counsel_token: str) -> tuple[int, list[dict[str, Any]]]:
    answer = _call("GET", "/v1/matches", counsel_token, None)
    return int(answer["threshold"]), list(answer["groups"])
