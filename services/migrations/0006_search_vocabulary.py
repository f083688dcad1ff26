"""Search v2: one plain-word search document per service, its heading, name sort keys, and the vocabulary.

The three stemmed vectors and the trigram text (0003) go: matching a query word by similarity against 30 000 long
texts was the cost of every search. Instead (services/search/vocabulary.py):

- ``search_document``: every word of the service's texts in all languages, lower case, unstemmed ('simple'
  configuration), weighted name A, keywords/classes/life situations B, summary C, description D; GIN-indexed. A
  query word is turned into the corpus words standing for it, and the match is ``search_document @@`` those
  lexemes: an index lookup without recheck.
- ``search_heading``: the A and B parts only; small enough to stay inline, so ranking tests it on every match.
- ``sort_name_fi/sv/en``: search_sort_key() of the name a page of that language shows, "C" collation, indexed.
- ``services_searchword``: the distinct words, added here by the trigger when a document has a word not seen yet
  (in sorted order, so concurrent writers cannot deadlock), analysed in Python (Voikko, Swedish rules).

The link and taxonomy triggers of 0003 now touch ``search_document``.
"""

import importlib

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.expressions
from django.db import migrations, models

DOCUMENT_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION services_service_search_document() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    classes text; situations text; heading tsvector;
BEGIN
    SELECT string_agg(concat_ws(' ', c.name_fi, c.name_sv, c.name_en), ' ') INTO classes
      FROM services_serviceclass c
      JOIN services_service_service_classes link ON link.serviceclass_id = c.id
     WHERE link.service_id = NEW.id;
    SELECT string_agg(concat_ws(' ', s.name_fi, s.name_sv, s.name_en), ' ') INTO situations
      FROM services_lifesituation s
      JOIN services_service_life_situations link ON link.lifesituation_id = s.id
     WHERE link.service_id = NEW.id;

    heading :=
        setweight(to_tsvector('simple', concat_ws(' ', NEW.name_fi, NEW.name_sv, NEW.name_en)), 'A')
        || setweight(to_tsvector('simple', concat_ws(' ',
            NEW.keywords_fi, NEW.keywords_sv, NEW.keywords_en, classes, situations)), 'B');
    NEW.search_heading := heading;
    NEW.search_document := heading
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

CREATE OR REPLACE FUNCTION services_search_links_added() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_service SET search_document = NULL WHERE id IN (SELECT service_id FROM new_links);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION services_search_links_removed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_service SET search_document = NULL WHERE id IN (SELECT service_id FROM old_links);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION services_search_taxonomy_renamed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'services_serviceclass' THEN
        UPDATE services_service SET search_document = NULL WHERE id IN (
            SELECT link.service_id FROM services_service_service_classes link
             WHERE link.serviceclass_id IN (
                SELECT n.id FROM new_taxa n JOIN old_taxa o ON o.id = n.id
                 WHERE (n.name_fi, n.name_sv, n.name_en) IS DISTINCT FROM (o.name_fi, o.name_sv, o.name_en)));
    ELSE
        UPDATE services_service SET search_document = NULL WHERE id IN (
            SELECT link.service_id FROM services_service_life_situations link
             WHERE link.lifesituation_id IN (
                SELECT n.id FROM new_taxa n JOIN old_taxa o ON o.id = n.id
                 WHERE (n.name_fi, n.name_sv, n.name_en) IS DISTINCT FROM (o.name_fi, o.name_sv, o.name_en)));
    END IF;
    RETURN NULL;
END $$;

