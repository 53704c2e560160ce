from django.db import migrations


def load(apps, schema_editor):
    from vigil.complaints import loader

    loader.load_bodies(apps.get_model("complaints", "OversightBody"))
    loader.load_grounds(apps.get_model("complaints", "LegalGround"))
    loader.load_holidays(apps.get_model("complaints", "Holiday"))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
