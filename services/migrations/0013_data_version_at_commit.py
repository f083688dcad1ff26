"""The search data version advances again when a write commits, not only when its statement runs.

Sequences are not transactional: the statement triggers (migrations 0007 and 0012, meetingplaces 0006, organisations
0012) advance ``services_search_data_version`` while the writer's transaction is still open. A page rendered in
between reads the new version but the old rows and is cached under the new version until it expires (services/search/
caching.py). So every table with a statement trigger gets a constraint trigger, DEFERRABLE INITIALLY DEFERRED, that
advances the version once more at the commit, after the writer's last change (the users' trigger only for a changed
address or activity, as before).

Once per transaction, not once per row: a constraint trigger is per row, and its WHEN condition is evaluated when the
row is written (only rows it accepts are queued for the commit). The condition accepts the first row of a transaction
and marks the transaction (a transaction-local setting, undone with a rolled-back savepoint together with the rows it
queued), so a bulk UPDATE of 30 000 services queues one event, not 30 000. When the event fires it clears the mark,
so writes after a ``SET CONSTRAINTS ALL IMMEDIATE`` (which fires the queue early, as Django's check_constraints()
does) queue another for the commit.

TRUNCATE has no row and no constraint trigger: the statement trigger queues a row in the marker table
``services_search_data_truncation``, whose constraint trigger advances the version at the commit and deletes it.

A migration that writes one of these tables and then alters it in the same transaction fails with "pending trigger
events" (as Django's deferred foreign keys already make it for inserts): write and alter in separate migrations, or
``SET CONSTRAINTS ALL IMMEDIATE`` before altering.
"""

import importlib

from django.conf import settings
from django.db import migrations


def _tables(module: str, name: str) -> tuple[str, ...]:
    return getattr(importlib.import_module(module), name)


# Every table with a statement trigger today (the users' table has its own row trigger, below).
STATEMENT_TABLES = (
    _tables("services.migrations.0007_facet_rows", "DATA_TABLES")
    + _tables("services.migrations.0012_page_data_version", "PAGE_TABLES")
    + _tables("meetingplaces.migrations.0006_calendar_data_version", "VERSIONED_TABLES")
    + _tables("organisations.migrations.0012_data_version_memberships_postcodes", "STATEMENT_TABLES")
)
QUEUED = "perhekeskus.search_data_commit_queued"
MARKER = "services_search_data_truncation"

FUNCTIONS = f"""
CREATE TABLE {MARKER} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);

-- True for the first row a transaction writes (queue the commit's advance), false after it until that has fired.
-- Plain SQL, so PostgreSQL inlines it into the WHEN of each trigger: no PL/pgSQL call for every row written.
CREATE FUNCTION services_search_data_commit_unqueued() RETURNS boolean
    LANGUAGE sql VOLATILE AS $$
    SELECT CASE WHEN current_setting('{QUEUED}', true) = 'yes' THEN false
                ELSE set_config('{QUEUED}', 'yes', true) = 'yes' END
$$;

CREATE FUNCTION services_search_data_committed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('{QUEUED}', '', true);
    PERFORM nextval('services_search_data_version');
    IF TG_TABLE_NAME = '{MARKER}' THEN
        DELETE FROM {MARKER} WHERE id = NEW.id;
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER {MARKER}_committed AFTER INSERT ON {MARKER}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION services_search_data_committed();

CREATE OR REPLACE FUNCTION services_search_data_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('services_search_data_version');
    IF TG_OP = 'TRUNCATE' AND services_search_data_commit_unqueued() THEN
        INSERT INTO {MARKER} DEFAULT VALUES;
    END IF;
    RETURN NULL;
END $$;
"""
# As migration 0007 made it.
DROP_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION services_search_data_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('services_search_data_version');
    RETURN NULL;
END $$;
DROP TABLE IF EXISTS {MARKER};
DROP FUNCTION IF EXISTS services_search_data_committed();
DROP FUNCTION IF EXISTS services_search_data_commit_unqueued();
"""

CREATE_TRIGGERS = "".join(
    f"CREATE CONSTRAINT TRIGGER {table}_search_data_committed AFTER INSERT OR UPDATE OR DELETE ON {table} "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (services_search_data_commit_unqueued()) "
    "EXECUTE FUNCTION services_search_data_committed();\n"
    for table in STATEMENT_TABLES
)
DROP_TRIGGERS = "".join(
    f"DROP TRIGGER IF EXISTS {table}_search_data_committed ON {table};\n" for table in STATEMENT_TABLES
)


def _user_table(apps, schema_editor) -> str:
    return schema_editor.quote_name(apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table)


def create_user_trigger(apps, schema_editor):
    # CASE, not AND: the mark may be set only when the row counts.
    schema_editor.execute(
        f"CREATE CONSTRAINT TRIGGER user_search_data_committed AFTER UPDATE OF email, is_active "
        f"ON {_user_table(apps, schema_editor)} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        "WHEN (CASE WHEN OLD.email IS DISTINCT FROM NEW.email OR OLD.is_active IS DISTINCT FROM NEW.is_active "
        "THEN services_search_data_commit_unqueued() ELSE false END) "
        "EXECUTE FUNCTION services_search_data_committed()"
    )


def drop_user_trigger(apps, schema_editor):
    schema_editor.execute(f"DROP TRIGGER IF EXISTS user_search_data_committed ON {_user_table(apps, schema_editor)}")


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0012_page_data_version"),
        ("meetingplaces", "0006_calendar_data_version"),
        ("organisations", "0012_data_version_memberships_postcodes"),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        migrations.RunSQL(CREATE_TRIGGERS, DROP_TRIGGERS),
        migrations.RunPython(create_user_trigger, drop_user_trigger),
    ]
