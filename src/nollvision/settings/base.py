"""Settings shared by every environment. Values come from environment variables.

A variable `NAME_FILE` may name a file holding the value of `NAME` (for secrets).
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The project folder: data and the development secret live here unless the environment says otherwise.
BASE_DIR = Path(os.environ.get("NOLLVISION_HOME", PACKAGE_DIR.parent.parent)).resolve()
DATA_DIR = Path(os.environ.get("NOLLVISION_DATA_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    """Read `name` from the environment, or from the file named by `name_FILE`."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "nollvision.core",
    "django.forms",  # the widgets' templates, for the site's form renderer
    "nollvision.accounts",
    "nollvision.plans",
    "nollvision.followup",
    "nollvision.reports",
    "nollvision.indicators",
    "nollvision.public",
    "nollvision.backoffice",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "ninja",
    "nollvision.support",
    "nollvision.meetings",
    "nollvision.notifications",
    "nollvision.api",
    "nollvision.jobs",
    "django_q",
    "nollvision.devtools",
]

# Every form renders the same way: labels above fields, help and errors in place (core/forms.py).
FORM_RENDERER = "nollvision.core.forms.FormRenderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "nollvision.core.middleware.NulCharacterMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nollvision.core.middleware.SessionIdleMiddleware",
    "nollvision.core.middleware.ReferrerPolicyMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "nollvision.accounts.middleware.TwoFactorRequiredMiddleware",
    "nollvision.accounts.middleware.BackOfficeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "nollvision.core.middleware.DatabaseUnavailableMiddleware",
    "nollvision.core.middleware.RefusedInputMiddleware",
    "nollvision.core.middleware.FormOnlyPageMiddleware",
]
# The largest form a person may send (texts, not files), in bytes: well above a whole answer
# form with every text at its limit; anything larger gets core/errors.py's page, which says so.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("DATA_UPLOAD_MAX_BYTES", str(8 * 1024 * 1024)) or 0)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Logging in through an organisation's own OpenID Connect provider (accounts/oidc.py).
    "nollvision.accounts.oidc.ProviderBackend",
]

ROOT_URLCONF = "nollvision.urls"
WSGI_APPLICATION = "nollvision.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nollvision.public.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'nollvision.sqlite3'}",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0") or 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # One writer at a time: a save takes the write lock when its transaction begins (so two
    # saves queue instead of failing half-way), waits up to 20 s for another one, and readers
    # never wait for a writer (write-ahead log). A longer wait ends in core/busy.html.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The server binds the parameters, and a query run five times on one connection is prepared
    # there (psycopg's prepare_threshold): the server parses and plans it once. Measured on the
    # suite's request-heavy tests: a tenth less time on PostgreSQL. Behind a connection pooler in
    # transaction mode that cannot keep prepared statements, set DATABASE_PREPARE_THRESHOLD=off.
    _threshold = (env("DATABASE_PREPARE_THRESHOLD") or "5").strip().lower()
    if _threshold not in {"off", "none"} and not (_threshold.isascii() and _threshold.isdigit()):
        raise ImproperlyConfigured(
            "DATABASE_PREPARE_THRESHOLD must be a whole number of runs, or off."
        )
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": None if _threshold in {"off", "none", "0"} else int(_threshold),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "public:home"

