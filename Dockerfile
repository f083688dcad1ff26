# Image for web, worker and beat (docker-compose.yml chooses the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libvoikko1 voikko-fi \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 perhekeskus

WORKDIR /app
# Dependencies first so that code changes reuse the cached layer.
COPY pyproject.toml README.md ./
RUN pip install .
COPY . .
# collectstatic and compilemessages need settings to load; the key is only used for this build step.
RUN SECRET_KEY=build-only DATABASE_URL=postgres://unused@localhost/unused python manage.py compilemessages \
    && SECRET_KEY=build-only DATABASE_URL=postgres://unused@localhost/unused python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown -R perhekeskus /app/media

USER perhekeskus
EXPOSE 8000
CMD ["gunicorn", "perhekeskus.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
