"""SMS gateways: an interface, an HTTP backend and a dry-run backend.

``ALERTS_SMS_BACKEND`` chooses: ``dryrun`` (default; counts messages, keeps neither
numbers nor texts) or ``http`` (POSTs JSON ``{"to", "text"}`` to ``ALERTS_SMS_URL``
with ``Authorization: Bearer ALERTS_SMS_TOKEN``; most SMS providers and self-hosted
Android gateways accept such a call, or a small adapter in front of them does).
"""

from __future__ import annotations

import json
import urllib.request
from typing import Protocol

from django.conf import settings


class SmsError(Exception):
    pass


class Gateway(Protocol):
    def send(self, to: str, text: str) -> None: ...


class DryRunGateway:
    sent_count = 0

    def send(self, to: str, text: str) -> None:
        DryRunGateway.sent_count += 1


class HttpGateway:
    def __init__(self, url: str, token: str = "", timeout: float = 10.0) -> None:
        if not url.startswith(("https://", "http://")):
            raise SmsError("ALERTS_SMS_URL must be an http(s) URL")
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, to: str, text: str) -> None:
        body = json.dumps({"to": to, "text": text}).encode()
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            self.url, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if not 200 <= response.status < 300:
                    raise SmsError(f"gateway answered {response.status}")
        except OSError as exc:
            raise SmsError(str(exc)) from exc


def gateway() -> Gateway:
    backend = getattr(settings, "ALERTS_SMS_BACKEND", "dryrun")
    if backend == "http":
        return HttpGateway(settings.ALERTS_SMS_URL, getattr(settings, "ALERTS_SMS_TOKEN", ""))
    return DryRunGateway()
