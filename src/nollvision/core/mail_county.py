"""Which county's work an e-mail is about, for the outbox (notifications/backends.py): callers
send inside `about_county`, so the message is that county's alone on the coordinators' outbox
page, even where a recipient also holds a role in another county, or none yet (an invitee)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_COUNTY: ContextVar[int | None] = ContextVar("mail_county", default=None)


@contextmanager
def about_county(region_id: int | None) -> Iterator[None]:
    token = _COUNTY.set(region_id)
    try:
        yield
    finally:
        _COUNTY.reset(token)


def current_county() -> int | None:
    """The county of the messages being sent now, or None: about no one county."""
    return _COUNTY.get()
