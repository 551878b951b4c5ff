"""Settings shared by every environment.

Environment-specific modules (dev, test, production) import everything from here and
override only what differs. Secrets and anything that changes between deployments are
read from environment variables; `.env.example` lists them all.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _
from wagtail.embeds.oembed_providers import vimeo, youtube

from .storages import storages_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first so that their templates win over the packages' defaults.
    "accounts",
    "home",
    "modules",
    "assessments",
    "cohorts",
    "learning_sets",
    "notifications",
    "core",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps_wagtailusers.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # The task queue that production's workers (`manage.py db_worker`) run
    "django_tasks_db",
    # NHS.UK design system for the public site
    "wagtailnhsukfrontend",
    # Accounts: email login, verification, MFA and session management
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # Health checks for load balancers and monitoring (/health/)
    "health_check",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.humanize",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
]

MIDDLEWARE = [
    # First: the load balancer's probes are answered before host validation and the HTTPS
    # redirect (see core/health.py).
    "core.health.HealthProbeMiddleware",
    # Next, so that every line logged for a request carries its id (core/logs.py).
    "core.logs.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above BadInputMiddleware, so that its 400 page carries the security headers too.
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    # Before anything reads the input: NUL bytes and impossible query strings get a 400,
    # text that is not UTF-8 a field error (see core.middleware and core.unreadable).
    "core.middleware.BadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.AdminForStaffMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "lms.wsgi.application"

# Database: SQLite by default, PostgreSQL (or anything dj-database-url reads) through
# DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction begins and wait up to 20 seconds for
    # it, so two requests writing at once queue up instead of failing "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory unless REDIS_URL points at a Redis server.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (emails, certificates and their regeneration, large exports, Wagtail's
# search and reference indexes) uses Django's tasks API through the django-tasks package.
# Here, in development and in tests, the immediate backend runs each task at once (after
# the transaction commits); production queues them in the database for `db_worker`
# (django-tasks-db). TASKS_BACKEND overrides either.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# Health (/health/): the task queue counts as failing when more tasks than this are ready
# to run, or when the oldest of them has waited longer than this. /health/detail/ shows
# each check to site admins, and to a monitor sending "Authorization: Bearer <token>".
HEALTH_TASK_BACKLOG_MAX = int(os.environ.get("HEALTH_TASK_BACKLOG_MAX", "1000"))
HEALTH_TASK_AGE_MAX_SECONDS = int(os.environ.get("HEALTH_TASK_AGE_MAX_SECONDS", "600"))
HEALTH_CHECK_TOKEN = os.environ.get("HEALTH_CHECK_TOKEN", "")

# Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/learn/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "add_email": "accounts.forms.AddEmailForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Tell people when their password, email addresses or two-step sign-in change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Confirming "it's you" before a sensitive change takes the password or the authenticator
# app, never only an emailed code: whoever reads someone's email must not be able to turn
# off their second factor.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
# allauth's own rate limits (login failures, sign-ups, password resets) stay on with
# their defaults; they use the cache configured above.
# They count per client address. Behind reverse proxies (nginx, a load balancer) set this
# to how many proxies you run in front of the site, so that allauth reads the client's
# address from X-Forwarded-For (counting from the right, past the entries your own proxies
# added) rather than counting every sign-in against the proxy's address. 0, the default,
# is for a site reached directly: X-Forwarded-For is then ignored, as anyone can forge it.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ALLAUTH_TRUSTED_PROXY_COUNT", "0"))

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {
    "authenticate": "accounts.forms.MFAAuthenticateForm",
    "reauthenticate": "accounts.forms.MFAReauthenticateForm",
    "activate_totp": "accounts.forms.ActivateTOTPForm",
}
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Leading Together")
# Recording "last seen" would write to the database on every request; the session list
# shows when and where each session began instead.
USERSESSIONS_TRACK_ACTIVITY = False

# Staff roles (editors, approvers, leads, site admins) must set up an authenticator
# before they reach the Wagtail admin when this is on.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", default=True)

# The smallest group whose aggregate answers a programme lead may see.
MIN_GROUP_SIZE = int(os.environ.get("MIN_GROUP_SIZE", "3"))

# Cohorts with more members than this are exported by a background task; smaller ones
# download at once.
COHORT_EXPORT_BACKGROUND_THRESHOLD = int(
    os.environ.get("COHORT_EXPORT_BACKGROUND_THRESHOLD", "500")
)
# Exports built in the background are deleted this many days after they are ready
# (`manage.py cohort_exports_expire`, run on a schedule).
COHORT_EXPORT_RETENTION_DAYS = int(os.environ.get("COHORT_EXPORT_RETENTION_DAYS", "7"))
# A person's data download (everything the site holds about them) is deleted this many
# days after it is ready (`manage.py data_exports_expire`, run on a schedule).
DATA_EXPORT_RETENTION_DAYS = int(os.environ.get("DATA_EXPORT_RETENTION_DAYS", "7"))
# An invitation to a cohort can be accepted for this many days after it is sent.
COHORT_INVITATION_DAYS = int(os.environ.get("COHORT_INVITATION_DAYS", "30"))
# Retention: an account nobody has signed in to for this many days is erased (through
# `accounts.services.account_erase`), after a warning email sent this many days before
# (`manage.py accounts_retention`, run daily). Signing in cancels the warning. Staff
# accounts are reported to site admins in Settings › Data requests instead.
ACCOUNT_RETENTION_DAYS = int(os.environ.get("ACCOUNT_RETENTION_DAYS", str(3 * 365)))
ACCOUNT_RETENTION_WARNING_DAYS = int(os.environ.get("ACCOUNT_RETENTION_WARNING_DAYS", "30"))

# Email ------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Leading Together <noreply@example.org>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# What the email task sends with. Production sets EMAIL_BACKEND to `core.mail`'s queueing
# backend, so that every email (Wagtail's moderation notices too) leaves the request, and
# this to the real SMTP backend. Unset, the task sends with EMAIL_BACKEND.
EMAIL_DELIVERY_BACKEND = os.environ.get("EMAIL_DELIVERY_BACKEND", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 10

# Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static and media files ---------------------------------------------------------------
STATIC_URL = "/static/"
# collectstatic writes here (at build or release time); WhiteNoise serves it.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "lms" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files holding personal data (exports, data downloads) go to the "private" storage: never
# under MEDIA_ROOT, never published by a web server, readable only by the site's own user.
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", BASE_DIR / "private"))
# Without AWS_STORAGE_BUCKET_NAME both are on the local disk; with it, public media go to
# that S3 bucket and private files to AWS_PRIVATE_STORAGE_BUCKET_NAME (or the bucket's
# `private/` prefix). See lms/settings/storages.py.
STORAGES = storages_from_env(os.environ, private_root=PRIVATE_ROOT)
# Wagtail documents are always streamed through Wagtail's own view, which applies
# collection privacy (documents visible only to signed-in people) and the document serve
# hooks. "redirect" (Wagtail's default for remote storage) and "direct" would hand the
# browser the bucket's URL, which bypasses both and outlives the check.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Wagtail ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Leading Together"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
# Passwords are managed by allauth (with its rate limits, MFA and verification), not by
# Wagtail's own forms.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Lessons embed videos from YouTube and Vimeo only: the Content-Security-Policy below lets
# frames from those two hosts in and nothing else, so an editor who pastes another kind of
# link is told at once that it cannot be embedded, rather than publishing a blocked frame.
# core.embeds asks for YouTube's no-cookie player and Vimeo's do-not-track one, so that
# opening a lesson sets no third-party cookie (see the cookie statement).
WAGTAILEMBEDS_FINDERS = [
    {"class": "core.embeds", "providers": [youtube, vimeo]},
]
# Avatars are Wagtail's own initials, not Gravatar's: no staff email hashes go to a third
# party, and the admin's policy needs no image host beyond our own.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Security defaults that hold everywhere; production tightens transport settings.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "home.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


# Content-Security-Policy (django-csp) ---------------------------------------------------
def media_origins(environ) -> list[str]:
    """Where public media (Wagtail images) is served from when it lives in S3.

    `AWS_S3_CUSTOM_DOMAIN` (a CDN or the bucket's own domain) wins; otherwise an
    S3-compatible service's `AWS_S3_ENDPOINT_URL` (path-style, or the bucket's sub-domain
    with `AWS_S3_ADDRESSING_STYLE=virtual`); otherwise Amazon's own bucket host. Nothing
    without a bucket: media is then served by the site itself.
    """
    protocol = environ.get("AWS_S3_URL_PROTOCOL", "https:").rstrip(":")
    custom_domain = environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip().strip("/")
    if custom_domain:
        return [f"{protocol}://{custom_domain.split('/')[0]}"]
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return []
    endpoint = environ.get("AWS_S3_ENDPOINT_URL", "").strip()
    if endpoint:
        parts = urlsplit(endpoint)
        if environ.get("AWS_S3_ADDRESSING_STYLE", "") == "virtual":
            return [f"{parts.scheme}://{bucket}.{parts.netloc}"]
        return [f"{parts.scheme}://{parts.netloc}"]
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    region = environ.get("AWS_S3_REGION_NAME", "").strip()
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins


MEDIA_ORIGINS = media_origins(os.environ)
# The hosts whose players lessons may frame (see WAGTAILEMBEDS_FINDERS).
VIDEO_ORIGINS = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]

# The public site, learners' pages and leads' public pages: our own files only. No inline
# script or style: scripts live in lms/static/lms/js and any that must be inline carries
# `nonce="{{ request.csp_nonce }}"`; styles live in lms/static/lms/css/site.css (bars and
# charts are drawn with SVG attributes, not style attributes). `data:` images are the QR
# code on the authenticator set-up page.
PUBLIC_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF],
    "img-src": [SELF, "data:", *MEDIA_ORIGINS],
    # The NHS.UK stylesheet declares its Frutiger faces on assets.nhs.uk, and browsers
    # still fetch them (Chromium does, seen in the browser test) although site.css sets
    # Arial on the page.
    "font-src": [SELF, "https://assets.nhs.uk"],
    "connect-src": [SELF],
    "frame-src": VIDEO_ORIGINS,
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
# Wagtail's admin writes inline scripts (InlinePanel, choosers, date pickers) and inline
# styles, so it needs 'unsafe-inline' for both; no 'unsafe-eval', no other hosts. It frames
# its own previews (hence frame-ancestors 'self') and shows image uploads as blob: URLs.
# A nonce would make browsers ignore 'unsafe-inline', so the admin's policy has none.
ADMIN_CSP_DIRECTIVES = {
    **PUBLIC_CSP_DIRECTIVES,
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", *MEDIA_ORIGINS],
    "frame-src": [SELF, *VIDEO_ORIGINS],
    "frame-ancestors": [SELF],
    # Wagtail tells site admins when a new release is out by fetching this one file.
    "connect-src": [SELF, "https://releases.wagtail.org"],
}
_csp_report_uri = os.environ.get("CSP_REPORT_URI", "").strip()
if _csp_report_uri:
    PUBLIC_CSP_DIRECTIVES["report-uri"] = [_csp_report_uri]
    ADMIN_CSP_DIRECTIVES["report-uri"] = [_csp_report_uri]
# `CSP_REPORT_ONLY=1` sends the same policies as Content-Security-Policy-Report-Only: the
# browser reports what it would block (to CSP_REPORT_URI, if set) and blocks nothing.
if env_bool("CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": PUBLIC_CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": PUBLIC_CSP_DIRECTIVES}
# Paths that get their own policy instead (core.middleware.ContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY_BY_PATH = {"/admin/": ADMIN_CSP_DIRECTIVES}

# Permissions-Policy (core.middleware.PermissionsPolicyMiddleware): powerful features no
# page of ours uses are off for every page and every frame in it. Left out on purpose:
# fullscreen, autoplay, encrypted-media and picture-in-picture, which the YouTube and
# Vimeo players ask for through their iframe's `allow` attribute.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Logging: every record goes to the root logger's one handler, once. Django's own default
# configuration gives the "django" logger a console handler of its own that also
# propagates to the root, which printed each of its lines twice; its handlers are
# replaced by none here. Production writes JSON lines (lms/settings/production.py).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logs.RequestIDFilter"}},
    "formatters": {
        "plain": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.logs.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}
