from django.db import migrations


def load(apps, schema_editor):
    from vigil.vocab.loader import load_terms

    load_terms(apps.get_model("vocab", "Term"))


class Migration(migrations.Migration):
    dependencies = [("vocab", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
