from django.db import migrations


def load(apps, schema_editor):
    from services.taxonomies import load_taxonomies

    load_taxonomies(apps.get_model("services", "ServiceClass"), apps.get_model("services", "LifeSituation"))


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
