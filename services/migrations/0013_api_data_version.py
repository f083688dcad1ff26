"""The search data version (migration 0007) also moves when a service's phone numbers, e-mail addresses or web links
change: the public API caches each service's JSON, which shows them, under that version (perhekeskus/api/views.py)."""

from django.db import migrations

API_TABLES = ("services_phonenumber", "services_emailaddress", "services_weblink")

CREATE_SQL = "".join(
    f"CREATE TRIGGER {table}_search_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION services_search_data_changed();\n"
    for table in API_TABLES
)
DROP_SQL = "".join(f"DROP TRIGGER IF EXISTS {table}_search_data_changed ON {table};\n" for table in API_TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0011_feedback"),
    ]

    operations = [migrations.RunSQL(CREATE_SQL, DROP_SQL)]
