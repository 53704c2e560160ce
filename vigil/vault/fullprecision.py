"""Django's JSON serialisation with times kept to the microsecond, for backups.

The stock JSON serialiser cuts datetimes to milliseconds; the audit chain
hashes each event's time in full, so a restored chain would no longer verify.
Registered as the ``vigiljson`` format (``SERIALIZATION_MODULES``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.timezone import is_aware

Deserializer = django_json.Deserializer


class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            if is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def start_serialization(self) -> None:
        super().start_serialization()
        self.json_kwargs["cls"] = FullPrecisionEncoder
