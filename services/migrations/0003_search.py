"""Search: precomputed full-text vectors and a trigram text per service, kept current by triggers.

Why triggers and not an update call in Python: the vectors include the names of the service's
classes and life situations, which change through many writers (admin inlines, seed_demo's bulk
loads, the PTV import, m2m ``set()``); a trigger on the service row plus statement-level
triggers on the link tables and taxonomy tables keeps every path correct without anyone having
to remember a call. ``services.search.update_search_vectors()`` rebuilds on demand.

Functions:
- search_fold(text): lower case, accents folded to ASCII (å ä ö → a a o) for trigram matching,
  so "aitiysneuvola" and "äitiysneuvola" meet.
- search_sort_key(text): lower case with å ä ö mapped after z ("{" "|" "}"); compared with
  COLLATE "C" it gives the Finnish and Swedish alphabetical order (… z å ä ö) on any server,
  with or without ICU or fi_FI/sv_SE locales.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION search_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
    AS $$ SELECT translate(lower(value), 'åäöæøüáàâãāéèêëēíìîïóòôõúùûūñńçčšśžźýÿđðþ', 'aaoaouaaaaaeeeeeiiiioooouuuunnccsszzyyddt') $$;

CREATE OR REPLACE FUNCTION search_sort_key(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
    AS $$ SELECT translate(lower(btrim(value, ' "''«»”“')), 'åäæöøüáàâãāéèêëēíìîïóòôõúùûūñńçčšśžźýÿđðþ', '{||}}yaaaaaeeeeeiiiioooouuuunnccsszzyyddt') $$;

CREATE OR REPLACE FUNCTION services_service_search_document() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    classes_fi text; classes_sv text; classes_en text;
    situations_fi text; situations_sv text; situations_en text;
BEGIN
    SELECT string_agg(c.name_fi, ' '), string_agg(c.name_sv, ' '), string_agg(c.name_en, ' ')
      INTO classes_fi, classes_sv, classes_en
      FROM services_serviceclass c
      JOIN services_service_service_classes link ON link.serviceclass_id = c.id
     WHERE link.service_id = NEW.id;
    SELECT string_agg(s.name_fi, ' '), string_agg(s.name_sv, ' '), string_agg(s.name_en, ' ')
      INTO situations_fi, situations_sv, situations_en
      FROM services_lifesituation s
      JOIN services_service_life_situations link ON link.lifesituation_id = s.id
     WHERE link.service_id = NEW.id;

    NEW.search_vector_fi :=
        setweight(to_tsvector('finnish', coalesce(NEW.name_fi, '')), 'A')
        || setweight(to_tsvector('finnish', coalesce(NEW.summary_fi, '')), 'B')
        || setweight(to_tsvector('finnish', coalesce(NEW.description_fi, '')), 'C')
        || setweight(to_tsvector('finnish', concat_ws(' ', NEW.keywords_fi, classes_fi, situations_fi)), 'D');
    NEW.search_vector_sv :=
        setweight(to_tsvector('swedish', coalesce(NEW.name_sv, '')), 'A')
        || setweight(to_tsvector('swedish', coalesce(NEW.summary_sv, '')), 'B')
        || setweight(to_tsvector('swedish', coalesce(NEW.description_sv, '')), 'C')
        || setweight(to_tsvector('swedish', concat_ws(' ', NEW.keywords_sv, classes_sv, situations_sv)), 'D');
    NEW.search_vector_en :=
        setweight(to_tsvector('english', coalesce(NEW.name_en, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.summary_en, '')), 'B')
        || setweight(to_tsvector('english', coalesce(NEW.description_en, '')), 'C')
        || setweight(to_tsvector('english', concat_ws(' ', NEW.keywords_en, classes_en, situations_en)), 'D');
    NEW.search_text := search_fold(concat_ws(' ',
        NEW.name_fi, NEW.name_sv, NEW.name_en, NEW.keywords_fi, NEW.keywords_sv, NEW.keywords_en,
        classes_fi, classes_sv, classes_en, situations_fi, situations_sv, situations_en));
    RETURN NEW;
END $$;

-- Link rows added or removed: recompute the services concerned (their BEFORE UPDATE trigger does the work).
CREATE OR REPLACE FUNCTION services_search_links_added() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_service SET search_text = '' WHERE id IN (SELECT service_id FROM new_links);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION services_search_links_removed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_service SET search_text = '' WHERE id IN (SELECT service_id FROM old_links);
    RETURN NULL;
END $$;

-- A service class or life situation renamed: recompute the services that carry it.
CREATE OR REPLACE FUNCTION services_search_taxonomy_renamed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'services_serviceclass' THEN
        UPDATE services_service SET search_text = '' WHERE id IN (
            SELECT link.service_id FROM services_service_service_classes link
             WHERE link.serviceclass_id IN (
                SELECT n.id FROM new_taxa n JOIN old_taxa o ON o.id = n.id
                 WHERE (n.name_fi, n.name_sv, n.name_en) IS DISTINCT FROM (o.name_fi, o.name_sv, o.name_en)));
    ELSE
        UPDATE services_service SET search_text = '' WHERE id IN (
            SELECT link.service_id FROM services_service_life_situations link
             WHERE link.lifesituation_id IN (
                SELECT n.id FROM new_taxa n JOIN old_taxa o ON o.id = n.id
                 WHERE (n.name_fi, n.name_sv, n.name_en) IS DISTINCT FROM (o.name_fi, o.name_sv, o.name_en)));
    END IF;
    RETURN NULL;
END $$;
"""

