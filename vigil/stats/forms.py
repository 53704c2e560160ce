"""GET filter forms for the dashboard and exports, and the network settings forms."""

from __future__ import annotations

import calendar
import datetime
import re
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Organisation
from vigil.incidents import regions
from vigil.incidents.models import AgeBand, SourceChannel
from vigil.stats.aggregate import DIM_LABELS, TABLE_UNITS, UNIT_LABELS, Dim, Filters, Group, Unit
from vigil.stats.models import Network
from vigil.stats.report import MAX_MONTHS, month_span
from vigil.vocab.fields import TermChoiceField, TermMultipleChoiceField

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")

DETAILED = "detail"
DEPTH_CHOICES = [("0", _("Main categories")), (DETAILED, _("As recorded (detailed)"))]
# Lazy labels: the choices are built once at import, before any language is active.
EXPORT_DIMS = [(d.value, DIM_LABELS[d]) for d in Dim]


class MonthField(forms.CharField):
    """A month as YYYY-MM (a month picker where the browser has one)."""

    def __init__(self, *, end: bool = False, **kwargs: Any) -> None:
        self.end = end
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Year and month, e.g. 2025-03."))
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> datetime.date | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        match = MONTH_RE.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        year, month = int(match.group(1)), int(match.group(2))
        day = calendar.monthrange(year, month)[1] if self.end else 1
        return datetime.date(year, month, day)


def _region_choices(countries: list[str]) -> list[tuple[str, Any]]:
    grouped: list[tuple[str, Any]] = [("", _("All regions"))]
    for country in countries:
        grouped.append((regions.country_name(country), regions.choices(country)))
    return grouped


