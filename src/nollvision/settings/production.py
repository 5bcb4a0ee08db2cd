"""Production settings: refuse to start without a secret, secure cookies, no debug."""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import DATA_DIR, MIDDLEWARE, env, env_bool, redis_caches

DEBUG = False
SECRET_KEY = env("SECRET_KEY") or ""
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "SECRET_KEY (or SECRET_KEY_FILE) must be set to at least 32 characters."
    )

# Static files are served by WhiteNoise in production (runserver serves them in development).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
NOLLVISION_REQUIRE_TWO_FACTOR = True
NOLLVISION_ALLOW_DEMO_DATA = False
# Every e-mail is stored in the outbox with the change that caused it and sent by the worker
# (`deliver_mail`, or the task queue's schedule) through OUTBOX_DELIVERY_BACKEND (SMTP), retried
# with back-off while the mail server is away.
OUTBOX_DELIVERY_BACKEND = env("OUTBOX_DELIVERY_BACKEND") or env(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_BACKEND = "nollvision.notifications.backends.OutboxBackend"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000") or 0)
# A support site must never be reached over plain HTTP, on any subdomain. Preload only marks the
# site as eligible; submitting the domain to browsers' lists is the operator's decision.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Source maps are for developers' tools only: not worth compressing at every deployment.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "tbz",
    "xz",
    "br",
    "swf",
    "flv",
    "woff",
    "woff2",
    "3gp",
    "3gpp",
    "asf",
    "avi",
    "m4v",
    "mov",
    "mp4",
    "mpeg",
    "mpg",
    "webm",
    "wmv",
    "map",
)
# Pages name static files by their hashed names only ({% static %} and the style sheets' own
# references are rewritten by the manifest): the unhashed copies would be served to no one, and
# compressing them doubled the time `collectstatic` takes at every deployment.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Shared by every worker process, so that a change seen by one process makes the cached public
# pages stale for all (core/public_cache.py) and the API's rate limit counts every request.
# Several application servers share Redis (REDIS_URL); one server may use a folder that all its
# processes can write (CACHE_LOCATION). Files (MEDIA_ROOT) must then be a folder every server
# sees, or object storage (docs/deploy.md).
if env("REDIS_URL"):
    CACHES = redis_caches(env("REDIS_URL"))
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("CACHE_LOCATION") or str(DATA_DIR / "cache"),
        }
    }
