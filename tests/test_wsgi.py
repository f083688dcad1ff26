"""The WSGI entry point gunicorn loads: the site's long-lived objects are frozen out of the garbage collector's way."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def test_loading_the_wsgi_application_freezes_what_it_loaded():
    script = (
        "import gc; before = gc.get_freeze_count()\n"
        "import perhekeskus.wsgi as w\n"
        "print(before, gc.get_freeze_count(), callable(w.application))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "perhekeskus.settings"}
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    before, frozen, app = done.stdout.split()
    assert (int(before), app) == (0, "True")
    assert int(frozen) > 50_000, frozen  # the modules, the views and the URL patterns, not a handful
