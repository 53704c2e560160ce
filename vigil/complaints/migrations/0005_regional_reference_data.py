"""Oversight bodies, holidays and default letter templates for Moldova, Georgia,
Kazakhstan, Kyrgyzstan and Belarus, and letters in their languages, for existing
installs (a new install gets the bodies and holidays from 0002 already; loading
again changes nothing)."""

import hashlib

from django.db import migrations

LANGUAGES = ("ro", "ka", "kk", "ky", "be")


def load(apps, schema_editor):
    from vigil.complaints import loader
    from vigil.complaints.letters import build_default_template
    from vigil.complaints.models import BodyType

    loader.load_bodies(apps.get_model("complaints", "OversightBody"))
    loader.load_holidays(apps.get_model("complaints", "Holiday"))
    template_model = apps.get_model("complaints", "LetterTemplate")
    for body_type in BodyType.values:
        for language in LANGUAGES:
            content = build_default_template(body_type, language)
            template_model.objects.update_or_create(
                organisation=None,
                body_type=body_type,
                language=language,
                defaults={"content": content, "sha256": hashlib.sha256(content).hexdigest()},
            )


def remove(apps, schema_editor):
    apps.get_model("complaints", "LetterTemplate").objects.filter(
        organisation=None, language__in=LANGUAGES
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0004_letter_languages")]

    operations = [migrations.RunPython(load, remove)]
