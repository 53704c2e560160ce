"""The ICS calendar feed of a member: upcoming meetings and due follow-ups.

A calendar application fetches it without signing in, so it carries no
sensitive text: a generic title per kind of entry, the date, and a link to
the record (an id), never a place, a name, a board's district or a text.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from vigil import policy
from vigil.accounts.models import Membership
from vigil.engagement.models import OPEN_RECOMMENDATION, TRAININGS, SuggestionStatus

HORIZON_DAYS = 366


def _event(uid: str, summary: str, day: datetime.date, path: str) -> Event:
    event = Event()
    event.add("uid", f"{uid}@vigil")
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("dtstamp", timezone.now())
    event.add("url", settings.SITE_URL.rstrip("/") + path)
    return event


def feed(membership: Membership, today: datetime.date | None = None) -> bytes:
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=HORIZON_DAYS)
    user = membership.user
    calendar = Calendar()
    calendar.add("prodid", "-//Vigil//engagement//EN")
    calendar.add("version", "2.0")
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        calendar.add("x-wr-calname", _("Vigil: meetings and follow-ups"))
        for activity in policy.activities_of(membership).filter(date__range=(today, until)):
            summary = (
                _("Vigil: training") if activity.activity_type in TRAININGS else _("Vigil: meeting")
            )
            path = reverse("engagement:activity_detail", args=[activity.pk])
            calendar.add_component(_event(f"activity-{activity.pk}", summary, activity.date, path))
        suggestions = policy.suggestions_of(membership).filter(
            status=SuggestionStatus.SUBMITTED, due_date__range=(today, until)
        )
        for s in suggestions:
            path = reverse("engagement:suggestion_detail", args=[s.pk])
            calendar.add_component(
                _event(f"suggestion-{s.pk}", _("Vigil: answer due"), s.due_date, path)
            )
        recommendations = policy.recommendations_of(membership).filter(
            status__in=OPEN_RECOMMENDATION, due_date__range=(today, until)
        )
        for r in recommendations:
            path = reverse("engagement:visit_detail", args=[r.visit_id])
            calendar.add_component(
                _event(f"recommendation-{r.pk}", _("Vigil: follow-up due"), r.due_date, path)
            )
    return calendar.to_ical()
