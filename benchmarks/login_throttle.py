"""Measure the staff login throttle as production runs it: gunicorn with several workers and a shared cache.

    .venv/bin/python benchmarks/login_throttle.py --database-url postgres://postgres@127.0.0.1:5432/perhekeskus_bench \
        --cache-url redis://127.0.0.1:6379/5 [--workers 3] [--attempts 31] [--port 16310]

Migrates the given database, makes a staff user, starts gunicorn on 127.0.0.1 and sends wrong passwords for that
user through the admin's login address (which leads to allauth's login), one client, as fast as it answers. Prints
how many attempts the form judged (a "wrong password" answer), how many the rate limit refused (429 or the lockout
message) and whether the right password is then refused too. With a per-process cache (--cache-url
locmemcache://) each worker counts alone, which is what the deploy check perhekeskus.W003 prevents.
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
EMAIL = "throttle-bench@example.fi"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cache-url", required=True)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--attempts", type=int, default=31)
    parser.add_argument("--port", type=int, default=16310)
    args = parser.parse_args()

    password = secrets.token_urlsafe(16)
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        # Required with DEBUG off (perhekeskus.E001); the pages only show it.
        "FEEDBACK_EMAIL": "palaute@perhekeskus.fi",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        # Plain HTTP on loopback: no HTTPS redirect, cookies without the Secure flag (and so without __Host-).
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "ENV_FILE": "/dev/null",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="perhekeskus-static-"),
    }
    python = sys.executable
    manage = [python, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)  # noqa: S603
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)  # noqa: S603
    setup = (
        "from django.core.cache import cache; cache.clear();"
        "from allauth.account.models import EmailAddress;"
        "from django.contrib.auth import get_user_model;"
        f"u, _ = get_user_model().objects.get_or_create(username='throttle-bench', defaults={{'email': '{EMAIL}'}});"
        "u.is_staff = True; u.is_active = True;"
        f"u.set_password('{password}'); u.save();"
        f"EmailAddress.objects.update_or_create(user=u, email='{EMAIL}',"
        " defaults={'verified': True, 'primary': True})"
    )
    subprocess.run([*manage, "shell", "-c", setup], cwd=BASE_DIR, env=env, check=True)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn
        [
            str(Path(python).parent / "gunicorn"),
            "perhekeskus.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_until_up(base)
        results = [attempt(base, "wrong-" + secrets.token_hex(4)) for _ in range(args.attempts)]
        right = attempt(base, password)
    finally:
        server.terminate()
        server.wait(timeout=30)

    judged = results.count("wrong password")
    refused = len(results) - judged - results.count("other")
    print(f"gunicorn workers: {args.workers}, cache: {args.cache_url}")
    print(f"{args.attempts} wrong passwords: {judged} judged by the form, {refused} refused by the rate limit")
    print(f"  sequence: {' '.join({'wrong password': 'W', 'locked': 'L', '429': 'T'}.get(r, '?') for r in results)}")
    print(f"right password afterwards: {right}")


def wait_until_up(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def attempt(base: str, password: str) -> str:
    """One sign-in as a fresh browser would make it: open the admin, follow to the login form, post it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/fi/admin/login/?next=/fi/admin/", timeout=15) as response:
        form_url, html = response.geturl(), response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": EMAIL, "password": password}).encode()
    request = urllib.request.Request(form_url, data=data, headers={"Referer": form_url})  # noqa: S310
    try:
        with opener.open(request, timeout=15) as response:
            body, final = response.read().decode(), response.geturl()
    except urllib.error.HTTPError as error:
        return "429" if error.code == 429 else f"HTTP {error.code}"
    if "/accounts/login/" not in final:
        return f"signed in ({urllib.parse.urlsplit(final).path})"
    # allauth's own Finnish messages (the admin address is under /fi/).
    if "Liian monta virheellistä kirjautumisyritystä" in body:
        return "locked"
    if "Annettu sähköposti tai salasana ei ole oikein" in body:
        return "wrong password"
    return "other"


if __name__ == "__main__":
    main()
