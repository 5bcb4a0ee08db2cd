"""The cache of public pages and figures.

Public pages are read far more often than anything changes. A rendered page is kept under a key
that includes a *generation* number; any save or delete of the data public pages show bumps the
generation, so every cached page is stale at once (old keys simply expire). Only visitors without
cookies (no session, no login) are served from the cache: they all see the same page.
"""

import functools
import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

GENERATION_KEY = "nollvision:public:generation"

# The models whose changes public pages show, as "app_label.ModelName".
WATCHED = (
    "plans.Plan",
    "plans.Goal",
    "plans.Measure",
    "plans.Term",
    "plans.Signatory",
    "plans.ResponsibilityDescription",
    "plans.Duty",
    "plans.CollaborationBody",
    "plans.SteeringDocument",
    "plans.PlanFigure",
    "plans.RetiredMeasure",
    "plans.Priority",
    "plans.Signing",
    "accounts.Organisation",
    "accounts.OrganisationKind",
    "followup.Campaign",
    "followup.Response",
    "followup.MeasureAnswer",
    "reports.PublishedReport",
    "indicators.Indicator",
    "indicators.IndicatorValue",
    "indicators.Population",
    "indicators.Area",
    "support.SupportService",
    "support.Situation",
    "support.Step",
    "meetings.Meeting",
    "meetings.AgendaItem",
    "meetings.Decision",
    "meetings.Action",
)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return value


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def invalidate(*args, **kwargs) -> None:
    """Make every cached public page stale (also a signal receiver): now, and again when the
    transaction commits, so that a page a visitor caches from the old data in between (adopting
    a plan version, say) does not outlive the change."""
    _bump()
    transaction.on_commit(_bump)


def connect_signals() -> None:
    for label in WATCHED:
        model = apps.get_model(label)
        uid = f"nollvision-public-cache-{label}"
        post_save.connect(invalidate, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=uid + "-delete")
        for m2m in model._meta.many_to_many:
            m2m_changed.connect(
                invalidate, sender=m2m.remote_field.through, dispatch_uid=f"{uid}-{m2m.name}"
            )


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.COOKIES
        and not request.user.is_authenticated
        and settings.NOLLVISION_PUBLIC_CACHE_SECONDS > 0
    )


def cached_page(view):
    """Serve a public view's response from the cache for visitors without cookies."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"nollvision:page:{generation()}:{request.LANGUAGE_CODE}:{path}"
        stored = cache.get(key)
        if stored is not None:
            status, content_type, content = stored
            return HttpResponse(content, status=status, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.cookies and not response.streaming:
            # A page that tells the time ("open now") says how long it stays true.
            seconds = settings.NOLLVISION_PUBLIC_CACHE_SECONDS
            valid_for = getattr(response, "public_cache_seconds", None)
            if valid_for is not None:
                seconds = min(seconds, valid_for)
            cache.set(
                key, (response.status_code, response["Content-Type"], response.content), seconds
            )
        return response

    return wrapper
