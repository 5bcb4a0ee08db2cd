"""Pages for refused requests, in the person's language, never a bare "Bad Request (400)" or a
server error: what was refused, why, and that what they typed is still on their screen."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def _wants_json(request) -> bool:
    return request.headers.get("X-Autosave") == "1" or request.path.startswith("/api/")


def refusal_messages(exception) -> list[str]:
    if isinstance(exception, RequestDataTooBig):
        return [
            _(
                "What you sent is larger than the limit of %(limit)s, so nothing was saved. "
                "Your text is still in the form: shorten it (each text field states its own "
                "limit) and save again."
            )
            % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
        ]
    if isinstance(exception, TooManyFieldsSent):
        return [_("The form sent more fields than allowed, so nothing was saved.")]
    if isinstance(exception, ValidationError):
        return [str(message) for message in exception.messages]
    return [_("The request could not be understood, so nothing was saved.")]


def refused(request, exception=None, status: int = 400):
    """The 400 page (also Django's handler400)."""
    messages = refusal_messages(exception)
    if _wants_json(request):
        return JsonResponse(
            {"saved": False, "message": " ".join(messages), "errors": {}}, status=status
        )
    response = TemplateResponse(
        request,
        "core/refused.html",
        {"messages_list": messages, "posted": request.method == "POST"},
        status=status,
    )
    return response.render()


def bad_request(request, exception=None):
    return refused(request, exception)


def form_only(request, refused_response):
    """The 405 page: an address that only takes a form (a confirmation: submit, approve,
    publish) opened with GET, by a reload, the Back button or the language switch. Nothing
    happened; the page says so and leads to the page the form belongs to (the address one
    level up, when there is one) and to the person's start page. The status and its `Allow`
    header stay as they were."""
    from django.urls import Resolver404, resolve

    parent = request.path.rstrip("/").rsplit("/", 1)[0] + "/"
    try:
        resolve(parent)
    except Resolver404:
        parent = None
    response = TemplateResponse(
        request,
        "core/form_only.html",
        {"parent": parent if parent != request.path else None},
        status=405,
    )
    response.render()
    if "Allow" in refused_response:
        response["Allow"] = refused_response["Allow"]
    return response
