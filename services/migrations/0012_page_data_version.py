"""The search data version also for the contact details the service and comparison pages show.

services/pagecache.py keeps whole service and comparison pages under the search data version (migration 0007), so
every table those pages read must advance it: the service's phone numbers, e-mail addresses and web links too (the
search reads none of them, so this costs the search one cache miss more per such edit).
"""

from django.db import migrations

PAGE_TABLES = ("services_phonenumber", "services_emailaddress", "services_weblink")

FORWARD = "".join(
    f"CREATE TRIGGER {table}_search_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION services_search_data_changed();\n"
    for table in PAGE_TABLES
)
BACKWARD = "".join(f"DROP TRIGGER IF EXISTS {table}_search_data_changed ON {table};\n" for table in PAGE_TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0011_feedback"),
    ]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
