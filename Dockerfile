# The site's image: one image for every process of the Procfile (web, worker, release,
# clock); compose.yaml and a platform choose the command. Not built or tested here (no
# container engine on the development machine); tests/test_deploy_files.py checks that it
# runs exactly the Procfile's commands. See docs/deploy.md.
FROM python:3.11-slim-bookworm

# The site runs as this user, never as root.
RUN useradd --create-home --home-dir /home/lms --uid 1000 lms

# gunicorn listens on $PORT (gunicorn.conf.py).
EXPOSE 8000

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000 \
    DJANGO_SETTINGS_MODULE=lms.settings.production \
    MEDIA_ROOT=/var/lib/leading-together/media \
    PRIVATE_ROOT=/var/lib/leading-together/private

# The PostgreSQL client for scripts/backup and scripts/restore (psycopg[binary] brings
# its own libpq, so nothing needs compiling).
RUN apt-get update --yes --quiet \
    && apt-get install --yes --quiet --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The project and its dependencies from pyproject.toml (not the test extra).
COPY --chown=lms:lms . .
RUN pip install --no-cache-dir .
# PYTHONDONTWRITEBYTECODE keeps processes from writing into the image at run time, so
# compile the project's own modules now: pip compiled the installed packages, but the
# processes import the project from /app, and would otherwise compile it at every start.
RUN python -m compileall -q /app
# The site's user writes STATIC_ROOT (/app/static) in collectstatic, at build and release.
RUN chown lms:lms /app

# Media and private files live on volumes mounted here (or in S3); the private folder is
# readable by the site's user only and is never published by a web server.
RUN install --directory --owner=lms --group=lms --mode=0755 /var/lib/leading-together/media \
    && install --directory --owner=lms --group=lms --mode=0700 /var/lib/leading-together/private

USER lms

# Static files are collected into the image (hashed and compressed, served by WhiteNoise).
# Production settings insist on a secret key and allowed hosts: these dummies exist only
# for this step and are not kept in the image.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# The Procfile's web process. Run the release command (migrate, then collectstatic) once
# per deploy before starting new web processes: compose.yaml's `release` service does.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "lms.wsgi:application"]
