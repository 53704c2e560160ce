from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "vigil.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from vigil.audit.models import AuditEvent
        from vigil.stats import hooks

        post_save.connect(hooks.on_audit, sender=AuditEvent, dispatch_uid="stats-rollups")
