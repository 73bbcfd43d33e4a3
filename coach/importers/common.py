"""Activity events shared by every platform, and how they become weekly figures.

An export is reduced to events: (UTC time, kind, conversation id). Kinds:
- "post": something the manager published;
- "reply": something the manager wrote in answer to someone;
- "received": a comment or message that asked the manager for a reply.

Weekly figures (ISO weeks, Monday start, in the profile's time zone):
- posts, replies (written that week), received (items received that week);
- answered: items received that week that got a reply within 30 days: in the
  same conversation, the manager's next reply; without a conversation id,
  min(replies, received) of that week;
- median response time: over the answered items that have a conversation,
  hours from the item to the manager's next reply;
- response rate: answered / received.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import pairwise
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coach.errors import InvalidInput
from coach.i18n import t

Kind = Literal["post", "reply", "received"]
KINDS = ("post", "reply", "received")
# Same bound as coach.checkin.MAX_RESPONSE_HOURS: after 30 days a message is no longer a response.
MAX_RESPONSE_HOURS = 720.0
# The check-in fields an import can fill; which ones depends on what the export holds.
IMPORT_FIELDS = ("posts", "received", "replies", "median_response_hours")
# How far back an import reaches: every week in between becomes a check-in (zeros when idle),
# so a stray 1970 date would otherwise add 2,900 empty weeks.
YEARS_BACK = 5
# A silence longer than this between two events is pointed out in the preview.
GAP_WEEKS = 52
SHOWN_DATES = 3  # dates quoted in a note about events set aside


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime  # aware, UTC
    kind: Kind
    conversation: str | None = None


@dataclass(frozen=True)
class Note:
    """Something the preview must tell the user (rendered in their language)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.params)


@dataclass(frozen=True)
class ImportResult:
    """What one export holds, before it meets a profile."""

    platform: str  # "linkedin" | "x" | "mastodon" | "csv"
    file: str  # the file as the user named it
    events: tuple[Event, ...]
    fields: frozenset[str]  # check-in fields this export measures (subset of IMPORT_FIELDS)
    entries: tuple[str, ...] = ()  # files read (ZIP entries, or the file itself)
    zoneless: bool = False  # some timestamps had no zone and were taken as UTC
    me: str | None = None  # LinkedIn messages: the sender recognised as the manager
    notes: tuple[Note, ...] = ()
    replies_written: int = 0  # replies found, including those no check-in field keeps

    @property
    def source(self) -> str:
        """The check-in `source` this import writes: "import:linkedin", ..."""
        return f"import:{self.platform}"


def posts_only_result(
    platform: str,
    label: str,
    file: str,
    events: list[Event],
    entries: tuple[str, ...],
    zoneless: bool,
    replies: int,
) -> ImportResult:
    """An archive of what the manager wrote (X, Mastodon): posts count, nothing received is known."""
    return ImportResult(
        platform=platform,
        file=file,
        events=tuple(events),
        fields=frozenset({"posts"}),
        entries=entries,
        zoneless=zoneless,
        notes=(Note("importers.note.no_received", {"platform": label, "count": replies}),),
        replies_written=replies,
    )


@dataclass(frozen=True)
class WeekFigures:
    week: str  # "2026-W07"
    posts: int = 0
    replies: int = 0  # replies written this week
    received: int = 0  # items received this week
    answered: int = 0  # items received this week that got a reply
    median_response_hours: float | None = None

    @property
    def response_rate(self) -> float | None:
        """Answered / received as a percentage; None when nothing was received."""
        if not self.received:
            return None
        return 100.0 * self.answered / self.received

    def checkin_values(self) -> dict[str, Any]:
        """The figures under their check-in names (a check-in's `replies` are answered items)."""
        return {
            "posts": self.posts,
            "received": self.received,
            "replies": self.answered,
            "median_response_hours": self.median_response_hours,
        }


# ---- timestamps ---------------------------------------------------------------------------------

