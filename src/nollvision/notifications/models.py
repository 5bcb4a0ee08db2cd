"""Notices (one per person and hand-off), each person's choice of how to hear of them, and the
outbox every e-mail of the platform goes through."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nollvision.core.fields import FreeTextField, GuardedJSONField, LineField

from .enums import Delivery, Kind, OutboxState


class Notice(models.Model):
    """A hand-off told to one person: shown under "Waiting for you" until read, and e-mailed at
    once, in the day's digest or not at all, as the person chose for its kind."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices)
    subject = LineField(_("subject"), max_length=400)
    text = FreeTextField(_("text"), blank=True)
    url = models.URLField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]

    def __str__(self) -> str:
        return self.subject

    @property
    def title(self) -> str:
        """The subject as the reader's language has it: what happened (the kind's headline,
        translated now), then what it is about as stored (county, plan, year, body: names)."""
        from .enums import HEADLINES

        _headline, separator, about = self.subject.partition(": ")
        headline = HEADLINES.get(self.kind)
        if headline is None or not separator:
            return self.subject
        return f"{headline}: {about}"

    @property
    def path(self) -> str:
        """The link within the site (the page needs no configured host)."""
        parts = urlsplit(self.url)
        return urlunsplit(("", "", parts.path, parts.query, parts.fragment))


class NoticePreference(models.Model):
    """How one person hears of one kind of notice (no row: by e-mail at once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    delivery = models.CharField(
        _("delivery"), max_length=20, choices=Delivery.choices, default=Delivery.AT_ONCE
    )

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()}: {self.get_delivery_display()}"


class OutboxMessage(models.Model):
    """An e-mail as it will be sent (the whole MIME message), stored in the transaction of the
    change that caused it and sent by `delivery.deliver_due`, retried with back-off."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    from_email = LineField(_("from"), max_length=400)
    recipients = GuardedJSONField(_("recipients"), default=list, multiline=False)
    subject = LineField(_("subject"), max_length=1000, blank=True)
    message = models.BinaryField(_("message"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = FreeTextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    regions = models.ManyToManyField(
        "accounts.Region",
        verbose_name=_("counties"),
        blank=True,
        related_name="+",
        help_text=_("The counties whose people it goes to (their coordinators see it)."),
    )

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    @property
    def state(self) -> str:
        if self.sent_at is not None:
            return OutboxState.SENT
        return OutboxState.FAILING if self.attempts else OutboxState.WAITING

    def get_state_display(self) -> str:
        return str(OutboxState(self.state).label)
