"""Production: everything that differs between deployments comes from the environment.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL. Recommended: REDIS_URL, EMAIL_HOST and
friends, WAGTAILADMIN_BASE_URL, CSRF_TRUSTED_ORIGINS. See .env.example.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, os

DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names).")

DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))

STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", default=True)

# Background work is queued in the database and run by `python manage.py db_worker`.
TASKS["default"]["BACKEND"] = os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")

# Every email is queued as a task and sent by the worker with the real backend.
EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)

STORAGES["staticfiles"] = {
    "BACKEND": "lms.storage.StaticFilesStorage",
}

# Transport security: the site is served over HTTPS only.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"

# Logs: one JSON object per line on standard error, each with its request's id, for the
# process manager or platform to collect. Every logger (Django's runserver lines too)
# reaches the root logger's one handler, so each line appears once.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING["root"]["level"] = LOG_LEVEL
LOGGING["handlers"]["console"]["formatter"] = "json"
LOGGING["loggers"] = {
    "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
    "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
}

# Error reporting, if SENTRY_DSN is set: exceptions and failed requests go to Sentry
# (or a Sentry-compatible service), without personal data (no cookies, users or bodies).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Static files are served by the application itself, compressed and cached for ever.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