TRIGGERS_SQL = """
CREATE TRIGGER service_search_document BEFORE INSERT OR UPDATE ON services_service
    FOR EACH ROW EXECUTE FUNCTION services_service_search_document();
CREATE TRIGGER service_classes_added AFTER INSERT ON services_service_service_classes
    REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION services_search_links_added();
CREATE TRIGGER service_classes_removed AFTER DELETE ON services_service_service_classes
    REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION services_search_links_removed();
CREATE TRIGGER life_situations_added AFTER INSERT ON services_service_life_situations
    REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION services_search_links_added();
CREATE TRIGGER life_situations_removed AFTER DELETE ON services_service_life_situations
    REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION services_search_links_removed();
CREATE TRIGGER service_class_renamed AFTER UPDATE ON services_serviceclass
    REFERENCING OLD TABLE AS old_taxa NEW TABLE AS new_taxa
    FOR EACH STATEMENT EXECUTE FUNCTION services_search_taxonomy_renamed();
CREATE TRIGGER life_situation_renamed AFTER UPDATE ON services_lifesituation
    REFERENCING OLD TABLE AS old_taxa NEW TABLE AS new_taxa
    FOR EACH STATEMENT EXECUTE FUNCTION services_search_taxonomy_renamed();
UPDATE services_service SET search_text = '';
"""

DROP_TRIGGERS_SQL = """
DROP TRIGGER IF EXISTS service_search_document ON services_service;
DROP TRIGGER IF EXISTS service_classes_added ON services_service_service_classes;
DROP TRIGGER IF EXISTS service_classes_removed ON services_service_service_classes;
DROP TRIGGER IF EXISTS life_situations_added ON services_service_life_situations;
DROP TRIGGER IF EXISTS life_situations_removed ON services_service_life_situations;
DROP TRIGGER IF EXISTS service_class_renamed ON services_serviceclass;
DROP TRIGGER IF EXISTS life_situation_renamed ON services_lifesituation;
"""

DROP_FUNCTIONS_SQL = """
DROP FUNCTION IF EXISTS services_search_taxonomy_renamed();
DROP FUNCTION IF EXISTS services_search_links_removed();
DROP FUNCTION IF EXISTS services_search_links_added();
DROP FUNCTION IF EXISTS services_service_search_document();
DROP FUNCTION IF EXISTS search_sort_key(text);
DROP FUNCTION IF EXISTS search_fold(text);
"""

# Name order per page language (the name shown, with the same fallback as the page), in "C" order.
SORT_INDEXES_SQL = """
CREATE INDEX service_sort_key_fi_idx ON services_service ((search_sort_key(name_fi) COLLATE "C"));
CREATE INDEX service_sort_key_sv_idx ON services_service
    ((search_sort_key(coalesce(nullif(name_sv, ''), name_fi)) COLLATE "C"));
"""
DROP_SORT_INDEXES_SQL = "DROP INDEX IF EXISTS service_sort_key_fi_idx; DROP INDEX IF EXISTS service_sort_key_sv_idx;"


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0002_postgres_extensions'),
        ('organisations', '0003_reference_data'),
        ('services', '0002_taxonomies'),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS_SQL, DROP_FUNCTIONS_SQL),
        migrations.AddField(
            model_name='service',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='service',
            name='search_vector_en',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='service',
            name='search_vector_fi',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='service',
            name='search_vector_sv',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='service',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector_fi'], name='service_search_vector_fi_idx'),
        ),
        migrations.AddIndex(
            model_name='service',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector_sv'], name='service_search_vector_sv_idx'),
        ),
        migrations.AddIndex(
            model_name='service',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector_en'], name='service_search_vector_en_idx'),
        ),
        migrations.AddIndex(
            model_name='service',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(models.F('search_text'), name='gin_trgm_ops'), name='service_search_text_trgm_idx'),
        ),
        migrations.RunSQL(TRIGGERS_SQL, DROP_TRIGGERS_SQL),
        migrations.RunSQL(SORT_INDEXES_SQL, DROP_SORT_INDEXES_SQL),
    ]
