"""Swedish: Django's own Swedish formats, with the short forms people write (2026-02-15)."""

from django.conf.locale.sv.formats import *  # noqa: F403

SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
