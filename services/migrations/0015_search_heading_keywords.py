"""The search heading carries the keywords, classes and life situations (weight B) beside the names (A).

Ranking gives a match in those 2 points (matching.py HEADING) and read them from the search document. The heading is
stored inline (STORAGE MAIN, 0006); the document is often stored out of line, so for a common word (17 500 matches)
ranking unpacked thousands of documents from TOAST: 150 ms of the query. With B in the heading, ranking reads only the
heading; the document is read only by the GIN index that finds the matches.
"""

import importlib

from django.db import migrations

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION services_service_search_document() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    classes text; situations text; names tsvector; tagged tsvector;
BEGIN
    SELECT string_agg(concat_ws(' ', c.name_fi, c.name_sv, c.name_en), ' ') INTO classes
      FROM services_serviceclass c
      JOIN services_service_service_classes link ON link.serviceclass_id = c.id
     WHERE link.service_id = NEW.id;
    SELECT string_agg(concat_ws(' ', s.name_fi, s.name_sv, s.name_en), ' ') INTO situations
      FROM services_lifesituation s
      JOIN services_service_life_situations link ON link.lifesituation_id = s.id
     WHERE link.service_id = NEW.id;

    names := setweight(to_tsvector('simple', concat_ws(' ', NEW.name_fi, NEW.name_sv, NEW.name_en)), 'A');
    tagged := setweight(to_tsvector('simple', concat_ws(' ',
        NEW.keywords_fi, NEW.keywords_sv, NEW.keywords_en, classes, situations)), 'B');
    NEW.search_heading := names || tagged;
    NEW.search_document := names || tagged
        || setweight(to_tsvector('simple', concat_ws(' ', NEW.summary_fi, NEW.summary_sv, NEW.summary_en)), 'C')
        || setweight(to_tsvector('simple',
            concat_ws(' ', NEW.description_fi, NEW.description_sv, NEW.description_en)), 'D');
    NEW.sort_name_fi := coalesce(search_sort_key(NEW.name_fi), '');
    NEW.sort_name_sv := coalesce(search_sort_key(coalesce(nullif(NEW.name_sv, ''), NEW.name_fi)), '');
    NEW.sort_name_en := coalesce(search_sort_key(coalesce(nullif(NEW.name_en, ''), NEW.name_fi)), '');

    IF TG_OP = 'INSERT' OR NEW.search_document IS DISTINCT FROM OLD.search_document THEN
        INSERT INTO services_searchword (word, folded, lemmas, heads, parts, inflected)
        SELECT new_word, search_fold(new_word), '{}', '{}', '{}', false
          FROM unnest(tsvector_to_array(NEW.search_document)) AS new_word
         WHERE char_length(new_word) <= 60
           AND NOT EXISTS (SELECT 1 FROM services_searchword w WHERE w.word = new_word)
         ORDER BY new_word COLLATE "C"
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NEW;
END $$;
"""

# Every service's heading and document again, through the trigger.
RECOMPUTE_SQL = "UPDATE services_service SET search_document = NULL;\nANALYZE services_service;\n"


def previous_function_sql():
    """Migration 0006's function (names only in the heading), for going back."""
    previous = importlib.import_module("services.migrations.0006_search_vocabulary").DOCUMENT_FUNCTION_SQL
    return previous[: previous.index("CREATE OR REPLACE FUNCTION services_search_links_added()")]


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0014_facet_row_taxonomies"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION_SQL + RECOMPUTE_SQL, previous_function_sql() + RECOMPUTE_SQL),
    ]
