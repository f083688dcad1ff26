"""PostgreSQL features the search needs, on whichever server the suite runs (embedded locally, real in CI)."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def query(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_database__is_postgresql():
    assert connection.vendor == "postgresql"
    assert query("select version()")[0][0].startswith("PostgreSQL")


@pytest.mark.parametrize("config", ["finnish", "swedish"])
def test_text_search_configuration__exists(config):
    assert query("select cfgname from pg_ts_config where cfgname = %s", [config]) == [(config,)]


def matches(config: str, text: str, word: str) -> bool:
    sql = "select to_tsvector(%s::regconfig, %s) @@ to_tsquery(%s::regconfig, %s)"
    return query(sql, [config, text, config, word])[0][0]


def test_text_search_configuration__finnish_stems_inflected_words():
    # "neuvolassa" (at the clinic) and "neuvolaan" (to the clinic) must match a search for "neuvola".
    assert matches("finnish", "neuvolassa", "neuvola")
    assert matches("finnish", "neuvolaan", "neuvola")
    assert not matches("simple", "neuvolassa", "neuvola")


def test_text_search_configuration__swedish_stems_inflected_words():
    assert matches("swedish", "familjerna", "familj")
    assert not matches("simple", "familjerna", "familj")


@pytest.mark.parametrize("extension", ["pg_trgm", "unaccent"])
def test_extension__is_installed(extension):
    assert query("select extname from pg_extension where extname = %s", [extension]) == [(extension,)]


def test_extensions__work():
    assert query("select unaccent('Äitiysneuvola Åbo')") == [("Aitiysneuvola Abo",)]
    assert query("select similarity('lastenneuvola', 'lastenneuvla') > 0.5") == [(True,)]


EMBEDDED_VERSION = (
    "import django; django.setup(); from django.db import connection; "
    "c = connection.cursor(); c.execute('select version(), current_setting(%s)', ['data_directory']); "
    "print('|'.join(c.fetchone()))"
)


def embedded_env(pgdata):
    """A clean environment with no DATABASE_URL, so settings start the embedded server in *pgdata*."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "perhekeskus.settings",
        "ENV_FILE": os.devnull,
        "DEBUG": "1",
        "EMBEDDED_PGDATA": str(pgdata),
    }


@pytest.mark.embedded_db
def test_embedded_default__starts_postgresql_when_database_url_is_unset():
    # Not pytest's tmp_path: its base directory is private to this user, and the server runs as another.
    parent = Path(tempfile.mkdtemp(prefix="perhekeskus-embedded-"))
    pgdata = parent / "pgdata"
    env = embedded_env(pgdata)

    try:
        result = subprocess.run(
            [sys.executable, "-c", EMBEDDED_VERSION],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        shutil.rmtree(parent, ignore_errors=True)

    assert result.returncode == 0, result.stderr
    version, data_directory = result.stdout.strip().splitlines()[-1].split("|")
    assert version.startswith("PostgreSQL ")
    assert os.path.realpath(data_directory) == os.path.realpath(pgdata)


EMBEDDED_WAIT = (
    "import django, time; django.setup(); "
    "from django.db import connection; connection.ensure_connection(); "
    "print('ready', flush=True); time.sleep(60)"
)


@pytest.mark.embedded_db
def test_embedded_default__server_stops_when_the_last_process_is_terminated():
    parent = Path(tempfile.mkdtemp(prefix="perhekeskus-embedded-"))
    pgdata = parent / "pgdata"
    env = embedded_env(pgdata)
    process = subprocess.Popen(
        [sys.executable, "-c", EMBEDDED_WAIT],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "ready"
        assert (pgdata / "postmaster.pid").exists()
        # What `kill`, a process manager or an IDE's stop button sends; atexit must still stop the server.
        process.terminate()
        process.wait(timeout=30)
        assert not (pgdata / "postmaster.pid").exists()
    finally:
        if process.poll() is None:
            process.kill()
        shutil.rmtree(parent, ignore_errors=True)
