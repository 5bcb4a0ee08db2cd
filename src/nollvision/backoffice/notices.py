"""Messages several back-office pages give after the same kind of step."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def reminders_sent(logs) -> str:
    """What a reminder button did (the follow-up's and the consultation's): how many bodies were
    reminded, or that all of them were reminded today already."""
    if not logs:
        return _("No reminder was sent: those bodies were reminded today already.")
    return ngettext(
        "A reminder was sent to %(count)d body.",
        "Reminders were sent to %(count)d bodies.",
        len(logs),
    ) % {"count": len(logs)}
