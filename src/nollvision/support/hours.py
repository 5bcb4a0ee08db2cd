"""Opening hours as data: the only place that reads them.

A service's hours are written in the OpenStreetMap `opening_hours` syntax, limited to what a
helpline needs and what the pages can say faithfully in both languages: weekdays and times
(`Mo,We,Fr 09:00-12:00`, `Mo-Fr 08:00-12:00,13:00-16:30; Sa 10:00-14:00`), `24/7`, and
`PH off` for lines closed on Swedish public holidays. The parser and the evaluation are the
well-kept `opening-hours-py` package; this module adds the limits, Swedish public holidays, the
county's time zone, and the words (through gettext, so in the page's language).

Everything here is a pure function of the spec and a moment, so pages, the API and tests ask the
same questions: is it open at this moment, when does that change, what is the regular week.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import opening_hours
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import time_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OPEN, CLOSED, UNKNOWN, ALWAYS = "open", "closed", "unknown", "always"

# The spec after `normalize()` may hold only these: weekdays and ranges of them, times, rule
# separators, 24/7, and public holidays closed. Months, weeks, sun events and comments are refused:
# the pages could not say them in plain words.
_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_DAYS = rf"{_DAY}(?:-{_DAY})?(?:,{_DAY}(?:-{_DAY})?)*"
_TIME = r"\d\d:\d\d-\d\d:\d\d"
_TIMES = rf"{_TIME}(?:,{_TIME})*"
_RULE = rf"(?:24/7|(?:{_DAYS} )?(?:{_TIMES}|off|closed)|{_DAYS}|PH (?:off|closed))"
ALLOWED = re.compile(rf"^{_RULE}(?:; {_RULE})*$")

# A week without Swedish public holidays, for describing the regular week (Monday 3 March 2025).
REFERENCE_MONDAY = datetime.date(2025, 3, 3)
# How far ahead "opens ..." looks: a line closed for longer is simply closed.
LOOK_AHEAD = datetime.timedelta(days=14)

HELP = gettext_lazy(
    "Days and times, for example “Mo-Fr 09:00-16:00; Sa 10:00-14:00”, “Mo,We,Fr 09:00-12:00” or "
    "“24/7”; add “; PH off” when the line is closed on public holidays. Empty: the hours are not "
    "known, and the page says nothing about them."
)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@functools.lru_cache(maxsize=256)
def _parse(spec: str) -> opening_hours.OpeningHours:
    return opening_hours.OpeningHours(spec, timezone=_zone(), country="SE")


def validate_hours(spec: str) -> None:
    """The model field's validator: a spec the pages can read and say, or a message that shows
    how to write one."""
    if not spec:
        return
    try:
        normal = str(_parse(spec).normalize())
    except (opening_hours.ParserError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("These opening hours cannot be read. %(help)s") % {"help": HELP}, code="hours"
        ) from error
    if not ALLOWED.match(normal):
        raise ValidationError(
            _("Only days and times can be written here. %(help)s") % {"help": HELP},
            code="hours",
        )


@dataclass(frozen=True)
class Status:
    """What a line is at a moment: open, closed, always open, or not known (no hours given)."""

    state: str
    changes_at: datetime.datetime | None = None  # local time of the next opening or closing

    @property
    def is_open(self) -> bool:
        return self.state in (OPEN, ALWAYS)

    @property
    def is_closed(self) -> bool:
        return self.state == CLOSED


def _local(moment: datetime.datetime | None) -> datetime.datetime:
    return timezone.localtime(moment or timezone.now(), _zone())


def status(spec: str, moment: datetime.datetime | None = None) -> Status:
    """The line's state at `moment` (now by default) and when it next changes."""
    if not spec:
        return Status(UNKNOWN)
    hours = _parse(spec)
    now = _local(moment)
    state = hours.state(now)[0]
    change = hours.next_change(now)
    if change is not None and change - now > LOOK_AHEAD:
        change = None
    if state == opening_hours.State.OPEN:
        return Status(ALWAYS if change is None else OPEN, change)
    if state == opening_hours.State.CLOSED:
        return Status(CLOSED, change)
    return Status(UNKNOWN)


