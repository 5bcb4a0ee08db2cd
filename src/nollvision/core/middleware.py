import logging
import time

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

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


# Where forms are posted: browsers send "Origin: null" with a form posted from a page whose
# policy is no-referrer, and Django's CSRF check rightly refuses that.
FORM_AREAS = ("/konto/", "/arbete/", "/admin/")


class ReferrerPolicyMiddleware:
    """Public pages send no referrer at all (SECURE_REFERRER_POLICY, no-referrer): a support page
    in another site's logs is itself sensitive. Pages with posted forms (logging in, the back
    office, administration, anything a logged-in user sees) send it to this site only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Referrer-Policy" in response.headers:  # the view decided
            return response
        path = request.path_info
        for code, _name in settings.LANGUAGES:
            if path.startswith(f"/{code}/"):
                path = path[len(code) + 1 :]
        user = getattr(request, "user", None)
        if path.startswith(FORM_AREAS) or (user is not None and user.is_authenticated):
            response.headers["Referrer-Policy"] = "same-origin"
        return response


class DatabaseUnavailableMiddleware:
    """When the database goes away in the middle of a request, the person gets a clear page
    (503, try again) instead of a server error. Every write runs in a transaction, so nothing of
    it was kept; the page says so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError, connection
        from django.template.response import TemplateResponse

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if connection.vendor == "sqlite" and any(m in str(exception) for m in SQLITE_LOCKED):
            return self._busy(request)
        logging.getLogger("nollvision.database").error(
            "Database unavailable during %s %s: %s", request.method, request.path, exception
        )
        connection.close_if_unusable_or_obsolete()
        response = TemplateResponse(
            request,
            "core/database_unavailable.html",
            {"posted": request.method == "POST"},
            status=503,
        )
        response["Retry-After"] = "30"
        return response.render()

    @staticmethod
    def _busy(request):
        """SQLite holds one writer at a time; a save that waited longer than the busy timeout
        for another one gets this page (409), which keeps what was sent and sends it again
        with one press, never a 503. Files and passwords are not kept: the page says so."""
        from django.template.response import TemplateResponse

        logging.getLogger("nollvision.database").warning(
            "SQLite busy during %s %s", request.method, request.path
        )
        posted = request.method == "POST"
        session = getattr(request, "session", None)
        if session is not None:
            # Nothing is written on this answer (the idle touch waits for the next request):
            # a write would wait for the same lock.
            session.modified = False
        fields = [
            (name, value)
            for name, values in (request.POST.lists() if posted else ())
            for value in values
            if name != "csrfmiddlewaretoken"
        ]
        passwords = any("password" in name for name, _value in fields)
        response = TemplateResponse(
            request,
            "core/busy.html",
            {
                "posted": posted,
                "fields": fields,
                "files": posted and bool(request.FILES),
                "passwords": passwords,
                "action": request.get_full_path(),
                # The token this request came with (it passed): asking for a new one would write
                # the session, which waits for the same lock.
                "token": request.POST.get("csrfmiddlewaretoken", "") if posted else "",
            },
            status=409,
        )
        return response.render()


# SQLite's words when another connection holds the write lock past the busy timeout (a file
# database), or at once (the shared in-memory database of the tests).
SQLITE_LOCKED = ("database is locked", "database table is locked")


class NulCharacterMiddleware:
    """Turn away (400) a request whose address, query string or posted form holds a NUL
    character before any view passes it to the database: PostgreSQL refuses NUL in every string,
    so it would end in a server error, and no real link or form ever sends one. The API
    validates its own parameters and answers in its documented way (404, 422)."""

    @staticmethod
    def _nul_in_form(request) -> bool:
        # A form over the size limit raises here; Django's handler400 (core/errors.py) answers.
        posted = request.POST
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in posted.lists()
        )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and (
            "\x00" in request.path
            or any("\x00" in key or "\x00" in value for key, value in request.GET.items())
            or (request.method == "POST" and self._nul_in_form(request))
        ):
            return HttpResponseBadRequest(
                _("The address or the form holds a character that is not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class RefusedInputMiddleware:
    """A last line of defence: text that a model's guards refuse (a `ValidationError` that no
    form caught first) gives a 400 page saying why, never a server error, and the refused text
    is not logged as an error report. Forms show the same messages where they were typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import ValidationError

        if not isinstance(exception, ValidationError):
            return None
        from .errors import refused

        return refused(request, exception)


class FormOnlyPageMiddleware:
    """Django answers a GET on a view that only takes POST with an empty 405. Reloading a
    confirmation, the Back button and the language switch all do that: here the empty 405
    becomes a page in the site's frame that says nothing happened and where to go
    (core/errors.form_only). The API keeps its own answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.method in ("GET", "HEAD")
            and not request.path.startswith("/api/")
            and not response.content
        ):
            from .errors import form_only

            return form_only(request, response)
        return response
