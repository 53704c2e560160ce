from django.db import migrations


def load(apps, schema_editor):
    from vigil.engagement.vocabulary import load

    load(apps.get_model("vocab", "Term"))


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial"), ("vocab", "0002_load_terms")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
