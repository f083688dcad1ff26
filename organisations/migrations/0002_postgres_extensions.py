from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm (typo-tolerant and compound-word search) and unaccent; the finnish/swedish
    text search configurations ship with PostgreSQL itself."""

    dependencies = [("organisations", "0001_initial")]

    operations = [TrigramExtension(), UnaccentExtension()]
