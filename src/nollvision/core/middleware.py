import time

from django.conf import settings

TOUCH_EVERY_SECONDS = 60


class SessionIdleMiddleware:
    """Sessions expire after SESSION_COOKIE_AGE seconds without activity.

    Instead of writing the session on every request, it is touched at most once a minute, which
    keeps pages' query counts low and expiry within a minute of the idle limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get("nollvision:seen", 0) >= TOUCH_EVERY_SECONDS:
                session["nollvision:seen"] = now
                session.set_expiry(settings.SESSION_COOKIE_AGE)
        return self.get_response(request)