# Swedish first, English second.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
# Dates and numbers in each language's own form (formats/: English without US dates).
FORMAT_MODULE_PATH = ["nollvision.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or DATA_DIR / "static")
MEDIA_ROOT = Path(env("MEDIA_ROOT") or DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
# Sessions end after this long without activity (seconds); core.middleware extends them.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_SECONDS", "1800") or 1800)
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# Guessing passwords: lock a user name from an address after five failures, for one hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout page in the person's language, with the time to try again and the reset link.
AXES_LOCKOUT_CALLABLE = "nollvision.accounts.views.locked_out"
# Coordinators and administrators log in with a second factor (TOTP). See docs/privacy.md.
NOLLVISION_REQUIRE_TWO_FACTOR = env_bool("REQUIRE_TWO_FACTOR", True)
OTP_TOTP_ISSUER = "Nollvision"
# Nobody reads another user's TOTP secret or QR code in the admin: people enrol their own device.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "nollvision@localhost")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The outbox (notifications.backends.OutboxBackend) stores every message with the change that
# caused it; `deliver_mail` sends it through this backend, retrying with back-off.
OUTBOX_DELIVERY_BACKEND = env(
    "OUTBOX_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
OUTBOX_BACKOFF_SECONDS = int(env("OUTBOX_BACKOFF_SECONDS", "60") or 60)
OUTBOX_MAX_BACKOFF_SECONDS = int(env("OUTBOX_MAX_BACKOFF_SECONDS", "3600") or 3600)
# The site's address in e-mail links (notices, reminders): scheme and host, no path.
NOLLVISION_BASE_URL = env("BASE_URL", "http://localhost:8000")
# Demo users and follow-ups may only be created where this is on (never in production).
NOLLVISION_ALLOW_DEMO_DATA = False
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No page tells another site where its visitor came from (a support page in a referrer is
# itself sensitive).
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Everything comes from this host: no inline script or style, nothing from other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Small counts of people on public pages are hidden below this number (indicators; the
# follow-up counts bodies, not people).
NOLLVISION_SUPPRESS_BELOW = int(env("SUPPRESS_BELOW", "5") or 5)
# Public figures are cached; any change to a plan, a follow-up or an indicator clears them.
NOLLVISION_PUBLIC_CACHE_SECONDS = int(env("PUBLIC_CACHE_SECONDS", "3600") or 0)
# Meeting attachments: largest file accepted (bytes).
NOLLVISION_ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)) or 0)
# The domain in the identifiers of calendar events (iCalendar UID).
NOLLVISION_CALENDAR_DOMAIN = env("CALENDAR_DOMAIN", "nollvision.local")
# Requests per minute and address to the open data API.
NOLLVISION_API_RATE = env("API_RATE", "120/m")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "nollvision",
    }
}


def redis_caches(url: str) -> dict:
    """One cache every application server shares (Redis): the public pages and their
    generation, the API's rate limit, anything else kept in the cache."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "nollvision"),
        }
    }


if env("REDIS_URL"):
    CACHES = redis_caches(env("REDIS_URL"))

# Background work (publishing, archive packages, documents) runs in django-q2 workers
# (`nollvision qcluster`; `make run` starts one). The queue is the Django database itself (the
# ORM broker), so nothing else must run; production may put it on Redis (Q_BROKER=redis and
# REDIS_URL) and run several workers (Q_WORKERS). See docs/deploy.md and nollvision/jobs.
Q_CLUSTER = {
    "name": "nollvision",
    "workers": int(env("Q_WORKERS", "1") or 1),
    "recycle": 100,
    # A job may run this long (seconds) before its worker is stopped; a task no worker
    # acknowledged within `retry` (a worker killed mid-job) is given to another one.
    "timeout": int(env("Q_TIMEOUT", "600") or 600),
    "retry": int(env("Q_TIMEOUT", "600") or 600) + 120,
    "max_attempts": 2,
    "ack_failures": True,
    "catch_up": False,
    "poll": 0.3,
    "save_limit": 500,
    "label": _("Task queue"),
}
if env("Q_BROKER", "orm") == "redis" and env("REDIS_URL"):
    Q_CLUSTER["redis"] = env("REDIS_URL")
else:
    Q_CLUSTER["orm"] = "default"
# Regular work of the worker: {schedule name: (dotted function, every n minutes)}; a function
# whose module is not installed is skipped (jobs.services.periodic_tasks_sync, after migrate).
NOLLVISION_PERIODIC_TASKS = {
    "deliver-due-email": ("nollvision.notifications.delivery.deliver_due", 1),
}
# Run each job at once in the request that queued it (the test settings, for tests that are not
# about the worker); never in a running installation.
NOLLVISION_JOBS_INLINE = False
# How many PDFs a job lays out side by side in processes of their own (core/pdf.py): a
# publication has up to three (the report, its annex, the public annex). 1 lays them out one
# after another in the job's own process. Each process holds WeasyPrint (about 100 MB).
NOLLVISION_PDF_PROCESSES = int(env("PDF_PROCESSES", "3") or 1)

# Where "Leave this page quickly" goes: a neutral site that shows nothing personal.
NOLLVISION_QUICK_EXIT_URL = env("QUICK_EXIT_URL", "https://www.smhi.se/vader")

# Kolada's API (municipal and regional key figures); see docs and indicators/kolada.py.
NOLLVISION_KOLADA_URL = env("KOLADA_URL", "https://api.kolada.se/v3")

# The plan shown on the front page, and imported by `nollvision import_plan` with no file.
NOLLVISION_DEFAULT_PLAN = env("NOLLVISION_DEFAULT_PLAN", "vasternorrland-2022-2026")
NOLLVISION_DEFAULT_PLAN_FILE = PACKAGE_DIR / "plans" / "data" / "vasternorrland-2022-2026.yaml"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools report every layout step at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
