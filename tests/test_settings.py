"""Settings read from the environment: safe production defaults, deploy checks, languages, eager Celery."""

import json
import os
import re
import secrets
import subprocess
import sys

from django.conf import settings

from perhekeskus.celery import app as celery_app

ROOT = settings.BASE_DIR
# A database address that is never connected to: these subprocesses only load settings.
UNUSED_DATABASE_URL = "postgres://unused@127.0.0.1:9/unused"


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run *code* in a fresh interpreter with only PATH, HOME and *env* set (and no .env file read)."""
    clean_env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "perhekeskus.settings",
        "ENV_FILE": os.devnull,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean_env, capture_output=True, text=True, timeout=60
    )


def production_env() -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "perhekeskus.example.fi",
        "CSRF_TRUSTED_ORIGINS": "https://perhekeskus.example.fi",
        "DATABASE_URL": UNUSED_DATABASE_URL,
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.fi:587",
        "CACHE_URL": "redis://127.0.0.1:9/1",
        "FEEDBACK_EMAIL": "saavutettavuus@hyvinvointialue.fi",
        "SITE_URL": "https://perhekeskus.example.fi",
        "CONTACT_ENCRYPTION_KEYS": "x5U1PvrAxjYXn1V-nMbkpkyk1j7gUdTaCCi_NmSsQlw=",
    }


def test_settings__refuse_to_start_without_secret_key_when_debug_is_off():
    result = run_python("import django; django.setup()", DATABASE_URL=UNUSED_DATABASE_URL)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_settings__start_without_secret_key_in_debug_with_a_development_key():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)",
        DEBUG="1",
        DATABASE_URL=UNUSED_DATABASE_URL,
    )

    assert result.returncode == 0, result.stderr
    assert "insecure" in result.stdout


def test_check_deploy__passes_with_production_values():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "ENV_FILE": os.devnull, **production_env()},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    # No warnings or errors; at most the accessibility statement's yearly review reminder (Info, date-dependent).
    issues = re.findall(r"\((\w+\.\w+)\)", result.stdout + result.stderr)
    assert set(issues) <= {"perhekeskus.I001"}, result.stdout + result.stderr


def test_check_deploy__fails_with_debug_on():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "ENV_FILE": os.devnull, **production_env(), "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "security.W018" in result.stderr


def test_check_deploy__fails_with_the_development_defaults_for_mail_and_cache():
    env = {"PATH": os.environ["PATH"], "ENV_FILE": os.devnull, **production_env()}
    del env["EMAIL_URL"], env["CACHE_URL"]

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "(perhekeskus.W001) EMAIL_BACKEND is django.core.mail.backends.console.EmailBackend" in result.stderr
    assert "(perhekeskus.W003) The 'default' cache is django.core.cache.backends.locmem.LocMemCache" in result.stderr
    assert "perhekeskus.W002" not in result.stderr


def test_management_commands__refuse_to_run_without_a_feedback_address_when_debug_is_off():
    env = {"PATH": os.environ["PATH"], "ENV_FILE": os.devnull, **production_env()}
    del env["FEEDBACK_EMAIL"]

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode != 0
    assert "(perhekeskus.E001) FEEDBACK_EMAIL is 'palaute@perhekeskus.invalid' with DEBUG off" in result.stderr

    env["DEBUG"] = "1"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_languages__are_finnish_swedish_and_english_with_finnish_first():
    assert [code for code, _name in settings.LANGUAGES] == ["fi", "sv", "en"]
    assert settings.LANGUAGE_CODE == "fi"
    assert settings.TIME_ZONE == "Europe/Helsinki"
    assert settings.USE_TZ is True
    assert settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"] == ("fi", "sv")


CELERY_CONFIG = (
    "import json, django; django.setup(); from perhekeskus.celery import app; "
    "print(json.dumps({'eager': app.conf.task_always_eager, 'broker': app.conf.broker_url}))"
)


def test_celery__runs_tasks_eagerly_without_a_broker():
    result = run_python(CELERY_CONFIG, DEBUG="1", DATABASE_URL=UNUSED_DATABASE_URL)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {"eager": True, "broker": "memory://"}


def test_celery__uses_the_configured_broker():
    result = run_python(
        CELERY_CONFIG, DEBUG="1", DATABASE_URL=UNUSED_DATABASE_URL, CELERY_BROKER_URL="redis://127.0.0.1:6379/3"
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {"eager": False, "broker": "redis://127.0.0.1:6379/3"}


def test_celery__beat_schedule_names_registered_tasks():
    celery_app.loader.import_default_modules()

    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks


def declared_env_variables() -> list[str]:
    source = (ROOT / "perhekeskus" / "settings.py").read_text()
    block = re.search(r"^env = environ\.Env\((.*?)^\)", source, re.MULTILINE | re.DOTALL).group(1)
    return re.findall(r"^\s+([A-Z][A-Z0-9_]*)=", block, re.MULTILINE)


def test_env_example__documents_every_declared_variable_with_a_comment():
    lines = (ROOT / ".env.example").read_text().splitlines()
    names = declared_env_variables()
    assert {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "DEBUG", "EMAIL_URL"} <= set(names)

    for name in names:
        index = next((i for i, line in enumerate(lines) if line.lstrip("# ").startswith(f"{name}=")), None)
        assert index is not None, f"{name} is missing from .env.example"
        assert lines[index - 1].startswith("# ") and "=" not in lines[index - 1].split()[1], name


def test_docker_compose__passes_every_declared_variable_to_the_django_services():
    compose = (ROOT / "docker-compose.yml").read_text()

    for name in declared_env_variables():
        if name != "EMBEDDED_PGDATA":  # compose always sets DATABASE_URL
            assert re.search(rf"^\s+{name}: ", compose, re.MULTILINE), name
