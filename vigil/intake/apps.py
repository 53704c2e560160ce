from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "vigil.intake"
    label = "intake"
    verbose_name = _("Reports and hotline")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from vigil.accounts.models import Organisation
        from vigil.vault.models import OrganisationKey

        for signal in (post_save, post_delete):
            signal.connect(_forget_organisation, sender=Organisation, weak=False)
            signal.connect(_forget_organisation_of_key, sender=OrganisationKey, weak=False)


def _forget_organisation(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Drop the public pages' cached copy of a saved or deleted organisation."""
    from django.core.cache import cache

    from vigil.intake.public import organisation_cache_key

    cache.delete(organisation_cache_key(instance.slug))


def _forget_organisation_of_key(sender: Any, instance: Any, **kwargs: Any) -> None:
    from django.core.cache import cache

    from vigil.accounts.models import Organisation
    from vigil.intake.public import organisation_cache_key

    slugs = Organisation.objects.filter(pk=instance.organisation_id).values_list("slug", flat=True)
    cache.delete_many([organisation_cache_key(slug) for slug in slugs])
