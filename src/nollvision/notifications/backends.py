"""The e-mail backend of production: every message the platform sends (notices, reminders,
invitations, password resets, consultations, meetings) is stored in the outbox, in the
transaction of the change that caused it, and sent later by `delivery.deliver_due` through the
real backend (`OUTBOX_DELIVERY_BACKEND`). Callers keep calling `send_mail`, inside
`core.mail_county.about_county` when the message is about one county's work: its coordinators
see it on their outbox page, and no other county's do."""

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from nollvision.core.mail_county import current_county
from nollvision.core.validators import one_line

from .models import OutboxMessage


def regions_of(addresses) -> set[int]:
    """The counties of the people with these addresses (through their roles): where a message
    about no one county (a password reset) is shown."""
    from nollvision.accounts.models import Membership

    lowered = {address.lower() for address in addresses}
    return set(
        Membership.objects.filter(user__email__in=sorted(lowered | set(addresses)))
        .exclude(organisation__region=None)
        .values_list("organisation__region_id", flat=True)
    )


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        stored = 0
        now = timezone.now()
        county = current_county()
        with transaction.atomic():
            for email in email_messages:
                recipients = list(email.recipients())
                if not recipients:
                    continue
                row = OutboxMessage.objects.create(
                    from_email=email.from_email,
                    recipients=recipients,
                    subject=one_line(str(email.subject))[:1000],
                    message=email.message().as_bytes(linesep="\n"),
                    next_attempt_at=now,
                )
                regions = {county} if county else regions_of(recipients)
                if regions:
                    row.regions.set(regions)
                stored += 1
        return stored
