"""Rebuild the shared default letter templates: the signature now carries the
author's position (set in her profile). Organisations' own templates are kept."""

import hashlib

from django.db import migrations


def rebuild(apps, schema_editor):
    from vigil.complaints.letters import build_default_template

    template_model = apps.get_model("complaints", "LetterTemplate")
    for row in template_model.objects.filter(organisation=None):
        content = build_default_template(row.body_type, row.language)
        row.content = content
        row.sha256 = hashlib.sha256(content).hexdigest()
        row.save(update_fields=["content", "sha256"])


class Migration(migrations.Migration):
    dependencies = [("complaints", "0004_body_needs_completion")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