def seconds_until_change(specs, moment: datetime.datetime | None = None) -> int | None:
    """Seconds until the first of the lines opens or closes (for how long a page that says
    "open now" may be kept); None when nothing changes within the look-ahead."""
    now = _local(moment)
    changes = [s.changes_at for s in (status(spec, now) for spec in specs) if s.changes_at]
    if not changes:
        return None
    return max(1, int((min(changes) - now).total_seconds()))


def _day_name(day: datetime.date) -> str:
    return str(WEEKDAYS[day.weekday()])


def _clock(moment: datetime.datetime) -> str:
    return time_format(moment.time(), "H:i")


def describe(status_: Status, moment: datetime.datetime | None = None) -> str:
    """The state in words, in the active language: "Open now, closes at 12:00", "Closed now,
    opens Monday at 09:00", "Open around the clock"; empty when the hours are not known."""
    now = _local(moment)
    if status_.state == ALWAYS:
        return _("Open around the clock")
    if status_.state == UNKNOWN:
        return ""
    if status_.state == OPEN:
        if status_.changes_at is None:
            return _("Open now")
        return _("Open now, closes at %(time)s") % {"time": _clock(status_.changes_at)}
    if status_.changes_at is None:
        return _("Closed now")
    when = status_.changes_at
    if when.date() == now.date():
        return _("Closed now, opens today at %(time)s") % {"time": _clock(when)}
    if when.date() == now.date() + datetime.timedelta(days=1):
        return _("Closed now, opens tomorrow at %(time)s") % {"time": _clock(when)}
    return _("Closed now, opens %(day)s at %(time)s") % {
        "day": _day_name(when.date()),
        "time": _clock(when),
    }


def _day_groups(days: list[datetime.date]) -> str:
    """Monday to Friday as one range with an en dash; Monday, Wednesday, Friday as a list."""
    names = [_day_name(day) for day in days]
    consecutive = all((b - a).days == 1 for a, b in itertools.pairwise(days))
    if len(days) >= 3 and consecutive:
        return capfirst(f"{names[0]}–{names[-1]}")
    return capfirst(", ".join(names))


def week(spec: str) -> list[str]:
    """The regular week in words, one line per group of days with the same times:
    ["Monday, Wednesday, Friday 09:00 to 12:00"]; ["Around the clock"]; [] when not known."""
    if not spec:
        return []
    hours = _parse(spec)
    zone = _zone()
    monday = datetime.datetime.combine(REFERENCE_MONDAY, datetime.time(), zone)
    start, end = monday - datetime.timedelta(days=1), monday + datetime.timedelta(days=7)
    times_by_day: dict[datetime.date, list[str]] = {}
    unknown = False
    for begin, finish, state, _comment in hours.intervals(start, end):
        if state == opening_hours.State.UNKNOWN:
            unknown = True
        if state != opening_hours.State.OPEN:
            continue
        if begin <= start and finish >= end:
            return [_("Around the clock")]
        if begin < monday:
            continue  # Sunday's evening before the week: said with Sunday at the end
        text = f"{_clock(begin)}–{_clock(finish) if finish.time() else '24:00'}"
        times_by_day.setdefault(begin.date(), []).append(text)
    if unknown and not times_by_day:
        return []
    groups: dict[tuple[str, ...], list[datetime.date]] = {}
    for day in sorted(times_by_day):
        groups.setdefault(tuple(times_by_day[day]), []).append(day)
    lines = [f"{_day_groups(days)} {', '.join(times)}" for times, days in groups.items()]
    if "PH" in str(hours.normalize()):
        lines.append(_("Closed on public holidays"))
    return lines
