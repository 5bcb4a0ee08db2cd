"""Messages several back-office pages give after the same kind of step."""

from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def reminders_sent(request, logs, *, who: str) -> None:
    """Say what a reminder button did (the follow-up's and the consultation's): how many bodies
    were reminded, or that they were reminded today already; and the bodies nobody could be
    reminded at (accounts/reach.py), with the way to invite someone there, as a warning.
    `who` names the people a reminder goes to ("a reporter or approver")."""
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
        messages.info(request, _("No reminder was sent: they were reminded today already."))
        return
    if not unreachable:
        messages.success(request, said)
        return
    names = ", ".join(str(o) for o in unreachable)
    messages.warning(
        request,
        format_html(
            '{} {} <a href="{}">{}</a>',
            said,
            _("Nobody at %(names)s is %(who)s with an e-mail address.")
            % {"names": names, "who": who},
            invite_address(unreachable),
            _("Invite someone"),
        ),
    )


def invite_address(organisations) -> str:
    """The users page, with the body chosen in its invitation form where there is one."""
    address = reverse("backoffice:members")
    if len(organisations) == 1:
        return f"{address}?organisation={organisations[0].pk}#invite-heading"
    return f"{address}#invite-heading"
