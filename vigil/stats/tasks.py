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


@task()
def refresh_rollups(
    organisation_id: int, event_ids: list[int], victim_ids: list[int], case_ids: list[int]
) -> int:
    """Recompute the roll-up months and first-seen rows that changed incidents touch."""
    from vigil.stats import rollup

    rollup.refresh(organisation_id, event_ids, victim_ids, case_ids)
    return len(event_ids)


@task()
def rebuild_rollups(organisation_id: int) -> int:
    """Rebuild the roll-ups of one organisation (after an import or demo data)."""
    from vigil.stats import rollup

    return rollup.rebuild(organisation_id)
