"""The service's HTTP interface: a small WSGI application with a JSON body.

    POST /v1/evaluate  member token   {"blinded": [b64]} -> {"evaluated", "point", "threshold"}
    POST /v1/entries   member token   {"entries": [{tag, sealed, month, withdraw_hash}]} -> {"ids"}
    POST /v1/withdraw  (secrets)      {"secrets": [b64]} -> {"withdrawn"}
    GET  /v1/matches   counsel token  -> {"groups": [{"tag", "entries": [{id, point, sealed,
                                                                           month}]}]}

Nothing a member sends tells it whether a match exists: the answer to
/v1/entries is the same either way, and only the counsel is notified, by an
email that says nothing but "sign in".
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import logging
import re
import smtplib
from collections.abc import Callable, Iterable
from email.message import EmailMessage
from typing import Any

from matchsvc import keys, notices, oprf
from matchsvc.settings import Config
from matchsvc.store import Member, Store

logger = logging.getLogger("matchsvc")

MAX_BODY = 512 * 1024
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class Refused(Exception):
    def __init__(self, status: str, code: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code


def _b64(value: Any, length: int | None = None, maximum: int | None = None) -> bytes:
    if not isinstance(value, str):
        raise Refused("400 Bad Request", "invalid_input")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Refused("400 Bad Request", "invalid_input") from exc
    if (length is not None and len(data) != length) or (
        maximum is not None and len(data) > maximum
    ):
        raise Refused("400 Bad Request", "invalid_input")
    return data


def _enc(data: bytes) -> str:
    return base64.b64encode(data).decode()


class Service:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.store = Store(config.database)
        self.keys = keys.load(config.key_file)

    # --- WSGI ---

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            status, payload = self.dispatch(environ)
        except Refused as refusal:
            status, payload = refusal.status, {"error": refusal.code}
        body = json.dumps(payload).encode()
        start_response(
            status,
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body]

    def dispatch(self, environ: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        route = (environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""))
        handlers: dict[tuple[str, str], Callable[[dict[str, Any]], dict[str, Any]]] = {
            ("POST", "/v1/evaluate"): self.evaluate,
            ("POST", "/v1/entries"): self.entries,
            ("POST", "/v1/withdraw"): self.withdraw,
            ("GET", "/v1/matches"): self.matches,
        }
        handler = handlers.get(route)
        if handler is None:
            raise Refused("404 Not Found", "not_found")
        return "200 OK", handler(environ)

    # --- request helpers ---

    @staticmethod
    def _token(environ: dict[str, Any]) -> str:
        header = str(environ.get("HTTP_AUTHORIZATION", ""))
        if not header.startswith("Bearer "):
            raise Refused("401 Unauthorized", "unauthenticated")
        return header.removeprefix("Bearer ").strip()

    def _member(self, environ: dict[str, Any]) -> Member:
        member = self.store.member_for(self._token(environ))
        if member is None or member.network not in self.keys:
            raise Refused("401 Unauthorized", "unauthenticated")
        return member

    @staticmethod
    def _json(environ: dict[str, Any]) -> dict[str, Any]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError as exc:
            raise Refused("400 Bad Request", "invalid_input") from exc
        if length <= 0 or length > MAX_BODY:
            raise Refused("400 Bad Request", "invalid_input")
        try:
            data = json.loads(environ["wsgi.input"].read(length))
        except (ValueError, UnicodeDecodeError) as exc:
            raise Refused("400 Bad Request", "invalid_input") from exc
        if not isinstance(data, dict):
            raise Refused("400 Bad Request", "invalid_input")
        return data

    def _list(self, data: dict[str, Any], key: str) -> list[Any]:
        items = data.get(key)
        if not isinstance(items, list) or not 1 <= len(items) <= self.config.max_batch:
            raise Refused("400 Bad Request", "invalid_input")
        return items

    # --- endpoints ---

    def evaluate(self, environ: dict[str, Any]) -> dict[str, Any]:
        member = self._member(environ)
        blinded = [
            _b64(item, oprf.ELEMENT_BYTES) for item in self._list(self._json(environ), "blinded")
        ]
        today = datetime.datetime.now(datetime.UTC).date().isoformat()
        # Charged before validation: probing with bad points costs quota too.
        allowed, first_refusal = self.store.consume(
            member, today, len(blinded), self.config.daily_quota
        )
        if not allowed:
            logger.warning("quota exhausted: member %s of %s", member.id, member.network)
            if first_refusal:
                self.notify(member.network, "quota")
            raise Refused("429 Too Many Requests", "quota")
        secret = self.keys[member.network]
        try:
            evaluated = [oprf.blind_evaluate(secret, element) for element in blinded]
        except oprf.InvalidInput as exc:
            raise Refused("400 Bad Request", "invalid_point") from exc
        return {
            "evaluated": [_enc(element) for element in evaluated],
            "point": member.point,
            "threshold": self.config.threshold,
        }

    def entries(self, environ: dict[str, Any]) -> dict[str, Any]:
        member = self._member(environ)
        data = self._json(environ)
        # The share point is the member's, chosen by the service; a member
        # naming any other point is refused rather than silently corrected.
        if "point" in data and data["point"] != member.point:
            raise Refused("400 Bad Request", "invalid_point")
        rows = [self._entry(item) for item in self._list(data, "entries")]
        ids, reached = self.store.add_entries(member, rows, self.config.threshold)
        for _tag in reached:
            self.notify(member.network, "match")
        return {"ids": ids}

    def _entry(self, item: Any) -> tuple[bytes, bytes, str, bytes]:
        if not isinstance(item, dict) or set(item) != {"tag", "sealed", "month", "withdraw_hash"}:
            raise Refused("400 Bad Request", "invalid_input")
        month = item["month"]
        if not isinstance(month, str) or not MONTH.match(month):
            raise Refused("400 Bad Request", "invalid_input")
        return (
            _b64(item["tag"], 32),
            _b64(item["sealed"], maximum=self.config.max_sealed_bytes),
            month,
            _b64(item["withdraw_hash"], 32),
        )

    def withdraw(self, environ: dict[str, Any]) -> dict[str, Any]:
        secrets_ = [_b64(item, 32) for item in self._list(self._json(environ), "secrets")]
        return {"withdrawn": self.store.withdraw(secrets_)}

    def matches(self, environ: dict[str, Any]) -> dict[str, Any]:
        found = self.store.network_for_counsel(self._token(environ))
        if found is None:
            raise Refused("401 Unauthorized", "unauthenticated")
        groups = self.store.matches(found[0], self.config.threshold)
        return {
            "threshold": self.config.threshold,
            "groups": [
                {
                    "tag": _enc(tag),
                    "entries": [
                        {"id": pk, "point": point, "sealed": _enc(sealed), "month": month}
                        for pk, point, sealed, month in entries
                    ],
                }
                for tag, entries in groups
            ],
        }

    # --- notices ---

    def notify(self, network: str, kind: str) -> None:
        """Email the counsel without any detail: a mailbox can be read by others."""
        address = self.store.counsel_email(network)
        if not self.config.smtp_host or not address:
            logger.warning(
                "notice %s for network %s not emailed (no SMTP or address)", kind, network
            )
            return
        message = EmailMessage()
        message["From"] = self.config.mail_from
        message["To"] = address
        subject, body = notices.text(kind, self.config.language, self.config.review_url)
        message["Subject"] = subject
        message.set_content(body)
        try:
            with smtplib.SMTP(self.config.smtp_host, self.config.smtp_port, timeout=10) as smtp:
                smtp.send_message(message)
        except OSError:
            logger.exception("notice %s for network %s could not be sent", kind, network)


def make_app(config: Config) -> Service:
    return Service(config)
