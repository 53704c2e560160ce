"""Background work of the statistics app (django-tasks; the database worker runs it)."""

from __future__ import annotations

from django_tasks import task

from vigil.stats import report


@task()
def generate_report(job_id: int) -> str:
    """Build a requested advocacy report, recording progress on its ``ReportJob``."""
    return report.run_job(job_id)


@task()
def purge_reports() -> int:
    """Delete reports older than ``STATS_REPORT_KEEP_DAYS`` (also done on each new request)."""
    return report.purge_expired()
