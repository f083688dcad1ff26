"""Where a service is given, on its narrow facet row: the area and municipality filters without the wide rows.

services_servicefacetrow.places holds tokens for the service-area rule of services/querysets.py:

- ``m<id>`` and ``a<id>`` for each municipality the service names and that municipality's wellbeing area;
- ``o<id>`` for each wellbeing area of its organisation, when the service names no municipality;
- ``*`` when it names none and its organisation has no area either (nationwide).

So "given in municipality M (of area A), or nationwide" is ``places && {mM, oA, *}`` and "in area A" is
``places && {aA, oA, *}``: one GIN index lookup instead of EXISTS tests on each of 30 000 wide service rows. The tokens
hold ids, not codes, so a changed code changes nothing. Triggers keep them current whoever writes (admin, PTV import,
seed_demo's bulk loads, raw SQL): the service row (its organisation), its municipalities, its organisation's areas and
a municipality's area. The link tables' triggers are per statement with transition tables, so a bulk load recomputes
each affected service once.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

PLACES_SQL = """
CREATE OR REPLACE FUNCTION services_service_places(service bigint, organisation bigint) RETURNS text[]
    LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN EXISTS (SELECT 1 FROM services_service_municipalities sm WHERE sm.service_id = service) THEN
            ARRAY(SELECT DISTINCT token
                    FROM services_service_municipalities sm
                    JOIN organisations_municipality m ON m.id = sm.municipality_id,
                         LATERAL unnest(ARRAY['m' || m.id, 'a' || m.area_id]) AS token
                   WHERE sm.service_id = service
                   ORDER BY token)
        WHEN EXISTS (SELECT 1 FROM organisations_organisation_areas oa WHERE oa.organisation_id = organisation) THEN
            ARRAY(SELECT 'o' || oa.wellbeingarea_id FROM organisations_organisation_areas oa
                   WHERE oa.organisation_id = organisation ORDER BY 1)
        ELSE ARRAY['*']
    END
$$;

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
    INSERT INTO services_servicefacetrow (id, state, organisation_id, age_min, age_max, for_expecting, for_parents,
                                          languages, cost, access, places)
    VALUES (NEW.id, NEW.state, NEW.organisation_id, NEW.age_min, NEW.age_max, NEW.for_expecting, NEW.for_parents,
            NEW.languages, NEW.cost, NEW.access, services_service_places(NEW.id, NEW.organisation_id))
    ON CONFLICT (id) DO UPDATE SET
        state = EXCLUDED.state, organisation_id = EXCLUDED.organisation_id, age_min = EXCLUDED.age_min,
        age_max = EXCLUDED.age_max, for_expecting = EXCLUDED.for_expecting, for_parents = EXCLUDED.for_parents,
        languages = EXCLUDED.languages, cost = EXCLUDED.cost, access = EXCLUDED.access, places = EXCLUDED.places;
    RETURN NULL;
END $$;

-- The services named in the changed link rows.
CREATE OR REPLACE FUNCTION services_service_municipalities_places() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE services_servicefacetrow SET places = services_service_places(id, organisation_id);
        RETURN NULL;
    END IF;
    UPDATE services_servicefacetrow f SET places = services_service_places(f.id, f.organisation_id)
     WHERE f.id IN (SELECT service_id FROM changed_links);
    RETURN NULL;
END $$;

-- The services of the organisations in the changed area rows.
CREATE OR REPLACE FUNCTION services_organisation_areas_places() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE services_servicefacetrow SET places = services_service_places(id, organisation_id);
        RETURN NULL;
    END IF;
    UPDATE services_servicefacetrow f SET places = services_service_places(f.id, f.organisation_id)
     WHERE f.organisation_id IN (SELECT organisation_id FROM changed_links);
    RETURN NULL;
END $$;

-- A municipality moved to another wellbeing area: the services naming it.
CREATE OR REPLACE FUNCTION services_municipality_area_places() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_servicefacetrow f SET places = services_service_places(f.id, f.organisation_id)
     WHERE f.id IN (SELECT sm.service_id FROM services_service_municipalities sm
                     WHERE sm.municipality_id IN (SELECT n.id FROM changed_links n JOIN old_links o ON o.id = n.id
                                                   WHERE o.area_id IS DISTINCT FROM n.area_id));
    RETURN NULL;
END $$;

CREATE TRIGGER service_municipalities_places_insert AFTER INSERT ON services_service_municipalities
    REFERENCING NEW TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION services_service_municipalities_places();
