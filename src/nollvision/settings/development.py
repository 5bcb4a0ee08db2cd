"""Development settings: safe defaults so that `make run` works on a fresh machine."""

import secrets

from .base import *
from .base import DATA_DIR, env, env_bool

DEBUG = env_bool("DEBUG", True)


def _development_secret_key() -> str:
    """A secret generated once into an untracked file in the data folder."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env("SECRET_KEY") or _development_secret_key()
# As in production, e-mail goes through the outbox (the coordinator's page shows it); the
# worker `make run` starts delivers it to the terminal instead of an SMTP server.
EMAIL_BACKEND = "nollvision.notifications.backends.OutboxBackend"
OUTBOX_DELIVERY_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
NOLLVISION_ALLOW_DEMO_DATA = True
# Relaxed for trying the demo users; production always requires it (docs/privacy.md).
NOLLVISION_REQUIRE_TWO_FACTOR = env_bool("REQUIRE_TWO_FACTOR", False)
# `make run` runs the server and a background worker as two processes: they share the cache (a
# folder), so a report the worker publishes makes the server's cached public pages stale at once
# (core/public_cache.py), as in production.
if not env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("CACHE_LOCATION") or str(DATA_DIR / "cache"),
        }
    }
