from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "vigil.engagement"
    label = "engagement"
    verbose_name = _("Work with police and oversight bodies")