CREATE TRIGGER service_municipalities_places_delete AFTER DELETE ON services_service_municipalities
    REFERENCING OLD TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION services_service_municipalities_places();
CREATE TRIGGER service_municipalities_places_update_old AFTER UPDATE ON services_service_municipalities
    REFERENCING OLD TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION services_service_municipalities_places();
CREATE TRIGGER service_municipalities_places_update_new AFTER UPDATE ON services_service_municipalities
    REFERENCING NEW TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION services_service_municipalities_places();
CREATE TRIGGER service_municipalities_places_truncate AFTER TRUNCATE ON services_service_municipalities
    FOR EACH STATEMENT EXECUTE FUNCTION services_service_municipalities_places();

CREATE TRIGGER organisation_areas_places_insert AFTER INSERT ON organisations_organisation_areas
    REFERENCING NEW TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION services_organisation_areas_places();
CREATE TRIGGER organisation_areas_places_delete AFTER DELETE ON organisations_organisation_areas
    REFERENCING OLD TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION services_organisation_areas_places();
CREATE TRIGGER organisation_areas_places_update_old AFTER UPDATE ON organisations_organisation_areas
    REFERENCING OLD TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION services_organisation_areas_places();
CREATE TRIGGER organisation_areas_places_update_new AFTER UPDATE ON organisations_organisation_areas
    REFERENCING NEW TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION services_organisation_areas_places();
CREATE TRIGGER organisation_areas_places_truncate AFTER TRUNCATE ON organisations_organisation_areas
    FOR EACH STATEMENT EXECUTE FUNCTION services_organisation_areas_places();

CREATE TRIGGER municipality_area_places AFTER UPDATE ON organisations_municipality
    REFERENCING OLD TABLE AS old_links NEW TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION services_municipality_area_places();

UPDATE services_servicefacetrow SET places = services_service_places(id, organisation_id);
ANALYZE services_servicefacetrow;
"""

# Back to migration 0007's row function (without places).
DROP_PLACES_SQL = """
DROP TRIGGER IF EXISTS service_municipalities_places_insert ON services_service_municipalities;
DROP TRIGGER IF EXISTS service_municipalities_places_delete ON services_service_municipalities;
DROP TRIGGER IF EXISTS service_municipalities_places_update_old ON services_service_municipalities;
DROP TRIGGER IF EXISTS service_municipalities_places_update_new ON services_service_municipalities;
DROP TRIGGER IF EXISTS service_municipalities_places_truncate ON services_service_municipalities;
DROP TRIGGER IF EXISTS organisation_areas_places_insert ON organisations_organisation_areas;
DROP TRIGGER IF EXISTS organisation_areas_places_delete ON organisations_organisation_areas;
DROP TRIGGER IF EXISTS organisation_areas_places_update_old ON organisations_organisation_areas;
DROP TRIGGER IF EXISTS organisation_areas_places_update_new ON organisations_organisation_areas;
DROP TRIGGER IF EXISTS organisation_areas_places_truncate ON organisations_organisation_areas;
DROP TRIGGER IF EXISTS municipality_area_places ON organisations_municipality;
DROP FUNCTION IF EXISTS services_service_municipalities_places();
DROP FUNCTION IF EXISTS services_organisation_areas_places();
DROP FUNCTION IF EXISTS services_municipality_area_places();
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
    INSERT INTO services_servicefacetrow (id, state, organisation_id, age_min, age_max, for_expecting, for_parents,
                                          languages, cost, access)
    VALUES (NEW.id, NEW.state, NEW.organisation_id, NEW.age_min, NEW.age_max, NEW.for_expecting, NEW.for_parents,
            NEW.languages, NEW.cost, NEW.access)
    ON CONFLICT (id) DO UPDATE SET
        state = EXCLUDED.state, organisation_id = EXCLUDED.organisation_id, age_min = EXCLUDED.age_min,
        age_max = EXCLUDED.age_max, for_expecting = EXCLUDED.for_expecting, for_parents = EXCLUDED.for_parents,
        languages = EXCLUDED.languages, cost = EXCLUDED.cost, access = EXCLUDED.access;
    RETURN NULL;
END $$;
DROP FUNCTION IF EXISTS services_service_places(bigint, bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0007_facet_rows"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicefacetrow",
            name="places",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.TextField(), default=list, editable=False, size=None
            ),
        ),
        migrations.AddIndex(
            model_name="servicefacetrow",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["places"], name="facetrow_places_idx", fastupdate=False
            ),
        ),
        migrations.RunSQL(PLACES_SQL, DROP_PLACES_SQL),
    ]
