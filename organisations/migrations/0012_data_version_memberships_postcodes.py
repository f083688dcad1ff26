"""The data version (services/search/caching.py) also for who receives a family's question, and for postcodes.

Cached pages (services/pagecache.py, the calendar's and the area page's cached HTML) are keyed by the sequence
``services_search_data_version``; a table they read but whose writes do not advance it leaves them stale until the
entry expires. Three such tables were left (tests/test_data_version.py finds them by the SQL of the cached pages):

- ``organisations_membership`` and the users' ``email`` and ``is_active``: whether "Ask anonymously" is shown
  (organisations.querysets.receives_questions) on the service page. Only those two user columns count, and only when
  their value changes, so a login (``last_login``) or a password change does not empty every cache. A user deleted
  with memberships advances it through the memberships, which Django deletes first.
- ``organisations_postalcode``: the "where" label of the home page and the comparison ("00530 Helsinki"), and the
  point a postcode's distances are measured from.
"""

from django.conf import settings
from django.db import migrations

STATEMENT_TABLES = ("organisations_membership", "organisations_postalcode")

CREATE_STATEMENT_TRIGGERS = "".join(
    f"CREATE TRIGGER {table}_search_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION services_search_data_changed();\n"
    for table in STATEMENT_TABLES
)
DROP_STATEMENT_TRIGGERS = "".join(
    f"DROP TRIGGER IF EXISTS {table}_search_data_changed ON {table};\n" for table in STATEMENT_TABLES
)


def _user_table(apps) -> str:
    return apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table


def create_user_trigger(apps, schema_editor):
    table = schema_editor.quote_name(_user_table(apps))
    schema_editor.execute(
        f"CREATE TRIGGER user_search_data_changed AFTER UPDATE OF email, is_active ON {table} FOR EACH ROW "
        "WHEN (OLD.email IS DISTINCT FROM NEW.email OR OLD.is_active IS DISTINCT FROM NEW.is_active) "
        "EXECUTE FUNCTION services_search_data_changed()"
    )


def drop_user_trigger(apps, schema_editor):
    table = schema_editor.quote_name(_user_table(apps))
    schema_editor.execute(f"DROP TRIGGER IF EXISTS user_search_data_changed ON {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0011_problem_reports_network"),
        ("services", "0007_facet_rows"),  # the sequence and its trigger function
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(CREATE_STATEMENT_TRIGGERS, DROP_STATEMENT_TRIGGERS),
        migrations.RunPython(create_user_trigger, drop_user_trigger),
    ]
