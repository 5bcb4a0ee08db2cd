"""Test settings: the database comes from DATABASE_URL (PostgreSQL) or is an in-memory SQLite."""

from .base import *
from .base import DATABASES, env

SECRET_KEY = "test-only-not-secret"  # noqa: S105 - used by the test suite only
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if not env("DATABASE_URL"):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
NOLLVISION_ALLOW_DEMO_DATA = True
# Tests of the second factor turn it on with override_settings.
NOLLVISION_REQUIRE_TWO_FACTOR = False
AXES_ENABLED = False
# Public pages are rendered afresh in tests; the cache's own tests turn it on.
NOLLVISION_PUBLIC_CACHE_SECONDS = 0
NOLLVISION_API_RATE = "100000/m"
# Background jobs run inline, in the request that queues them, for the tests that publish or
# build documents without being about the worker. The worker's own tests start a real
# `nollvision qcluster` process with development settings (test_jobs_worker.py).
NOLLVISION_JOBS_INLINE = True
# The suite's workers already use every core: PDFs are laid out in the test's own process.
# test_pdf_memo.py turns the pool on; the worker's tests (development settings) use it.
NOLLVISION_PDF_PROCESSES = 1
