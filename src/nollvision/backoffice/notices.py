"""Messages several back-office pages give after the same kind of step."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def reminders_sent(logs) -> str:
    """What a reminder button did (the follow-up's and the consultation's): how many bodies were
    reminded, or that all of them were reminded today already; and the bodies nobody could be
    reminded at, with the way to invite someone there (accounts/reach.py)."""
    unreachable = getattr(logs, "unreachable", [])
    if logs:
        said = ngettext(
            "A reminder was sent to %(count)d body.",
            "Reminders were sent to %(count)d bodies.",
            len(logs),
        ) % {"count": len(logs)}
    elif unreachable:
        said = _("No reminder was sent.")
    else:
        return _("No reminder was sent: those bodies were reminded today already.")
    if not unreachable:
        return said
    return format_html(
        '{} {} <a href="{}">{}</a>',
        said,
        _(
            "Nobody at %(names)s can receive a reminder: no one there has a role with an "
            "e-mail address."
        )
        % {"names": ", ".join(str(o) for o in unreachable)},
        reverse("backoffice:members"),
        _("Invite someone"),
    )
