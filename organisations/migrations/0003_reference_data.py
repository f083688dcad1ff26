from django.db import migrations


def load(apps, schema_editor):
    from organisations.reference_data import load_reference_data

    load_reference_data(
        apps.get_model("organisations", "WellbeingArea"),
        apps.get_model("organisations", "Municipality"),
        apps.get_model("organisations", "PostalCode"),
    )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_postgres_extensions")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
