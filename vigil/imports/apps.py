from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "vigil.imports"
    verbose_name = _("Spreadsheet import and export")
