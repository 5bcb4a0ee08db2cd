"""Sending what waits in the outbox (`deliver_due`, run by `nollvision deliver_mail` and by the
task queue's schedule): each due message through the real backend (`OUTBOX_DELIVERY_BACKEND`),
marked sent in the same transaction; a refused or failed attempt is recorded with its error and
tried again later, waiting twice as long each time (at most `OUTBOX_MAX_BACKOFF_SECONDS`)."""

import contextlib
import email
import logging
from datetime import datetime, timedelta
from email.generator import BytesGenerator
from io import BytesIO

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

BATCH = 50


class _Parsed:
    """A stored MIME message, written out as Django's backends ask (`as_bytes(linesep=...)`)."""

    def __init__(self, raw: bytes):
        self._message = email.message_from_bytes(raw)

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        out = BytesIO()
        BytesGenerator(out, mangle_from_=False).flatten(
            self._message, unixfrom=unixfrom, linesep=linesep
        )
        return out.getvalue()

    def __getattr__(self, name):
        return getattr(self._message, name)


class StoredEmail(EmailMessage):
    """An outbox row as an `EmailMessage` for the real backend: its envelope and its MIME text
    exactly as stored."""

    def __init__(self, row: OutboxMessage):
        super().__init__(subject=row.subject, from_email=row.from_email, to=list(row.recipients))
        self._raw = bytes(row.message)

    def recipients(self) -> list[str]:
        return list(self.to)

    def message(self, *args, **kwargs):
        return _Parsed(self._raw)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes, capped."""
    base = getattr(settings, "OUTBOX_BACKOFF_SECONDS", 60)
    cap = getattr(settings, "OUTBOX_MAX_BACKOFF_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _due_ids(now: datetime) -> list[int]:
    return list(
        OutboxMessage.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )


def _claim(pk: int, now: datetime) -> OutboxMessage | None:
    """The row, locked for this worker's transaction, if it is still due and no other worker
    holds it (PostgreSQL's SKIP LOCKED; SQLite has one writer at a time anyway)."""
    rows = OutboxMessage.objects.filter(pk=pk, sent_at__isnull=True, next_attempt_at__lte=now)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return rows.first()


def deliver_due(*, now: datetime | None = None) -> dict[str, int]:
    """Send the due messages, each in a transaction of its own that marks it sent; a failure is
    recorded on the message. {"sent": n, "failed": n}."""
    result = {"sent": 0, "failed": 0}
    now = now or timezone.now()
    due = _due_ids(now)
    if not due:
        return result
    backend = getattr(
        settings, "OUTBOX_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
    )
    real = get_connection(backend, fail_silently=False)
    try:
        real.open()
    except Exception as error:  # any failure to reach the server is recorded on each message
        for pk in due:
            with transaction.atomic():
                row = _claim(pk, now)
                if row is not None:
                    _failed(row, error, now)
                    result["failed"] += 1
        return result
    try:
        for pk in due:
            with transaction.atomic():
                row = _claim(pk, now)
                if row is None:  # sent or taken by another worker meanwhile
                    continue
                try:
                    if not real.send_messages([StoredEmail(row)]):
                        raise RuntimeError("the backend did not accept the message")
                except Exception as error:  # recorded and tried again later
                    _failed(row, error, now)
                    result["failed"] += 1
                    continue
                row.attempts += 1
                row.last_attempt_at = now
                row.sent_at = timezone.now()
                row.last_error = ""
                row.save(update_fields=["attempts", "last_attempt_at", "sent_at", "last_error"])
                result["sent"] += 1
    finally:
        # The messages are sent or recorded already; a failing goodbye changes nothing.
        with contextlib.suppress(Exception):
            real.close()
    return result


def _failed(row: OutboxMessage, error: Exception, now: datetime) -> None:
    row.attempts += 1
    row.last_attempt_at = now
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.next_attempt_at = now + backoff(row.attempts)
    row.save(update_fields=["attempts", "last_attempt_at", "last_error", "next_attempt_at"])
    logger.warning("E-mail %s not sent (attempt %d): %s", row.pk, row.attempts, row.last_error)