_ISOISH = re.compile(
    r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_TWITTER = re.compile(
    r"[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}) (\d{4})"
)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_UTC_SUFFIXES = (" UTC", " GMT", "Z")
_PLAUSIBLE_YEARS = (1970, 2999)


def parse_timestamp(text: str) -> tuple[datetime, bool] | None:
    """(aware UTC datetime, had no zone) for the date formats exports use; None if unreadable.

    Year-first dates only (ISO 8601 and close variants, `... UTC`), plus X's
    `Sat Feb 18 12:33:11 +0000 2023`. Day/month-first dates are ambiguous and refused.
    """
    value = text.strip()
    if not value:
        return None
    explicit_utc = value.endswith(_UTC_SUFFIXES)
    if value.endswith((" UTC", " GMT")):
        value = value[:-4]
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = _parse_loose(text.strip())
        if moment is None:
            return None
    if not _PLAUSIBLE_YEARS[0] <= moment.year <= _PLAUSIBLE_YEARS[1]:
        return None  # year 1 or 9999: no export holds them, and week arithmetic would overflow
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC), not explicit_utc
    return moment.astimezone(UTC), False


def _parse_loose(value: str) -> datetime | None:
    try:
        if match := _ISOISH.fullmatch(value):
            year, month, day, hour, minute, second, zone = match.groups()
            moment = datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
            if zone and zone.upper() not in ("Z", "UTC", "GMT"):
                return datetime.strptime(
                    f"{moment:%Y-%m-%d %H:%M:%S}{zone.replace(':', '')}", "%Y-%m-%d %H:%M:%S%z"
                )
            return moment.replace(tzinfo=UTC) if zone else moment
        if match := _TWITTER.fullmatch(value):
            month_name, day, hour, minute, second, zone, year = match.groups()
            month = _MONTHS.get(month_name.lower())
            if month is None:
                return None
            sign = 1 if zone[0] == "+" else -1
            offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
            local = datetime(int(year), month, int(day), int(hour), int(minute), int(second))
            return (local - offset).replace(tzinfo=UTC)
    except (ValueError, OverflowError):  # 2026-02-30, 25:00, year 1 minus an offset
        return None
    return None


# ---- weeks --------------------------------------------------------------------------------------


def zone_of(tz: str | tzinfo) -> tzinfo:
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    # OSError: "America" is a folder of the zone database, a 300-letter name too long a path
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise InvalidInput("importers.error.bad_timezone", tz=tz) from None


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_monday(week: str) -> date:
    return date.fromisocalendar(int(week[:4]), int(week[6:]), 1)


def weekly_figures(events: Iterable[Event], tz: str | tzinfo) -> list[WeekFigures]:
    """Figures per ISO week in time zone `tz`, oldest first, every week from the first to the last.

    Weeks without any event inside the export's span get zeros: the export says nothing happened.
    """
    zone = zone_of(tz)
    posts: Counter[str] = Counter()
    replies: Counter[str] = Counter()
    received: Counter[str] = Counter()
    loose_replies: Counter[str] = Counter()  # no conversation id: matched by count within the week
    loose_received: Counter[str] = Counter()
    threads: defaultdict[str, list[tuple[datetime, int, str]]] = defaultdict(list)
    for event in events:
        week = iso_week(event.at.astimezone(zone).date())
        if event.kind == "post":
            posts[week] += 1
            continue
        if event.kind == "reply":
            replies[week] += 1
        else:
            received[week] += 1
        if event.conversation is None:
            (loose_replies if event.kind == "reply" else loose_received)[week] += 1
        else:
            # received sorts before a reply at the same second: the reply answers it
            threads[event.conversation].append(
                (event.at, 0 if event.kind == "received" else 1, week)
            )

    answered, delays = _answered(threads)
    for week, count in loose_received.items():
        answered[week] += min(count, loose_replies[week])

    weeks = set(posts) | set(replies) | set(received)
    if not weeks:
        return []
    monday, last = week_monday(min(weeks)), week_monday(max(weeks))
    figures = []
    while monday <= last:
        week = iso_week(monday)
        hours = delays.get(week)
        figures.append(
            WeekFigures(
                week=week,
                posts=posts[week],
                replies=replies[week],
                received=received[week],
                answered=answered[week],
                median_response_hours=round(statistics.median(hours), 2) if hours else None,
            )
        )
        monday += timedelta(days=7)
    return figures


