"""A confirmation page before anything that cannot simply be undone (publishing, closing,
reopening, removing a member or a role, bulk actions). It works without JavaScript: the first
POST shows what will happen, and the same POST again with `confirmed=1` does it."""

from django.template.response import TemplateResponse


def confirmed(request) -> bool:
    return request.POST.get("confirmed") == "1"


def confirmation(
    request, *, title, lines, button, cancel_url, danger=False, form=None, include=None, extra=None
):
    """`form`, when given, is asked on the confirmation page itself (a reason, for example);
    its fields are not carried over as hidden values. `include` names a template shown above
    the form, with `extra` as its context (the check before publishing, for example)."""
    own = set(form.fields) if form is not None else set()
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirmed", *own)
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
            "form": form,
            "carried": carried,
            "action": request.get_full_path(),
            "include": include,
            **(extra or {}),
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )
