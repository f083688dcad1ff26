# Two commands matter: `make run` (demo site on http://127.0.0.1:8000) and `make test` (the whole suite).
# Both work on a fresh clone with nothing running and no variables set; a second run skips finished steps.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMPS := $(VENV)/.stamps
# make test passes these to pytest, e.g. `make test PYTEST_ARGS="tests/services -x"`.
PYTEST_ARGS ?=
# Tests run with DEBUG off, so settings need a key; an explicit SECRET_KEY in the environment wins.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-test-only-insecure-secret-key}
# The development server runs with DEBUG on (and so with the built-in development key) unless told otherwise.
RUN_ENV := DEBUG=$${DEBUG:-1}
ADMIN_EMAIL := admin@example.com

PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test bench install messages system-tools system-test-tools node-test-tools worker beat clean-stamps

run: install system-tools messages
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) ADMIN_EMAIL=$(ADMIN_EMAIL) ADMIN_PASSWORD="$$(cat $(STAMPS)/admin-password)" \
		$(BIN)/python manage.py shell --no-imports -c "$$DEMO_SETUP_PY"
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install system-test-tools node-test-tools messages
	$(TEST_ENV) $(BIN)/pytest -n 2 $(PYTEST_ARGS)

# Whole pages at 30 000 services under gunicorn and wrk (benchmarks/pages.py; README, Benchmarks), e.g.
# `make bench BENCH_ARGS="--rounds 1 --seconds 5"`. Uses DATABASE_URL's server, or the embedded one.
BENCH_ARGS ?=
bench: install messages
	$(call APT_INSTALL,$(BENCH_PACKAGES))
	$(BIN)/python benchmarks/pages.py $(BENCH_ARGS)

install: $(STAMPS)/installed $(STAMPS)/admin-password

messages: $(MO_FILES)

worker: install
	$(BIN)/celery -A perhekeskus worker --loglevel=INFO

beat: install
	$(BIN)/celery -A perhekeskus beat --loglevel=INFO --schedule=$(VENV)/celerybeat-schedule

clean-stamps:
	rm -rf $(STAMPS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime and dev dependencies in one virtualenv; reinstalled whenever pyproject.toml changes.
$(STAMPS)/installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check --quiet -e ".[dev]"
	mkdir -p $(STAMPS) && touch $@

# A random password for the development superuser, made once per clone and printed by `make run`.
$(STAMPS)/admin-password: | $(BIN)/python
	mkdir -p $(STAMPS)
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(12))" > $@

# msgfmt --check-format also catches broken placeholders; without gettext installed, polib compiles.
%.mo: %.po | $(STAMPS)/installed
	if command -v msgfmt >/dev/null; then msgfmt --check-format -o $@ $<; \
	else $(BIN)/python -c "import sys, polib; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])" $< $@; fi

# Debian packages, installed only when missing: Voikko (Finnish morphology for the search: libvoikko1 and its
# dictionary voikko-fi) for everything; Chromium for the browser tests, gettext for compilemessages and redis-server
# for the broker-failure tests (they start servers of their own on ports 16500-16549) for the tests; wrk (an HTTP
# load generator) for `make bench`, with Voikko so that the search measured is the real one.
RUN_PACKAGES := libvoikko1 voikko-fi
TEST_PACKAGES := $(RUN_PACKAGES) chromium gettext redis-server
BENCH_PACKAGES := $(RUN_PACKAGES) wrk
define APT_INSTALL
missing=""; for package in $(1); do \
	dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
done; \
if [ -n "$$missing" ]; then \
	sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
fi
endef

# The site runs without Voikko (search words then lose their Finnish base forms), so `make run` only warns.
system-tools:
	$(call APT_INSTALL,$(RUN_PACKAGES)) || echo "WARNING: could not install$$missing: Finnish search words lose their base forms." >&2

system-test-tools:
	$(call APT_INSTALL,$(TEST_PACKAGES))

node-test-tools:
	if [ -f package.json ]; then $(MAKE) --no-print-directory node_modules/.installed; fi

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

# Demo content and a superuser for `make run`; seed_demo only runs on an empty database.
define DEMO_SETUP_PY
import os
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management import call_command
from services.models import Service

if not Service.objects.exists():
    call_command("seed_demo")
email, password = os.environ["ADMIN_EMAIL"], os.environ["ADMIN_PASSWORD"]
user, _ = get_user_model().objects.get_or_create(username="admin", defaults={"email": email})
user.email, user.is_staff, user.is_superuser, user.is_active = email, True, True, True
user.set_password(password)
user.save()
EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
print()
print("Admin:    http://127.0.0.1:8000/fi/admin/  (Swedish: /sv/admin/)")
print(f"Sign in:  e-mail {email}")
print(f"Password: {password}")
if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
    print("Code:     from the authenticator app you activated for this admin (or one of its recovery codes).")
    print("          Lost it? DEBUG=1 $(BIN)/python manage.py shell -c \\")
    print("            \"from allauth.mfa.models import Authenticator as A; A.objects.filter(user__username='admin').delete()\"")
else:
    print("Staff must use two-factor authentication. On the first sign-in the site shows a QR code: scan it")
    print("with an authenticator app (FreeOTP, Google or Microsoft Authenticator, a password manager, ...),")
    print("type the 6-digit code, and keep the recovery codes it then shows.")
print()
endef
export DEMO_SETUP_PY