class StatsFilterForm(forms.Form):
    """Filters shared by the dashboard and the exports (all optional)."""

    unit = forms.ChoiceField(
        label=_("Count"),
        choices=[(u.value, UNIT_LABELS[u]) for u in TABLE_UNITS],
        required=False,
        help_text=_("Acts: one victim suffering one type of act."),
    )
    date_from = MonthField(label=_("From (month)"))
    date_to = MonthField(label=_("To (month)"), end=True)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    depth = forms.ChoiceField(label=_("Level of detail"), choices=DEPTH_CHOICES, required=False)
    source_channel = forms.ChoiceField(
        label=_("Source channel"),
        choices=[("", _("All")), *SourceChannel.choices],
        required=False,
    )
    age_band = forms.ChoiceField(
        label=_("Age band"),
        choices=[("", _("All")), *[(v, lbl) for v, lbl in AgeBand.choices if v]],
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        organisation_id: int | None = None,
        countries: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``countries`` limits the country and region choices (all when None)."""
        super().__init__(*args, **kwargs)
        known = regions.countries()
        shown = [c for c in known if countries is None or c in countries]
        country = cast(forms.ChoiceField, self.fields["country"])
        country.choices = [("", _("All countries"))] + [(c, regions.country_name(c)) for c in shown]
        cast(forms.ChoiceField, self.fields["region"]).choices = _region_choices(shown)
        terms = {
            "act_type": (_("Act type (any level)"), "act_type"),
            "perpetrator_type": (_("Perpetrator type"), "perpetrator_type"),
            "place_type": (_("Place type"), "place_type"),
            "primary_group": (_("Victim's primary group"), "characteristic"),
            "intervention_type": (_("Response (intervention) type"), "intervention_type"),
            "case_outcome": (_("Case outcome"), "case_outcome"),
        }
        for name, (label, term_list) in terms.items():
            self.fields[name] = TermChoiceField(
                term_list,
                organisation_id,
                label=label,
                required=False,
                to_field_name="code",
                empty_label=str(_("All")),
            )
        self.fields["characteristics"] = TermMultipleChoiceField(
            "characteristic",
            organisation_id,
            label=_("Victim has any of these characteristics"),
            required=False,
            to_field_name="code",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end month is before the start month."))
        return data

    # -- results ----------------------------------------------------------------------

    def _data(self) -> dict[str, Any]:
        return self.cleaned_data if self.is_bound and self.is_valid() else {}

    def filters(self) -> Filters:
        data = self._data()

        def code(name: str) -> tuple[str, ...]:
            term = data.get(name)
            return (term.code,) if term is not None else ()

        def text(name: str) -> tuple[str, ...]:
            value = data.get(name)
            return (value,) if value else ()

        return Filters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            countries=text("country"),
            regions=text("region"),
            act_types=code("act_type"),
            perpetrator_types=code("perpetrator_type"),
            place_types=code("place_type"),
            primary_groups=code("primary_group"),
            characteristics=tuple(t.code for t in data.get("characteristics") or ()),
            age_bands=text("age_band"),
            source_channels=text("source_channel"),
            intervention_types=code("intervention_type"),
            case_outcomes=code("case_outcome"),
        )

    def chosen_unit(self) -> Unit:
        value = self._data().get("unit")
        return Unit(value) if value else Unit.ACTS

    def chosen_depth(self) -> int | None:
        """Roll term dimensions up to the main categories unless detail is asked for."""
        return None if self._data().get("depth") == DETAILED else 0

    def filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name != "unit"]


class ExportForm(StatsFilterForm):
    """Filters plus the table to export (rows, optional columns)."""

    rows = forms.ChoiceField(label=_("Rows"), choices=EXPORT_DIMS, required=False)
    columns = forms.ChoiceField(
        label=_("Columns"), choices=[("", _("None (one column)")), *EXPORT_DIMS], required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rows") and data.get("rows") == data.get("columns"):
            self.add_error("columns", _("Choose a different dimension for rows and columns."))
        return data

    def groups(self) -> tuple[Group, Group | None]:
        data = self._data()
        depth = self.chosen_depth()
        rows = Group(Dim(data.get("rows") or Dim.MONTH), depth)
        columns = Group(Dim(data["columns"]), depth) if data.get("columns") else None
        return rows, columns


class NetworkShareForm(forms.Form):
    network = forms.IntegerField(widget=forms.HiddenInput)
    opted_in = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CrossReportForm(forms.Form):
    number = forms.IntegerField(
        label=_("Incident number"),
        min_value=1,
        help_text=_("The number of your incident, e.g. 12 for E-00012."),
    )
    reference = forms.CharField(
        label=_("Shared reference"),
        max_length=100,
        help_text=_(
            "A reference agreed with the other organisation, the same on both sides. "
            "Never a name or a phone number. Only a keyed hash of it is stored."
        ),
    )


class ReportForm(forms.Form):
    """The advocacy report: period, scope (network analysts pick a network), country and
    the language of the document (independent of the interface language)."""

    date_from = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Counted by whole months: the report starts on the first of this month."),
    )
    date_to = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The report ends on the last day of this month."),
    )
    network = forms.TypedChoiceField(label=_("Network"), coerce=int)
    country = forms.ChoiceField(label=_("Country"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=settings.LANGUAGES,
        help_text=_("The report is written in this language, whatever language this page is in."),
    )

    def __init__(
        self,
        *args: Any,
        networks: list[Network] | None = None,
        countries: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``networks``: the choices of a network analyst (None: the member's organisation).
        ``countries`` limits the country choices (all when None)."""
        super().__init__(*args, **kwargs)
        self.networks = {n.pk: n for n in networks or []}
        if networks is None:
            del self.fields["network"]
        else:
            network = cast(forms.TypedChoiceField, self.fields["network"])
            network.choices = [(n.pk, n.name) for n in networks]
        shown = [c for c in regions.countries() if countries is None or c in countries]
        country = cast(forms.ChoiceField, self.fields["country"])
        country.choices = [("", _("All countries"))] + [(c, regions.country_name(c)) for c in shown]
        self.fields["language"].initial = (get_language() or "en")[:2]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                self.add_error("date_to", _("The end is before the start."))
            elif month_span(start, end) > MAX_MONTHS:
                self.add_error(
                    "date_to",
                    _("A report covers at most %(months)d months.") % {"months": MAX_MONTHS},
                )
        return data

    def chosen_network(self) -> Network | None:
        value = self.cleaned_data.get("network")
        return self.networks.get(value) if value is not None else None


class NetworkCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the network"),
        max_length=200,
        help_text=_("Your organisation hosts it: its network analysts see the combined figures."),
    )


class NetworkInviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation to invite"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = network.shares.values_list("organisation_id", flat=True)
        pending = network.invitations.filter(status="pending").values_list(
            "organisation_id", flat=True
        )
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = (
            Organisation.objects.exclude(pk=network.host_id)
            .exclude(pk__in=members)
            .exclude(pk__in=pending)
            .order_by("name")
        )
