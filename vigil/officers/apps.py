from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficersConfig(AppConfig):
    name = "vigil.officers"
    label = "officers"
    verbose_name = _("Officer profiles and complaint registers")