-- Keep the heap narrow: long texts (descriptions, the search document) go out of line early, so a search that
-- reads thousands of matching rows reads a few megabytes; the heading stays inline (MAIN) for the ranking.
ALTER TABLE services_service SET (toast_tuple_target = 512);
ALTER TABLE services_service ALTER COLUMN search_heading SET STORAGE MAIN;
DROP INDEX IF EXISTS service_sort_key_fi_idx;
DROP INDEX IF EXISTS service_sort_key_sv_idx;
UPDATE services_service SET search_document = NULL;
"""


def previous_functions_sql():
    previous = importlib.import_module("services.migrations.0003_search")
    return (
        previous.FUNCTIONS_SQL + previous.SORT_INDEXES_SQL + "UPDATE services_service SET search_text = '';"
    )


# A starting list coordinators extend in the admin: words families use for the same service.
DEFAULT_SYNONYMS = [
    ("perheneuvola, perheneuvonta, kasvatus- ja perheneuvonta, kasvatusneuvola", "Family counselling"),
    ("avioero, ero, avoero, eroperhe", "Separation (fi)"),
    ("skilsmässa, separation, skilsmässofamilj", "Separation (sv)"),
    ("familjerådgivning, uppfostrings- och familjerådgivning", "Family counselling (sv)"),
    ("puheterapia, puheterapeutti, puheen kehitys", "Speech therapy (fi)"),
    ("talterapi, talterapeut, logoped", "Speech therapy (sv)"),
    ("masennus, depressio, alakulo", "Low mood (fi)"),
    ("nedstämdhet, depression", "Low mood (sv)"),
    ("päiväkoti, varhaiskasvatus, päivähoito", "Early childhood education (fi)"),
    ("daghem, dagis, småbarnspedagogik, dagvård", "Early childhood education (sv)"),
    ("lastenvahti, lastenhoitoapu, lastenhoito", "Childminding (fi)"),
    ("barnvakt, barnvaktshjälp, barnskötsel", "Childminding (sv)"),
    ("perhevalmennus, synnytysvalmennus", "Antenatal classes (fi)"),
    ("familjeförberedelse, förlossningsförberedelse", "Antenatal classes (sv)"),
    ("kuraattori, koulukuraattori", "School social worker"),
    ("kurator, skolkurator", "School social worker (sv)"),
    ("turvakoti, väkivalta, lähisuhdeväkivalta", "Shelter (fi)"),
    ("skyddshem, våld i nära relationer", "Shelter (sv)"),
    ("lastenvalvoja, elatus, huoltajuus", "Child welfare officer (fi)"),
]


def add_default_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("services", "SearchSynonym")
    for words, note in DEFAULT_SYNONYMS:
        SearchSynonym.objects.get_or_create(words=words, defaults={"note": note})


def analyse_vocabulary(apps, schema_editor):
    from services.search.vocabulary import analyse_all_pending_words

    analyse_all_pending_words()


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0007_link_check'),
        ('services', '0005_ptv_import'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchExclusion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=60, unique=True, verbose_name='search word')),
                ('excluded', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=60), help_text='Separate the words with commas.', size=None, verbose_name='words it must not find')),
            ],
            options={
                'verbose_name': 'search exclusion',
                'verbose_name_plural': 'search exclusions',
                'ordering': ['word'],
            },
        ),
        migrations.CreateModel(
            name='SearchSynonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('words', models.TextField(help_text='Two or more words or phrases meaning the same thing, separated by commas, e.g. “perheneuvola, kasvatus- ja perheneuvonta”. A search for one of the single words also finds the others.', verbose_name='words')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
            ],
            options={
                'verbose_name': 'search synonym',
                'verbose_name_plural': 'search synonyms',
                'ordering': ['words'],
            },
        ),
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('word', models.TextField(db_collation='C', primary_key=True, serialize=False)),
                ('folded', models.TextField()),
                ('lemmas', django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), blank=True, default=list, size=None)),
                ('heads', django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), blank=True, default=list, size=None)),
                ('parts', django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), blank=True, default=list, size=None)),
                ('inflected', models.BooleanField(default=False)),
                ('analysed_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'search word',
                'verbose_name_plural': 'search words',
            },
        ),
        migrations.RemoveIndex(
            model_name='service',
            name='service_search_vector_fi_idx',
        ),
        migrations.RemoveIndex(
            model_name='service',
            name='service_search_vector_sv_idx',
        ),
        migrations.RemoveIndex(
            model_name='service',
            name='service_search_vector_en_idx',
        ),
        migrations.RemoveIndex(
            model_name='service',
            name='service_search_text_trgm_idx',
        ),
        migrations.RemoveField(
            model_name='service',
            name='search_text',
        ),
        migrations.RemoveField(
            model_name='service',
            name='search_vector_en',
        ),
        migrations.RemoveField(
            model_name='service',
            name='search_vector_fi',
        ),
        migrations.RemoveField(
            model_name='service',
            name='search_vector_sv',
        ),
        migrations.AddField(
            model_name='service',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='service',
            name='search_heading',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='service',
            name='sort_name_en',
            field=models.TextField(db_collation='C', default='', editable=False),
        ),
        migrations.AddField(
            model_name='service',
            name='sort_name_fi',
            field=models.TextField(db_collation='C', default='', editable=False),
        ),
        migrations.AddField(
            model_name='service',
            name='sort_name_sv',
            field=models.TextField(db_collation='C', default='', editable=False),
        ),
        migrations.AddIndex(
            model_name='service',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_document'], name='service_search_document_idx'),
        ),
        migrations.AddIndex(
            model_name='service',
            index=models.Index(fields=['sort_name_fi'], name='service_sort_name_fi_idx'),
        ),
        migrations.AddIndex(
            model_name='service',
            index=models.Index(fields=['sort_name_sv'], name='service_sort_name_sv_idx'),
        ),
        migrations.AddIndex(
            model_name='service',
            index=models.Index(fields=['sort_name_en'], name='service_sort_name_en_idx'),
        ),
        migrations.AddIndex(
            model_name='searchword',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(models.F('folded'), name='gin_trgm_ops'), name='searchword_folded_trgm_idx'),
        ),
        migrations.AddIndex(
            model_name='searchword',
            index=django.contrib.postgres.indexes.GinIndex(fields=['lemmas'], name='searchword_lemmas_idx'),
        ),
        migrations.AddIndex(
            model_name='searchword',
            index=django.contrib.postgres.indexes.GinIndex(fields=['heads'], name='searchword_heads_idx'),
        ),
        migrations.AddIndex(
            model_name='searchword',
            index=django.contrib.postgres.indexes.GinIndex(fields=['parts'], name='searchword_parts_idx'),
        ),
        migrations.AddIndex(
            model_name='searchword',
            index=models.Index(condition=models.Q(('analysed_at__isnull', True)), fields=['word'], name='searchword_pending_idx'),
        ),
        migrations.RunSQL(DOCUMENT_FUNCTION_SQL, previous_functions_sql()),
        migrations.RunPython(add_default_synonyms, migrations.RunPython.noop),
        migrations.RunPython(analyse_vocabulary, migrations.RunPython.noop, elidable=True),
    ]
