"""Background work of the alerts app (django-tasks; the database worker runs it)."""

from __future__ import annotations

from django_tasks import task

from vigil.alerts import actions, dispatch


@task()
def send_alert(dispatch_id: int) -> str:
    """Send one alert to its recipients; the argument is an id, never an address."""
    return dispatch.run(dispatch_id)


@task()
def expire_alerts() -> int:
    """Move published alerts past their date to expired (run daily from cron)."""
    return actions.expire_due()
