"""Search facets at national scale: a narrow row per service, a data version, and indexes for "open now".

- services_servicefacetrow: the columns the search filters and facet counts read (services/search/facets.py), one
  row per service, written only by the trigger below, so every writer keeps it current (admin, PTV import,
  seed_demo's bulk loads, raw SQL). Counting facets over it reads ~3 MB instead of the service table's ~180 MB.
- services_search_data_version: a sequence advanced by every statement that writes a table the search results or
  facet counts depend on. The facet cache's keys include it, so a write is seen at once instead of after the cache
  entry expires. Sequences are not transactional, so a rolled-back write still moves it (one cache miss more).
- Indexes on exceptional hours by date and opening hours by weekday: "open now" read all 450 000 exception rows and
  160 000 rules of the national demo data for every search page.
"""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models

FACET_COLUMNS = "state, organisation_id, age_min, age_max, for_expecting, for_parents, languages, cost, access"

FACET_ROW_SQL = f"""
CREATE OR REPLACE FUNCTION services_service_facet_row() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM services_servicefacetrow WHERE id = OLD.id;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
        DELETE FROM services_servicefacetrow WHERE id = OLD.id;
    END IF;
    INSERT INTO services_servicefacetrow (id, {FACET_COLUMNS})
    VALUES (NEW.id, NEW.state, NEW.organisation_id, NEW.age_min, NEW.age_max, NEW.for_expecting, NEW.for_parents,
            NEW.languages, NEW.cost, NEW.access)
    ON CONFLICT (id) DO UPDATE SET
        state = EXCLUDED.state, organisation_id = EXCLUDED.organisation_id, age_min = EXCLUDED.age_min,
        age_max = EXCLUDED.age_max, for_expecting = EXCLUDED.for_expecting, for_parents = EXCLUDED.for_parents,
        languages = EXCLUDED.languages, cost = EXCLUDED.cost, access = EXCLUDED.access;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION services_service_facet_rows_truncated() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    -- Not TRUNCATE: that fails when both tables are truncated in one statement (manage.py flush).
    DELETE FROM services_servicefacetrow;
    RETURN NULL;
END $$;

-- Only writes that touch a facet column (or the id) recompute the row; update_search_vectors() does not.
CREATE TRIGGER service_facet_row AFTER INSERT OR DELETE OR UPDATE OF id, {FACET_COLUMNS} ON services_service
    FOR EACH ROW EXECUTE FUNCTION services_service_facet_row();
CREATE TRIGGER service_facet_rows_truncated AFTER TRUNCATE ON services_service
    FOR EACH STATEMENT EXECUTE FUNCTION services_service_facet_rows_truncated();

INSERT INTO services_servicefacetrow (id, {FACET_COLUMNS}) SELECT id, {FACET_COLUMNS} FROM services_service;
ANALYZE services_servicefacetrow;
"""
DROP_FACET_ROW_SQL = """
DROP TRIGGER IF EXISTS service_facet_row ON services_service;
DROP TRIGGER IF EXISTS service_facet_rows_truncated ON services_service;
DROP FUNCTION IF EXISTS services_service_facet_row();
DROP FUNCTION IF EXISTS services_service_facet_rows_truncated();
"""

# Every table whose rows change what a search finds or counts (the words, filters, labels and opening hours).
DATA_TABLES = (
    "services_service",
    "services_service_municipalities",
    "services_service_service_classes",
    "services_service_life_situations",
    "services_serviceclass",
    "services_lifesituation",
    "services_searchword",
    "services_searchsynonym",
    "services_searchexclusion",
    "services_location",
    "services_locationopeninghours",
    "services_locationexception",
    "organisations_organisation",
    "organisations_organisation_areas",
    "organisations_municipality",
    "organisations_wellbeingarea",
)
DATA_VERSION_SQL = """
CREATE SEQUENCE IF NOT EXISTS services_search_data_version;
CREATE OR REPLACE FUNCTION services_search_data_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('services_search_data_version');
    RETURN NULL;
END $$;
""" + "".join(
    f"CREATE TRIGGER {table}_search_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION services_search_data_changed();\n"
    for table in DATA_TABLES
)
DROP_DATA_VERSION_SQL = (
    "".join(f"DROP TRIGGER IF EXISTS {table}_search_data_changed ON {table};\n" for table in DATA_TABLES)
    + "DROP FUNCTION IF EXISTS services_search_data_changed();\n"
    + "DROP SEQUENCE IF EXISTS services_search_data_version;\n"
)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0007_link_check"),
        ("services", "0006_search_vocabulary"),
    ]

    operations = [
        migrations.CreateModel(
            name="ServiceFacetRow",
            fields=[
                ("id", models.BigIntegerField(editable=False, primary_key=True, serialize=False)),
                ("state", models.CharField(editable=False, max_length=10)),
                ("age_min", models.PositiveSmallIntegerField(editable=False, null=True)),
                ("age_max", models.PositiveSmallIntegerField(editable=False, null=True)),
                ("for_expecting", models.BooleanField(editable=False)),
                ("for_parents", models.BooleanField(editable=False)),
                (
                    "languages",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=3), editable=False, size=None
                    ),
                ),
                ("cost", models.CharField(editable=False, max_length=10)),
                (
                    "access",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=10), editable=False, size=None
                    ),
                ),
            ],
            options={
                "verbose_name": "facet row",
                "verbose_name_plural": "facet rows",
                "default_permissions": (),
            },
        ),
        migrations.AddIndex(
            model_name="locationexception",
            index=models.Index(fields=["date", "location"], name="location_exception_date_idx"),
        ),
        migrations.AddIndex(
            model_name="locationopeninghours",
            index=models.Index(fields=["weekday", "opens"], name="location_hours_weekday_idx"),
        ),
        migrations.AddField(
            model_name="servicefacetrow",
            name="organisation",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.RunSQL(FACET_ROW_SQL, DROP_FACET_ROW_SQL),
        migrations.RunSQL(DATA_VERSION_SQL, DROP_DATA_VERSION_SQL),
    ]
