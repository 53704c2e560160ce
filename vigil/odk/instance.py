"""A decrypted phone record (the form's instance XML) as the public form's report dict.

The same keys as vigil.intake.forms.to_draft produces, so triage (accept,
merge, reject) treats a phone report exactly like a web report. Answers
outside the form's choices are dropped rather than trusted.
"""

from __future__ import annotations

import datetime
from typing import Any

from defusedxml import ElementTree

from vigil.intake import choices

TEXT_LIMIT = 5000


class InstanceError(Exception):
    pass


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for child in element:
        out.setdefault(_local(child.tag), []).append(child)
    return out


def _text(element: Any) -> str:
    return (element.text or "").strip()[:TEXT_LIMIT] if element is not None else ""


def _keys(options: list[Any]) -> set[str]:
    return {o.key if isinstance(o, choices.Choice) else str(o[0]) for o in options}


def _one(value: str, options: list[Any]) -> str:
    return value if value in _keys(options) else ""


def _many(value: str, options: list[Any]) -> list[str]:
    allowed = _keys(options)
    return [v for v in value.split() if v in allowed]


def to_report(xml: bytes) -> dict[str, Any]:
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise InstanceError("the record is not XML") from exc
    fields = _children(root)

    def first(name: str) -> str:
        return _text(fields.get(name, [None])[0])

    acts = [_text(_children(a).get("act", [None])[0]) for a in fields.get("acts", [])]
    report: dict[str, Any] = {
        "what": list(dict.fromkeys(a for a in acts if a in _keys(choices.WHAT))),
        "story": first("story"),
        "when": _one(first("when"), choices.WHEN),
        "region": first("region")[:20],
        "place": _one(first("place"), choices.PLACES),
        "place_detail": first("place_detail"),
        "needs": _many(first("needs"), choices.NEEDS),
        "urgent": first("urgent") == "yes",
        "consents": _many(first("consents"), choices.CONSENTS),
        "method": _one(first("method"), choices.CONTACT_METHODS),
        "contact": first("contact"),
        "safe_times": first("safe_times"),
    }
    if report["when"] == "date":
        report["date"] = _date(first("date"))
        if not report["date"]:
            report["when"] = "earlier"
    report.update(_perpetrators(fields.get("perpetrators", [])))
    return {k: v for k, v in report.items() if v not in ("", [], None)}


def _date(value: str) -> str:
    try:
        day = datetime.date.fromisoformat(value[:10])
    except ValueError:
        return ""
    return day.isoformat() if day <= datetime.date.today() else ""


def _perpetrator(element: Any) -> dict[str, Any]:
    fields = {name: _text(items[0]) for name, items in _children(element).items()}
    how_many = fields.get("how_many", "")
    return {
        "who": _one(fields.get("who", ""), choices.WHO_KIND),
        "uniform": _one(fields.get("uniform", ""), choices.UNIFORM),
        "how_many": int(how_many) if how_many.isdigit() and 1 <= int(how_many) <= 50 else None,
        **{k: fields.get(k, "") for k in ("unit", "badge", "name", "vehicle", "description")},
    }


def _perpetrators(elements: list[Any]) -> dict[str, Any]:
    """The first person fills the report's fields; others are described in its notes.

    The report (like the public form) has one perpetrator; triage can add more
    from these notes, which stay sealed with the rest of the report.
    """
    people = [p for p in (_perpetrator(e) for e in elements) if any(p.values())]
    if not people:
        return {}
    first, others = people[0], people[1:]
    extra = [
        "; ".join(f"{key}: {value}" for key, value in person.items() if value not in ("", None))
        for person in others
    ]
    if extra:
        first["description"] = "\n".join(x for x in [first["description"], *extra] if x)
    return first
