"""The demo data: one published alert and two members per demo organisation."""

from __future__ import annotations


def test_the_demo_publishes_one_alert_per_organisation(db: None) -> None:
    from vigil.accounts.demo import create_demo
    from vigil.alerts.demo import create_demo_alerts
    from vigil.alerts.models import Alert, Subscriber

    create_demo()
    assert create_demo_alerts() == 2
    assert create_demo_alerts() == 0  # idempotent
    assert set(Alert.objects.values_list("status", flat=True)) == {"published"}
    assert Subscriber.objects.count() == 4
