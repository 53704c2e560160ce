"""The data-entry wizard: seven short steps, each saved as soon as it is posted.

A peer paralegal on a phone may lose the connection at any moment, so every
POST writes through the action functions at once (the draft event and each
act, perpetrator and victim exist after every step) and remembers the step
she is going to, for "continue where you left off".

Also here: loading an event with everything attached for reading back (the
review step and the incident page share it, with a query count that does not
grow with the number of acts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil import policy
from vigil.cases import consent
from vigil.cases.models import Consent, ConsentPurpose
from vigil.complaints import actions as complaint_actions
from vigil.complaints.models import OversightBody
from vigil.incidents import actions, reads, regions
from vigil.incidents.forms import (
    ActForm,
    BasicsForm,
    ConsentForm,
    PerpetratorForm,
    VictimForm,
)
from vigil.incidents.models import (
    Act,
    Event,
    EventStatus,
    Evidence,
    Involvement,
    Perpetrator,
    Person,
    Source,
)
from vigil.incidents.reads import PerpetratorRow
from vigil.lib import langswitch
from vigil.lib.requests import StaffRequest
from vigil.policy import Perm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STEPS: dict[str, Any] = {
    "basics": gettext_lazy("When and where"),
    "acts": gettext_lazy("What was done"),
    "perpetrators": gettext_lazy("Who did it"),
    "victims": gettext_lazy("About her"),
    "evidence": gettext_lazy("Evidence"),
    "consent": gettext_lazy("Consent"),
    "review": gettext_lazy("Review"),
}
SLUGS: list[str] = list(STEPS)


def neighbour(step: str, offset: int) -> str:
    index = min(max(SLUGS.index(step) + offset, 0), len(SLUGS) - 1)
    return SLUGS[index]


def dispatch(request: StaffRequest, event: Event, key: bytes, step: str) -> HttpResponse:
    handler = HANDLERS.get(step)
    if handler is None:
        raise Http404
    language = langswitch.requested(request)
    if language:
        # Switching language mid-step: nothing is saved yet, what was typed is kept
        # (encrypted, key in a cookie) and shown again in the new language.
        langswitch.keep(request)
        return langswitch.switch(redirect(request.path), language)
    if request.method == "GET":
        setattr(request, TYPED_ATTR, langswitch.take(request))  # read by _posted
    return handler(request, event, key)


# --- shared plumbing --------------------------------------------------------------


def _render(
    request: StaffRequest, event: Event, step: str, context: dict[str, Any]
) -> HttpResponse:
    index = SLUGS.index(step)
    base = {
        "event": event,
        "step": step,
        "step_label": STEPS[step],
        "steps": list(STEPS.items()),
        "number": index + 1,
        "total": len(SLUGS),
        "first": index == 0,
        "draft": event.status == EventStatus.DRAFT,
        "switch_form": langswitch.FORM_ID,
    }
    return render(request, f"incidents/wizard_{step}.html", {**base, **context})


def _move_on(request: StaffRequest, event: Event, step: str) -> HttpResponse:
    """After a successful save: "Back" or "Save and continue"."""
    target = neighbour(step, -1 if request.POST.get("nav") == "back" else 1)
    actions.set_wizard_step(event, target)
    return redirect("incidents:wizard", pk=event.pk, step=target)


def _stay(request: StaffRequest, event: Event, step: str, message: str) -> HttpResponse:
    """After adding or removing a row: back to the same step, to add another."""
    actions.set_wizard_step(event, step)
    messages.success(request, message)
    return redirect("incidents:wizard", pk=event.pk, step=step)


TYPED_ATTR = "typed_before_switch"


def _posted(request: StaffRequest) -> Any:
    """The submitted values, or on a GET those typed before a language switch."""
    if request.method == "POST":
        return request.POST
    return getattr(request, TYPED_ATTR, None)


def _posted_id(request: StaffRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return 0


def victims_of(
    request: StaffRequest, event: Event, perm: Perm = Perm.INCIDENT_VIEW
) -> QuerySet[Person]:
    """The people who suffered an act in this event, in the order they were added."""
    return (
        policy.people_for(request, perm)
        .filter(acts__event=event)
        .distinct()
        .select_related("primary_group")
        .prefetch_related("characteristics")
        .order_by("pk")
    )


def _acts(event: Event) -> list[Act]:
    return list(
        event.acts.select_related("victim", "act_type", "status_at_end")
        .prefetch_related("methods", "consequences")
        .order_by("pk")
    )


def next_pseudonym(event: Event) -> str:
    # Numbered across the organisation so pseudonyms rarely repeat; a count, not
    # a read of anyone's data, hence no policy filter.
    number = Person.objects.filter(organisation_id=event.organisation_id).count() + 1
    return _("Client %(number)s") % {"number": number}


# --- step 1: basics ---------------------------------------------------------------


def basics(request: StaffRequest, event: Event, key: bytes) -> HttpResponse:
    values = reads.event_values(key, event)
    initial = {
        **values,
        "start_date": event.start_date,
        "start_precision": event.start_precision,
        "end_date": event.end_date,
        "region": event.region,
        "place_type": event.place_type_id,
        "source_channel": event.source_channel,
    }
    form = BasicsForm(_posted(request), organisation=event.organisation, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            actions.save_event(
                request.user,
                event,
                key,
                form.sealed_values(),
                **form.clear_values(),
            )
            return _move_on(request, event, "basics")
        return _render(request, event, "basics", {"form": form})
    return _render(request, event, "basics", {"form": form})


# --- step 2: acts -----------------------------------------------------------------


def acts(request: StaffRequest, event: Event, key: bytes) -> HttpResponse:
    victims = list(victims_of(request, event, Perm.INCIDENT_EDIT))
    form = ActForm(_posted(request), organisation_id=event.organisation_id, victims=victims)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "remove":
            act = _act_of(event, _posted_id(request, "act"))
            actions.remove_act(request.user, act)
            return _stay(request, event, "acts", _("Act removed."))
        if action == "add" or form.has_input():
            if not form.is_valid():
                return _render(request, event, "acts", {"form": form, "acts": _acts(event)})
            _add_act(request, event, form)
            if action == "add":
                return _stay(request, event, "acts", _("Act added. Add another or continue."))
        return _move_on(request, event, "acts")
    return _render(request, event, "acts", {"form": form, "acts": _acts(event)})


def _act_of(event: Event, pk: int) -> Act:
    try:
        return event.acts.select_related("event__organisation").get(pk=pk)
    except Act.DoesNotExist as exc:
        raise Http404 from exc


def _add_act(request: StaffRequest, event: Event, form: ActForm) -> Act:
    data = form.cleaned_data
    victim = form.chosen_victim()
    if victim is None:  # the form offers the event's victims or NEW_VICTIM, nothing else
        victim = actions.create_person(
            request.user,
            event.organisation,
            policy.index_key(request),
            pseudonym=data.get("new_pseudonym", "").strip() or next_pseudonym(event),
        )
    return actions.add_act(
        request.user,
        event,
        victim=victim,
        act_type=data["act_type"],
        methods=list(data.get("methods") or []),
        consequences=list(data.get("consequences") or []),
        status_at_end=data.get("status_at_end"),
    )


# --- step 3: perpetrators ---------------------------------------------------------


def perpetrators(request: StaffRequest, event: Event, key: bytes) -> HttpResponse:
    event_acts = _acts(event)
    form = PerpetratorForm(_posted(request), organisation_id=event.organisation_id, acts=event_acts)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "remove":
            perpetrator = _perpetrator_of(event, _posted_id(request, "perpetrator"))
            actions.remove_perpetrator(request.user, perpetrator)
            return _stay(request, event, "perpetrators", _("Perpetrator removed."))
        if action == "add" or form.has_input():
            if not form.is_valid():
                context = {"form": form, "rows": reads.perpetrator_rows(event, key)}
                return _render(request, event, "perpetrators", context)
            actions.add_perpetrator(
                request.user,
                event,
                key,
                policy.index_key(request),
                perpetrator_type=form.cleaned_data.get("perpetrator_type"),
                sealed=form.sealed_values(),
                acts=form.chosen_acts(),
                degree=form.cleaned_data.get("degree"),
            )
            if action == "add":
                return _stay(
                    request, event, "perpetrators", _("Perpetrator added. Add another or continue.")
                )
        return _move_on(request, event, "perpetrators")
    return _render(
        request, event, "perpetrators", {"form": form, "rows": reads.perpetrator_rows(event, key)}
    )


def _perpetrator_of(event: Event, pk: int) -> Perpetrator:
    try:
        return event.perpetrators.select_related("event__organisation").get(pk=pk)
    except Perpetrator.DoesNotExist as exc:
        raise Http404 from exc


# --- step 4: victims --------------------------------------------------------------


def victims(request: StaffRequest, event: Event, key: bytes) -> HttpResponse:
    people = list(victims_of(request, event, Perm.INCIDENT_EDIT))
    pairs = [(person, _victim_form(request, person)) for person in people]
    if request.method == "POST":
        if all(form.is_valid() for _person, form in pairs):
            index_key = policy.index_key(request) if pairs else b""
            for person, form in pairs:
                if form.has_changed():
                    actions.update_person(
                        request.user,
                        person,
                        form.person_key,  # type: ignore[attr-defined]
                        index_key,
                        sealed=form.sealed_values(),
                        **form.clear_values(),
                    )
            return _move_on(request, event, "victims")
        return _render(request, event, "victims", {"pairs": pairs})
    return _render(request, event, "victims", {"pairs": pairs})


def _victim_form(request: StaffRequest, person: Person) -> VictimForm:
    person_key, values = reads.person_opened(request, person)
    initial = {
        **values,
        "pseudonym": person.pseudonym,
        "sex": person.sex,
        "age_band": person.age_band,
        "primary_group": person.primary_group_id,
        "characteristics": [t.pk for t in person.characteristics.all()],
    }
    form = VictimForm(
        _posted(request),
        organisation_id=person.organisation_id,
        initial=initial,
        prefix=f"v{person.pk}",
    )
    form.person_key = person_key  # type: ignore[attr-defined]
    return form


# --- step 5: evidence -------------------------------------------------------------


def evidence(request: StaffRequest, event: Event, key: bytes) -> HttpResponse:
    if request.method == "POST":
        return _move_on(request, event, "evidence")
    return _render(request, event, "evidence", {"evidence": reads.evidence_rows(event, key)})


# --- step 6: consent --------------------------------------------------------------


def consent_step(request: StaffRequest, event: Event, key: bytes) -> HttpResponse:
    people = list(victims_of(request, event, Perm.INCIDENT_EDIT))
    latest = latest_consents(people)
    shares = share_consents(people)
    pairs = [
        (
            person,
            ConsentForm(
                _posted(request),
                decisions=latest.get(person.pk, {}),
                shares=shares.get(person.pk, []),
                organisation_id=event.organisation_id,
                prefix=f"c{person.pk}",
            ),
        )
        for person in people
    ]
    if request.method == "POST":
        if all(form.is_valid() for _person, form in pairs):
            with transaction.atomic():
                for person, form in pairs:
                    for purpose, granted in form.changes().items():
                        consent.record_consent(request.user, person, purpose, granted)
                    share = form.share()
                    if share is not None:
                        body, new_name, granted = share
                        complaint_actions.record_body_consent(
                            request.user, person, granted, body=body, new_name=new_name
                        )
            return _move_on(request, event, "consent")
        return _render(request, event, "consent", {"pairs": pairs})
    return _render(request, event, "consent", {"pairs": pairs})


def latest_consents(people: list[Person]) -> dict[int, dict[str, Consent]]:
    """person id -> purpose -> latest general decision, in one query.

    Same rule as consent.current (latest row wins), for many people at once.
    """
    found: dict[int, dict[str, Consent]] = {}
    rows = Consent.objects.filter(person__in=people, body="").order_by("-recorded_at", "-pk")
    for row in rows:
        found.setdefault(row.person_id, {}).setdefault(row.purpose, row)
    return found


def share_consents(people: list[Person]) -> dict[int, list[tuple[str, Consent]]]:
    """person id -> (body name, latest decision) per body she was asked about, in two queries."""
    latest: dict[tuple[int, str], Consent] = {}
    rows = Consent.objects.filter(
        person__in=people, purpose=ConsentPurpose.SHARE_IDENTIFIED
    ).exclude(body="")
    for row in rows.order_by("-recorded_at", "-pk"):
        latest.setdefault((row.person_id, row.body), row)
    slugs = {body for _person, body in latest}
    names = {b.slug: b.name for b in OversightBody.objects.filter(slug__in=slugs)}
    found: dict[int, list[tuple[str, Consent]]] = {}
    for (person_id, body), row in sorted(latest.items()):
        found.setdefault(person_id, []).append((names.get(body, body), row))
    return found


# --- step 7: review ---------------------------------------------------------------


def review(request: StaffRequest, event: Event, key: bytes) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("nav") == "back":
            return _move_on(request, event, "review")
        if event.status == EventStatus.DRAFT:
            actions.finish_event(request.user, event)
            messages.success(request, _("Incident %(code)s recorded.") % {"code": event.code})
        else:
            messages.success(request, _("Saved."))
        return redirect("incidents:detail", pk=event.pk)
    record = load_record(request, event, key)
    return _render(request, event, "review", {"record": record, "warnings": warnings(record)})


def warnings(record: Record) -> list[str]:
    """Missing essentials, in plain words; a draft may still be finished."""
    found: list[str] = []
    event = record.event
    if not record.acts:
        found.append(_("No act yet: add at least one thing that was done to her."))
    if not event.start_date:
        found.append(_("No date: even an estimate helps."))
    if not event.region:
        found.append(_("No region: statistics count incidents by region."))
    if not record.perpetrators:
        found.append(_("No perpetrator: add one, even if unknown."))
    for row in record.victims:
        if ConsentPurpose.STATISTICS not in row.consents:
            found.append(
                _("%(who)s has not been asked about anonymous statistics.")
                % {"who": row.person.pseudonym}
            )
    return found


# --- reading an event back --------------------------------------------------------


@dataclass
class ActRow:
    act: Act
    perpetrators: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class VictimRow:
    person: Person
    values: dict[str, str]
    consents: dict[str, Consent]
    shares: list[tuple[str, Consent]] = field(default_factory=list)

    @property
    def consent_rows(self) -> list[tuple[StrOrPromise, Consent | None]]:
        return consent_rows(self.consents, self.shares)


def consent_rows(
    consents: dict[str, Consent], shares: list[tuple[str, Consent]]
) -> list[tuple[StrOrPromise, Consent | None]]:
    """Each purpose once with its latest decision; sharing once per body she was asked about."""
    rows: list[tuple[StrOrPromise, Consent | None]] = []
    for value, label in ConsentPurpose.choices:
        if value != ConsentPurpose.SHARE_IDENTIFIED:
            rows.append((label, consents.get(value)))
        elif shares:
            rows.extend((f"{label} · {name}", row) for name, row in shares)
        else:
            rows.append((label, consents.get(value)))
    return rows


@dataclass
class Record:
    event: Event
    values: dict[str, str]
    region_name: str
    acts: list[ActRow]
    perpetrators: list[PerpetratorRow]
    victims: list[VictimRow]
    sources: list[tuple[Source, dict[str, str]]]
    evidence: list[tuple[Evidence, dict[str, str]]]


def load_record(request: StaffRequest, event: Event, key: bytes) -> Record:
    """Everything about an event, opened, in a fixed number of queries."""
    perpetrator_rows = reads.perpetrator_rows(event, key)
    labels = {row.perpetrator.pk: row.label for row in perpetrator_rows}
    act_rows = []
    act_queryset = (
        event.acts.select_related("victim", "act_type", "status_at_end")
        .prefetch_related(
            "methods",
            "consequences",
            Prefetch("involvements", queryset=Involvement.objects.select_related("degree")),
        )
        .order_by("pk")
    )
    for act in act_queryset:
        involved = [(labels.get(i.perpetrator_id, ""), i.degree) for i in act.involvements.all()]
        act_rows.append(ActRow(act, involved))
    people = list(victims_of(request, event))
    latest = latest_consents(people)
    shares = share_consents(people)
    victim_rows = [
        VictimRow(
            person,
            reads.person_values(request, person),
            latest.get(person.pk, {}),
            shares.get(person.pk, []),
        )
        for person in people
    ]
    sources = reads.source_rows(event, key)
    return Record(
        event=event,
        values=reads.event_values(key, event),
        region_name=regions.name(event.region) if event.region else "",
        acts=act_rows,
        perpetrators=perpetrator_rows,
        victims=victim_rows,
        sources=sources,
        evidence=reads.evidence_rows(event, key),
    )


HANDLERS: dict[str, Callable[[StaffRequest, Event, bytes], HttpResponse]] = {
    "basics": basics,
    "acts": acts,
    "perpetrators": perpetrators,
    "victims": victims,
    "evidence": evidence,
    "consent": consent_step,
    "review": review,
}
