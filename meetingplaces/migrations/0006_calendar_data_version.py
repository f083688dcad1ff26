"""The activity calendar's and the area page's caches follow the data version (services/search/caching.py).

Every statement that writes a meeting place, an activity, its dates or a place's hours, or a network contact person
(shown on the area page), advances the same sequence ``services_search_data_version`` (services migration 0007 made it
and its trigger function; it already covers the municipalities, areas, organisations and services these pages show).
A cached calendar listing or area page keyed by the version is then never shown after a write, and nothing needs
deleting.
"""

from django.db import migrations

VERSIONED_TABLES = (
    "meetingplaces_meetingplace",
    "meetingplaces_meetingplaceopeninghours",
    "meetingplaces_meetingplaceexception",
    "meetingplaces_activity",
    "meetingplaces_activitydate",
    "organisations_contactperson",
)

CREATE_TRIGGERS = "".join(
    f"CREATE TRIGGER {table}_search_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION services_search_data_changed();\n"
    for table in VERSIONED_TABLES
)
DROP_TRIGGERS = "".join(f"DROP TRIGGER IF EXISTS {table}_search_data_changed ON {table};\n" for table in VERSIONED_TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("meetingplaces", "0005_review_reminders"),
        ("organisations", "0011_problem_reports_network"),
        ("services", "0007_facet_rows"),
    ]

    operations = [migrations.RunSQL(CREATE_TRIGGERS, DROP_TRIGGERS)]
