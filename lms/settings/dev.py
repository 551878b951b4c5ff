"""Local development: the embedded SQLite database, emails printed to the console."""

from .base import *  # noqa: F403
from .base import env_bool, os

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-change-me")  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", *ALLOWED_HOSTS]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Off in development so that the demo log-ins work without an authenticator app.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", default=False)
