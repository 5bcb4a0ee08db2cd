"""Reads of notices, preferences and the outbox."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from nollvision.accounts.models import Role
from nollvision.accounts.selectors import coordinated_region_ids

from .enums import Delivery, Kind, OutboxState
from .models import Notice, NoticePreference, OutboxMessage


def people_of(organisations, roles) -> list:
    """The active people holding one of `roles` at any of `organisations` (ids or objects)."""
    ids = [getattr(o, "pk", o) for o in organisations]
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation__in=ids,
            memberships__role__in=list(roles),
        )
        .distinct()
        .order_by("pk")
    )


def coordinators_of(region_id: int | None) -> list:
    """The active coordinators of a county (at the county board)."""
    if region_id is None:
        return []
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation__region_id=region_id,
            memberships__role=Role.COORDINATOR,
        )
        .distinct()
        .order_by("pk")
    )


def deliveries_of(users) -> dict[tuple[int, str], str]:
    """(user id, kind) -> delivery, for the choices people made (others: at once)."""
    return {
        (user_id, kind): delivery
        for user_id, kind, delivery in NoticePreference.objects.filter(
            user__in=[u.pk for u in users]
        ).values_list("user_id", "kind", "delivery")
    }


def preferences_of(user) -> dict[str, str]:
    """kind -> delivery for every kind, the default filled in."""
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, Delivery.AT_ONCE) for kind in Kind.values}


def unread_notices(user, limit: int = 20) -> list[Notice]:
    if not user.is_authenticated:
        return []
    return list(Notice.objects.filter(recipient=user, read_at__isnull=True)[:limit])


def notices_of(user, limit: int = 100) -> QuerySet[Notice]:
    return Notice.objects.filter(recipient=user)[:limit]


STATE_FILTERS = {
    OutboxState.SENT: {"sent_at__isnull": False},
    OutboxState.WAITING: {"sent_at__isnull": True, "attempts": 0},
    OutboxState.FAILING: {"sent_at__isnull": True, "attempts__gt": 0},
}


def outbox_visible_to(user, *, state: str = "") -> QuerySet[OutboxMessage]:
    """The e-mail to the people of the counties the user coordinates, newest first; `state`
    (sent, waiting, failing) narrows it."""
    ids = OutboxMessage.objects.filter(regions__in=coordinated_region_ids(user)).values("pk")
    rows = OutboxMessage.objects.filter(pk__in=ids).defer("message")
    if state in STATE_FILTERS:
        rows = rows.filter(**STATE_FILTERS[state])
    return rows.order_by("-created_at", "-pk")


def outbox_counts(user) -> dict[str, int]:
    """How many of the county's messages are sent, waiting and failing."""
    return {state: outbox_visible_to(user, state=state).count() for state in STATE_FILTERS}
