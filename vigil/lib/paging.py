"""Keyset (cursor) paging: a page costs the same on the first and the thousandth page.

Offset paging with a page count reads every row of the list (``COUNT(*)``)
and skips ``OFFSET`` rows; a cursor instead says "the rows after this key",
which an index on the ordering answers directly. The cursor is the ordering
values of the last row shown, in the query string (clear fields only:
sequence numbers, codes and slugs, never anything sealed).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Any]
    next_cursor: str
    is_first: bool


def _field(order: str) -> tuple[str, bool]:
    return (order[1:], True) if order.startswith("-") else (order, False)


def encode(values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def decode(cursor: str | None, width: int) -> list[Any] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != width:
        return None
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
        return None
    return values


def after(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after ``values`` in ``order`` (a lexicographic comparison)."""
    condition = Q()
    for i, spec in enumerate(order):
        name, descending = _field(spec)
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[i]})
        for earlier in order[:i]:
            step &= Q(**{_field(earlier)[0]: values[order.index(earlier)]})
        condition |= step
    return condition


def page(queryset: QuerySet[M], order: Sequence[str], cursor: str | None, size: int) -> KeysetPage:
    """One page of ``queryset`` in ``order`` (which must end with a unique field)."""
    values = decode(cursor, len(order))
    ordered = queryset.order_by(*order)
    if values is not None:
        ordered = ordered.filter(after(order, values))
    rows = list(ordered[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = ""
    if more and rows:
        last = rows[-1]
        next_cursor = encode([getattr(last, _field(spec)[0]) for spec in order])
    return KeysetPage(rows=rows, next_cursor=next_cursor, is_first=values is None)
