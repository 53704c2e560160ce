"""Demo engagement records: created once per demo organisation, through the actions."""

from __future__ import annotations

from vigil.accounts.demo import create_demo
from vigil.engagement.demo import create_demo_engagement
from vigil.engagement.models import Activity, CommunityBoard, Partner, Recommendation, Visit


def test_it_fills_both_demo_organisations_once(db: None, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    create_demo()
    assert create_demo_engagement() == 2
    assert create_demo_engagement() == 0
    dostyk = Partner.objects.get(organisation__slug="dostyk")
    assert "Temirtau" in dostyk.body.name
    assert dostyk.participants.get().role == "police_liaison"
    assert dostyk.contacts.count() == 1 and dostyk.agreements.count() == 1
    course = Activity.objects.get(organisation__slug="svitlo", activity_type="academy_course")
    assert course.hours == 36 and course.police_count == 32
    assert CommunityBoard.objects.get(organisation__slug="svitlo").suggestions.count() == 2
    visit = Visit.objects.get(organisation__slug="svitlo")
    assert visit.findings.count() == 3
    assert Recommendation.objects.filter(visit=visit).count() == 2
