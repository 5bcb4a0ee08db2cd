"""A confirmation page before anything that cannot simply be undone (publishing, closing,
reopening, removing a member or a role, bulk actions). It works without JavaScript: the first
POST shows what will happen, and the same POST again with `confirmed=1` does it."""

from django.template.response import TemplateResponse


def confirmed(request) -> bool:
    return request.POST.get("confirmed") == "1"


def confirmation(request, *, title, lines, button, cancel_url, danger=False):
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirmed")
        for value in values
    ]
    return TemplateResponse(
        request,
        "backoffice/confirm.html",
        {
            "title": title,
            "lines": lines,
            "button": button,
            "cancel_url": cancel_url,
            "danger": danger,
            "carried": carried,
            "action": request.get_full_path(),
        },
    )
