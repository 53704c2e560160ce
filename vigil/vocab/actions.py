"""Writes about an organisation's local terms. Each runs in a transaction and audits.

Shared terms come from data/terms.csv and are never changed here. Local terms
get a generated code that is stable forever and can never collide with a
shared or HURIDOCS code (it always starts with ``LOCAL.`` and is not numeric).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Q

from vigil.accounts.models import Organisation, User
from vigil.audit.log import record
from vigil.vocab.models import LANGS, Term, TermList

# The code prefix of each list, as used by the shared terms of data/terms.csv.
LIST_PREFIX: dict[str, str] = {
    TermList.ACT_TYPE: "ACT",
    TermList.METHOD: "MTH",
    TermList.CONSEQUENCE: "CONS",
    TermList.ACT_STATUS: "STAT",
    TermList.PERPETRATOR_TYPE: "PERP",
    TermList.PLACE_TYPE: "PLACE",
    TermList.CHARACTERISTIC: "CHAR",
    TermList.NEED: "NEED",
    TermList.INTERVENTION_TYPE: "INTV",
    TermList.AUTHORITY_RESPONSE: "RESP",
    TermList.CASE_OUTCOME: "OUTC",
    TermList.SOURCE_TYPE: "SRC",
    TermList.RELIABILITY: "REL",
    TermList.VIOLATION_STATUS: "VST",
    TermList.INVOLVEMENT: "INV",
}

LOCAL_PREFIX = "LOCAL"
# Keeps the whole code within Term.code's 64 characters for any slug length.
_SLUG_PART_MAX = 40
_PATH_MAX = Term._meta.get_field("path").max_length or 400


class VocabError(ValueError):
    """An invariant of the vocabulary would break (whoever the caller is)."""


def local_number(code: str) -> int | None:
    """The per-organisation sequence number at the end of a local code."""
    tail = code.rsplit(".", 1)[-1]
    return int(tail) if code.startswith(LOCAL_PREFIX + ".") and tail.isdigit() else None


def _clean_texts(texts: dict[str, str], *, required: bool) -> dict[str, str]:
    cleaned = {lang: (texts.get(lang) or "").strip() for lang in LANGS}
    if required and not all(cleaned.values()):
        raise VocabError("a label is needed in every language")
    return {lang: text for lang, text in cleaned.items() if text}


def _next_code(organisation: Organisation, term_list: str) -> str:
    numbers = [
        local_number(code)
        for code in Term.objects.filter(organisation=organisation).values_list("code", flat=True)
    ]
    n = max((x for x in numbers if x is not None), default=0) + 1
    stem = f"{LOCAL_PREFIX}.{organisation.slug.upper()[:_SLUG_PART_MAX]}.{LIST_PREFIX[term_list]}"
    # A truncated slug may be shared by two organisations: skip numbers already taken.
    while Term.objects.filter(code=f"{stem}.{n}").exists():
        n += 1
    return f"{stem}.{n}"


def _order_after(organisation: Organisation, term_list: str, parent: Term | None) -> int:
    """An order value that puts the new term at the end of its parent's subtree."""
    visible = Term.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation), list=term_list
    )
    if parent is not None:
        visible = visible.filter(path__startswith=parent.path)
    return visible.aggregate(last=Max("order"))["last"] or 0


def add_local_term(
    acting_user: User,
    organisation: Organisation,
    term_list: str,
    *,
    labels: dict[str, str],
    help_texts: dict[str, str] | None = None,
    parent: Term | None = None,
) -> Term:
    if term_list not in LIST_PREFIX:
        raise VocabError(f"unknown list {term_list}")
    if parent is not None and (
        parent.list != term_list or parent.organisation_id not in (None, organisation.pk)
    ):
        raise VocabError("the parent must be a term of the same list and organisation")
    clean_labels = _clean_texts(labels, required=True)
    clean_help = _clean_texts(help_texts or {}, required=False)
    with transaction.atomic():
        # Serialises additions per organisation so two coordinators never draw the same n.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        code = _next_code(organisation, term_list)
        path = (parent.path if parent else "") + code + "/"
        if len(path) > _PATH_MAX:
            raise VocabError("the hierarchy is too deep")
        term = Term.objects.create(
            list=term_list,
            code=code,
            parent=parent,
            depth=0 if parent is None else parent.depth + 1,
            path=path,
            order=_order_after(organisation, term_list, parent),
            labels=clean_labels,
            help=clean_help,
            organisation=organisation,
        )
        record(
            acting_user,
            "vocab.term_add",
            organisation=organisation,
            target=term,
            code=code,
            list=term_list,
        )
    return term


def _require_local(term: Term) -> None:
    if term.organisation_id is None:
        raise VocabError("shared terms come from the data file and are not edited here")


def update_local_term(
    acting_user: User,
    term: Term,
    *,
    labels: dict[str, str],
    help_texts: dict[str, str] | None = None,
) -> None:
    """Change labels and help texts; the code, list and place in the tree never change."""
    _require_local(term)
    clean_labels = _clean_texts(labels, required=True)
    clean_help = _clean_texts(help_texts or {}, required=False)
    with transaction.atomic():
        changed = sorted(
            lang
            for lang in LANGS
            if term.labels.get(lang) != clean_labels.get(lang)
            or term.help.get(lang) != clean_help.get(lang)
        )
        term.labels = clean_labels
        term.help = clean_help
        term.save(update_fields=["labels", "help"])
        record(
            acting_user,
            "vocab.term_update",
            organisation=term.organisation,
            target=term,
            code=term.code,
            languages=changed,
        )


def set_term_active(acting_user: User, term: Term, active: bool) -> None:
    """Hide a local term from new choices, or offer it again. Records keep it either way."""
    _require_local(term)
    with transaction.atomic():
        if term.is_active == active:
            return
        term.is_active = active
        term.save(update_fields=["is_active"])
        record(
            acting_user,
            "vocab.term_activate" if active else "vocab.term_deactivate",
            organisation=term.organisation,
            target=term,
            code=term.code,
        )
