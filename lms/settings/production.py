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

LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")

# Static files are served by the application itself, compressed and cached for ever.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
