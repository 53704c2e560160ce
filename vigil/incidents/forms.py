"""Forms of the incident wizard and the incident page.

Sealed values (titles, names, badge numbers ...) pass through these forms in
memory only; the views hand them to the action functions, which seal them.
Text inputs for sealed values switch autocomplete off so a shared phone's
browser does not remember them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.cases.forms import DirectoryBodyField, new_body_field
from vigil.cases.models import Consent, ConsentPurpose
from vigil.complaints.models import OversightBody
from vigil.incidents import regions
from vigil.incidents.models import Act, AgeBand, DatePrecision, Person, Sex, SourceChannel
from vigil.vocab.fields import TermChoiceField, TermMultipleChoiceField

NEW_VICTIM = "new"


def _private_text(**kwargs: Any) -> forms.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("max_length", 200)
    return forms.CharField(widget=forms.TextInput(attrs={"autocomplete": "off"}), **kwargs)


def _private_area(**kwargs: Any) -> forms.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("max_length", 20_000)
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}), **kwargs
    )


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StartForm(forms.Form):
    source_channel = forms.ChoiceField(
        label=_("How did this report reach us?"),
        choices=SourceChannel.choices,
        required=False,
    )


class BasicsForm(forms.Form):
    """When, where and what: clear fields for workflow and statistics, the rest sealed."""

    SEALED = ("title", "summary", "narrative", "city", "place_detail")

    title = _private_text(
        label=_("Short title"),
        required=True,
        help_text=_("A few words so the team can recognise it. Sealed."),
    )
    start_date = forms.DateField(label=_("Date it happened"), required=False, widget=_date_input())
    start_precision = forms.ChoiceField(
        label=_("How exact is this date?"),
        choices=DatePrecision.choices,
        initial=DatePrecision.EXACT,
    )
    end_date = forms.DateField(
        label=_("End date (if it went on for several days)"),
        required=False,
        widget=_date_input(),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    city = _private_text(label=_("City, town or village"))
    place_detail = _private_text(
        label=_("Place in more detail"),
        help_text=_("For example the street or the name of the police station. Sealed."),
    )
    source_channel = forms.ChoiceField(
        label=_("How did this report reach us?"), choices=SourceChannel.choices
    )
    summary = _private_area(
        label=_("Summary"), max_length=2000, help_text=_("Two or three sentences. Sealed.")
    )
    narrative = _private_area(
        label=_("What happened, in her words"),
        help_text=_("Everything she wants to tell. Sealed."),
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            ("", "—"),
            *regions.choices(organisation.country),
        ]
        self.fields["place_type"] = TermChoiceField(
            "place_type", organisation.pk, label=_("Type of place"), required=False
        )
        self.order_fields(
            [
                "title",
                "start_date",
                "start_precision",
                "end_date",
                "region",
                "city",
                "place_type",
                "place_detail",
                "source_channel",
                "summary",
                "narrative",
            ]
        )

    def clean_start_date(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data.get("start_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        if end and not start:
            self.add_error("start_date", _("Give the start date too."))
        return data

    def sealed_values(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.SEALED}

    def clear_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "start_date": data.get("start_date"),
            "start_precision": data["start_precision"],
            "end_date": data.get("end_date"),
            "region": data.get("region") or "",
            "place_type": data.get("place_type"),
            "source_channel": data["source_channel"],
        }


class _AddRowForm(forms.Form):
    """A form that adds one row; ``has_input`` tells an empty form from a started one."""

    INPUT_FIELDS: tuple[str, ...] = ()

    def has_input(self) -> bool:
        if not self.is_bound:
            return False
        for name in self.INPUT_FIELDS:
            key = self.add_prefix(name)
            values = [v for v in self.data.getlist(key) if str(v).strip()]  # type: ignore[attr-defined]
            if values:
                return True
        return False


class ActForm(_AddRowForm):
    INPUT_FIELDS = ("act_type", "methods", "consequences", "status_at_end", "new_pseudonym")

    victim = forms.ChoiceField(label=_("Who suffered it?"))
    new_pseudonym = forms.CharField(
        label=_("Pseudonym for a new victim (optional)"),
        required=False,
        max_length=60,
        help_text=_("Never her real name. Left empty, one is made up, like “Client 12”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(
        self, *args: Any, organisation_id: int, victims: Iterable[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.victims = {str(p.pk): p for p in victims}
        cast(forms.ChoiceField, self.fields["victim"]).choices = [
            *((pk, p.pseudonym) for pk, p in self.victims.items()),
            (NEW_VICTIM, _("A new victim")),
        ]
        self.fields["victim"].initial = next(reversed(self.victims), NEW_VICTIM)
        self.fields["act_type"] = TermChoiceField(
            "act_type", organisation_id, label=_("What was done?")
        )
        self.fields["methods"] = TermMultipleChoiceField(
            "method", organisation_id, label=_("How (methods)"), required=False
        )
        self.fields["consequences"] = TermMultipleChoiceField(
            "consequence", organisation_id, label=_("Consequences for her"), required=False
        )
        self.fields["status_at_end"] = TermChoiceField(
            "act_status", organisation_id, label=_("Her situation at the end"), required=False
        )

    def chosen_victim(self) -> Person | None:
        """The existing victim chosen, or None for a new one."""
        return self.victims.get(self.cleaned_data["victim"])


class PerpetratorForm(_AddRowForm):
    SEALED = ("name", "badge", "plate", "phone", "agency", "unit", "rank", "description")
    # Not the acts: with one act its box comes ticked, and that alone is not a perpetrator.
    INPUT_FIELDS = ("perpetrator_type", *SEALED)

    name = _private_text(label=_("Name or nickname"))
    badge = _private_text(label=_("Badge or service number"), max_length=60)
    plate = _private_text(label=_("Vehicle plate"), max_length=30)
    phone = _private_text(label=_("Phone number"), max_length=40)
    agency = _private_text(label=_("Agency"), help_text=_("For example the district police."))
    unit = _private_text(label=_("Unit or department"))
    rank = _private_text(label=_("Rank"), max_length=60)
    description = _private_area(
        label=_("Description"), max_length=4000, help_text=_("What he looked like, what he said.")
    )

    def __init__(self, *args: Any, organisation_id: int, acts: list[Act], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["perpetrator_type"] = TermChoiceField(
            "perpetrator_type", organisation_id, label=_("Who was it?"), required=False
        )
        self.fields["acts"] = forms.TypedMultipleChoiceField(
            label=_("Which acts was he involved in?"),
            choices=[(a.pk, act_label(a)) for a in acts],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=[acts[0].pk] if len(acts) == 1 else [],
        )
        self.fields["degree"] = TermChoiceField(
            "involvement", organisation_id, label=_("How was he involved?"), required=False
        )
        self.acts = {a.pk: a for a in acts}
        self.order_fields(["perpetrator_type", *self.SEALED, "acts", "degree"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("perpetrator_type") and not any(data.get(n) for n in self.SEALED):
            raise forms.ValidationError(
                _("Choose who it was or give at least one detail (even “unknown”).")
            )
        return data

    def sealed_values(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.SEALED}

    def chosen_acts(self) -> list[Act]:
        return [self.acts[pk] for pk in self.cleaned_data.get("acts") or []]


def act_label(act: Act) -> str:
    return f"{act.victim.pseudonym}: {act.act_type.label}"


class VictimForm(forms.Form):
    SEALED = ("legal_name", "phone", "address", "contact_notes")

    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=60,
        help_text=_("Used everywhere in Vigil instead of her name."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    legal_name = _private_text(label=_("Legal name"), help_text=_("Sealed."))
    phone = _private_text(label=_("Phone"), max_length=40, help_text=_("Sealed."))
    address = _private_text(label=_("Address"), max_length=400, help_text=_("Sealed."))
    contact_notes = _private_area(
        label=_("Safe ways to reach her"),
        max_length=2000,
        help_text=_("When and how it is safe to call or write. Sealed."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, required=False)
    age_band = forms.ChoiceField(label=_("Age"), choices=AgeBand.choices, required=False)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["characteristics"] = TermMultipleChoiceField(
            "characteristic", organisation_id, label=_("Characteristics"), required=False
        )
        self.fields["primary_group"] = TermChoiceField(
            "characteristic",
            organisation_id,
            label=_("Main group (for statistics)"),
            required=False,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        primary = data.get("primary_group")
        chosen = data.get("characteristics")
        if primary is not None and chosen is not None and primary not in chosen:
            # The main group is one of her characteristics by definition.
            data["characteristics"] = [*chosen, primary]
        return data

    def sealed_values(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.SEALED}

    def clear_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "pseudonym": data["pseudonym"].strip(),
            "sex": data.get("sex") or "",
            "age_band": data.get("age_band") or "",
            "primary_group": data.get("primary_group"),
            "characteristics": list(data.get("characteristics") or []),
        }


CONSENT_QUESTIONS: dict[str, Any] = {
    ConsentPurpose.FOLLOW_UP: _("We may contact her again later about this."),
    ConsentPurpose.STATISTICS: _(
        "What happened may be counted in anonymous statistics (no names, no places smaller "
        "than a region)."
    ),
    ConsentPurpose.SHARE_IDENTIFIED: _(
        "We may share her case, with her name, with a body she agrees to, such as the "
        "ombudsman, a prosecutor or a lawyer."
    ),
    ConsentPurpose.ALERT: _(
        "We may warn other women with an anonymous alert about the people who did this."
    ),
    ConsentPurpose.POLICE_ANONYMISED: _(
        "We may tell the police about what happened without her name."
    ),
    ConsentPurpose.MATCHING: _(
        "We may check whether the same person appears in other women's reports."
    ),
    ConsentPurpose.POLICE_ON_BEHALF: _("We may speak to the police for her about this."),
    ConsentPurpose.POLICE_FULL: _("We may give the police her full report, with her name."),
}


NOT_ASKED, GIVEN, REFUSED = "", "given", "refused"
ANSWERS = [
    (NOT_ASKED, _("Not asked")),
    (GIVEN, _("Given")),
    (REFUSED, _("Refused")),
]
# Sharing her identified case is decided per body, with the directory chooser below.
GENERAL_PURPOSES = [p for p in ConsentPurpose.values if p != ConsentPurpose.SHARE_IDENTIFIED]


class ConsentForm(forms.Form):
    """One question per purpose (not asked, given, refused); the initial values are the
    latest decisions. Sharing with a named body: one body of the directory per answer."""

    def __init__(
        self,
        *args: Any,
        decisions: Mapping[str, Consent | None],
        organisation_id: int,
        shares: Sequence[tuple[str, Consent]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.decisions = decisions
        self.shares = list(shares)
        for purpose in GENERAL_PURPOSES:
            latest = decisions.get(purpose)
            initial = NOT_ASKED if latest is None else GIVEN if latest.granted else REFUSED
            # Once asked, "not asked" is no longer an answer: a change is a new decision.
            choices = ANSWERS if latest is None else ANSWERS[1:]
            self.fields[purpose] = forms.ChoiceField(
                label=CONSENT_QUESTIONS[purpose],
                choices=choices,
                required=False,
                initial=initial,
                widget=forms.RadioSelect,
            )
        self.fields["share_body"] = DirectoryBodyField(
            organisation_id, label=_("Share her identified case with")
        )
        self.fields["share_new_body"] = new_body_field()
        self.fields["share_decision"] = forms.ChoiceField(
            label=_("Her answer for this body"),
            choices=ANSWERS[1:],
            required=False,
            widget=forms.RadioSelect,
        )

    def rows(self) -> list[tuple[forms.BoundField, Consent | None]]:
        return [(self[p], self.decisions.get(p)) for p in GENERAL_PURPOSES]

    def share_fields(self) -> list[forms.BoundField]:
        return [self["share_body"], self["share_new_body"], self["share_decision"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        body, new_body = data.get("share_body"), (data.get("share_new_body") or "").strip()
        if body is not None and new_body:
            self.add_error(
                "share_new_body", _("Choose a body from the list or name a new one, not both.")
            )
        elif (body is not None or new_body) and not data.get("share_decision"):
            self.add_error("share_decision", _("Record whether she agrees to share with it."))
        elif data.get("share_decision") and body is None and not new_body:
            self.add_error("share_body", _("Name the body she agrees (or not) to share with."))
        return data

    def changes(self) -> dict[str, bool]:
        """Purposes whose answer differs from the latest decision ("not asked" records nothing)."""
        changed: dict[str, bool] = {}
        for purpose in GENERAL_PURPOSES:
            answer = self.cleaned_data.get(purpose) or NOT_ASKED
            if answer == NOT_ASKED:
                continue
            latest = self.decisions.get(purpose)
            wanted = answer == GIVEN
            if latest is None or latest.granted != wanted:
                changed[purpose] = wanted
        return changed

    def share(self) -> tuple[OversightBody | None, str, bool] | None:
        """(body, new body name, granted) when a sharing answer was given, else None."""
        data = self.cleaned_data
        if not data.get("share_decision"):
            return None
        new_body = (data.get("share_new_body") or "").strip()
        return data.get("share_body"), new_body, data["share_decision"] == GIVEN


class SourceForm(forms.Form):
    name = _private_text(label=_("Name or role"), help_text=_("Who told us. Sealed."))
    contact = _private_text(label=_("Contact"), help_text=_("Sealed."))
    notes = _private_area(label=_("Notes"), max_length=4000, help_text=_("Sealed."))

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_type"] = TermChoiceField(
            "source_type", organisation_id, label=_("Type of source")
        )
        self.fields["reliability"] = TermChoiceField(
            "reliability", organisation_id, label=_("Reliability"), required=False
        )
        self.order_fields(["source_type", "reliability", "name", "contact", "notes"])

    def sealed_values(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in ("name", "contact", "notes")}


class QualifyForm(forms.Form):
    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"] = TermChoiceField(
            "violation_status", organisation_id, label=_("Is this a violation?")
        )