def import_window(today: date) -> tuple[date, date]:
    """The days an import keeps: from the Monday YEARS_BACK years before today's week, to its Sunday."""
    monday = _monday(today)
    try:
        back = monday.replace(year=monday.year - YEARS_BACK)
    except ValueError:  # 29 February
        back = monday.replace(year=monday.year - YEARS_BACK, day=28)
    return _monday(back), monday + timedelta(days=6)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _dates(days: list[date]) -> str:
    shown = sorted(set(days))
    text = ", ".join(day.isoformat() for day in shown[:SHOWN_DATES])
    return text + (", …" if len(shown) > SHOWN_DATES else "")


def screen_events(
    events: Iterable[Event], tz: str | tzinfo, today: date
) -> tuple[tuple[Event, ...], tuple[Note, ...]]:
    """The events inside the import window, and notes about those set aside and long silences.

    Dates are taken in time zone `tz`; `today` is the profile's today. Events before the
    window or after the current week are set aside (a check-in cannot be in the future).
    A silence of more than GAP_WEEKS weeks is kept, since it may be true, but pointed out:
    each of its weeks would be saved with zeros.
    """
    zone = zone_of(tz)
    first, last = import_window(today)
    kept: list[Event] = []
    old: list[date] = []
    future: list[date] = []
    for event in events:
        day = event.at.astimezone(zone).date()
        if day < first:
            old.append(day)
        elif day > last:
            future.append(day)
        else:
            kept.append(event)
    notes = []
    if old:
        notes.append(
            Note(
                "importers.note.set_aside_old",
                {
                    "count": len(old),
                    "first": first.isoformat(),
                    "years": YEARS_BACK,
                    "dates": _dates(old),
                },
            )
        )
    if future:
        notes.append(
            Note("importers.note.set_aside_future", {"count": len(future), "dates": _dates(future)})
        )
    gap = _longest_gap(sorted({event.at.astimezone(zone).date() for event in kept}))
    if gap is not None:
        before, after = gap
        weeks = (_monday(after) - _monday(before)).days // 7 - 1
        notes.append(
            Note(
                "importers.note.gap",
                {"before": before.isoformat(), "after": after.isoformat(), "weeks": weeks},
            )
        )
    return tuple(kept), tuple(notes)


def _longest_gap(days: list[date]) -> tuple[date, date] | None:
    """The two event days around the longest silence, when it lasts more than GAP_WEEKS weeks."""
    gaps = [(later - earlier, earlier, later) for earlier, later in pairwise(days)]
    if not gaps:
        return None
    length, earlier, later = max(gaps)
    return (earlier, later) if length > timedelta(weeks=GAP_WEEKS) else None


def _answered(
    threads: dict[str, list[tuple[datetime, int, str]]],
) -> tuple[Counter[str], dict[str, list[float]]]:
    """Per week of receipt: items answered, and their response times in hours."""
    answered: Counter[str] = Counter()
    delays: defaultdict[str, list[float]] = defaultdict(list)
    for items in threads.values():
        items.sort(key=lambda item: (item[0], item[1]))
        waiting: list[tuple[datetime, str]] = []
        for at, order, week in items:
            if order == 0:
                waiting.append((at, week))
                continue
            for since, received_week in waiting:
                hours = (at - since).total_seconds() / 3600
                if hours <= MAX_RESPONSE_HOURS:
                    answered[received_week] += 1
                    delays[received_week].append(hours)
            waiting.clear()
    return answered, delays
