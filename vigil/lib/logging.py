"""Logging filter that keeps client identifiers out of every log record.

Django attaches the request to some records (``django.request``); a formatter
or an error reporter could then print REMOTE_ADDR, the user agent or the
referrer. We drop the request object and scrub addresses from messages.
"""

from __future__ import annotations

import logging
import re

_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{0,4}\b")


def scrub(text: str) -> str:
    return _IPV6.sub("[addr]", _IPV4.sub("[addr]", text))


class DropClientDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True
