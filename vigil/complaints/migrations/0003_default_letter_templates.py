import hashlib

from django.db import migrations

LANGUAGES = ("ru", "uk", "en")


def build(apps, schema_editor):
    from vigil.complaints.letters import build_default_template
    from vigil.complaints.models import BodyType

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
    apps.get_model("complaints", "LetterTemplate").objects.filter(organisation=None).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_load_reference_data")]

    operations = [migrations.RunPython(build, remove)]
