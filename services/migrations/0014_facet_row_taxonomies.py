"""A service's life situations and service classes on its narrow facet row, as arrays of ids.

Their facet counts joined every matching service to the link tables: for a common word's 7 700 matches the planner
hashed all 67 000 life-situation links (13 ms) and 31 000 class links, on every unseen search. The counts now unnest
the two arrays of the rows already read (services/search/filters.py TaxonomyFilter.facet_sql).

Statement triggers with transition tables on the two link tables keep the arrays current whoever writes (admin, PTV
import, seed_demo's bulk loads, raw SQL), recomputing each affected service once per statement, as migration 0008 does
for places. A new facet row starts with empty arrays (the column default): its service's links come after it.
"""

import django.contrib.postgres.fields
from django.db import migrations, models

LINKS = (
    # (column on the facet row, link table, the link table's taxonomy column)
    ("life_situations", "services_service_life_situations", "lifesituation_id"),
    ("service_classes", "services_service_service_classes", "serviceclass_id"),
)


def _function(column, table, taxonomy):
    return f"""
CREATE OR REPLACE FUNCTION services_facet_row_{column}() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE services_servicefacetrow SET {column} = '{{}}' WHERE {column} <> '{{}}';
        RETURN NULL;
    END IF;
    UPDATE services_servicefacetrow row
       SET {column} = ARRAY(SELECT link.{taxonomy} FROM {table} link WHERE link.service_id = row.id
                             ORDER BY link.{taxonomy})
     WHERE row.id IN (SELECT DISTINCT service_id FROM changed_links);
    RETURN NULL;
END $$;
CREATE TRIGGER facet_row_{column}_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION services_facet_row_{column}();
CREATE TRIGGER facet_row_{column}_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION services_facet_row_{column}();
CREATE TRIGGER facet_row_{column}_update_old AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION services_facet_row_{column}();
CREATE TRIGGER facet_row_{column}_update_new AFTER UPDATE ON {table}
    REFERENCING NEW TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION services_facet_row_{column}();
CREATE TRIGGER facet_row_{column}_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION services_facet_row_{column}();
ALTER TABLE services_servicefacetrow ALTER COLUMN {column} SET DEFAULT '{{}}';
UPDATE services_servicefacetrow row
   SET {column} = ARRAY(SELECT link.{taxonomy} FROM {table} link WHERE link.service_id = row.id
                         ORDER BY link.{taxonomy});
"""


def _drop(column, table, _taxonomy):
    triggers = "".join(
        f"DROP TRIGGER IF EXISTS facet_row_{column}_{event} ON {table};\n"
        for event in ("insert", "delete", "update_old", "update_new", "truncate")
    )
    return triggers + f"DROP FUNCTION IF EXISTS services_facet_row_{column}();\n"


TAXONOMIES_SQL = "".join(_function(*link) for link in LINKS) + "ANALYZE services_servicefacetrow;\n"
DROP_TAXONOMIES_SQL = "".join(_drop(*link) for link in LINKS)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0013_data_version_at_commit"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicefacetrow",
            name="life_situations",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(), default=list, editable=False, size=None
            ),
        ),
        migrations.AddField(
            model_name="servicefacetrow",
            name="service_classes",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(), default=list, editable=False, size=None
            ),
        ),
        migrations.RunSQL(TAXONOMIES_SQL, DROP_TAXONOMIES_SQL),
    ]
