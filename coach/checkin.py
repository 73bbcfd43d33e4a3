"""Weekly check-ins: one profile's figures for one ISO week (Monday start).

Also the ISO-week helpers every area uses (`parse_week`, `week_of`, `current_week`)
and `validate_checkin`, the single place that decides which figures are acceptable.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any, TypeGuard

from coach import clock
from coach.errors import InvalidInput


@dataclass(frozen=True)
class CheckIn:
    week: str  # ISO week, "2026-W07"
    posts: int = 0
    received: int = 0  # comments and messages that asked for a reply
    replies: int = 0
    median_response_hours: float | None = None
    followers: int | None = None
    mentions: int | None = None
    monitoring_sessions: int | None = None
    employee_touchpoints: int | None = None
    note: str = ""
    source: str = (
        "typed"  # "typed", or "import:linkedin", "import:x", "import:mastodon", "import:csv"
    )
    pulse_score: float | None = None  # employee perception pulse, 0-100
    positive_mentions_pct: float | None = None  # share of positive mentions, 0-100
    outcomes: int | None = None  # results tied to the manager's purpose this week

    @property
    def response_rate(self) -> float | None:
        """Replies / items received, as a percentage; None when nothing was received."""
        if not self.received:
            return None
        return 100.0 * min(self.replies, self.received) / self.received


# Counts that may not be negative; the first three are always present.
COUNT_FIELDS = (
    "posts",
    "received",
    "replies",
    "followers",
    "mentions",
    "monitoring_sessions",
    "employee_touchpoints",
)
OPTIONAL_COUNT_FIELDS = COUNT_FIELDS[3:]
PERCENT_FIELDS = ("pulse_score", "positive_mentions_pct")  # optional, 0 to 100
# Perception and outcome figures (issue 9): optional, stored like the others.
PERCEPTION_FIELDS = (*PERCENT_FIELDS, "outcomes")
CHECKIN_FIELDS = tuple(f.name for f in fields(CheckIn))
MAX_RESPONSE_HOURS = 720.0  # 30 days: past that, a "response" is no longer a response
MAX_NOTE_CHARS = 4000
# Far above any real week (or follower count), and far below what the database can hold.
MAX_COUNT = 1_000_000_000
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
_SOURCE_RE = re.compile(r"^(typed|import:[a-z0-9_-]{1,40})$")


# ---- ISO weeks ----------------------------------------------------------------------------------


def parse_week(text: str) -> date:
    """The Monday of ISO week `text` ("2026-W07"); InvalidInput when malformed or nonexistent.

    Only the stored form is accepted: ASCII digits (full-width "２０２６-W４７" would be
    a second row for week 47 that goals never count), no surrounding spaces.
    """
    ascii_only = isinstance(text, str) and text.isascii()
    match = _WEEK_RE.fullmatch(text) if ascii_only else None
    if not match:
        raise InvalidInput("tracking.error.week_malformed", week=text)
    year, week = int(match.group(1)), int(match.group(2))
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        # 2026-W54, 2026-W00, or W53 in a year that has only 52 weeks
        raise InvalidInput("tracking.error.week_malformed", week=text) from None


def week_of(day: date) -> str:
    """The ISO week holding `day`, as "YYYY-Www"."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def shift_week(week: str, weeks: int) -> str:
    """The ISO week `weeks` weeks after (or before, when negative) `week`."""
    return week_of(parse_week(week) + timedelta(weeks=weeks))


def today_in(tz: str | None) -> date:
    """Today's date in time zone `tz` (an IANA name; UTC when empty or unknown): the one clock."""
    return clock.today_in(tz)


def current_week(tz: str | None = None) -> str:
    """The ISO week of today in time zone `tz`."""
    return week_of(today_in(tz))


# ---- validation ---------------------------------------------------------------------------------


def validate_checkin(checkin: CheckIn, today: date | None = None) -> None:
    """Raise InvalidInput (first problem found) when the check-in cannot be saved as is.

    `today` defaults to today's date from the one clock (UTC).
    """
    _check_week(checkin.week, today or clock.today_in(None))
    for name in COUNT_FIELDS:
        value = getattr(checkin, name)
        if value is None and name in OPTIONAL_COUNT_FIELDS:
            continue
        _check_count(name, value)
    if checkin.replies > checkin.received:
        raise InvalidInput(
            "tracking.error.replies_exceed_received",
            replies=checkin.replies,
            received=checkin.received,
        )
    if checkin.median_response_hours is not None:
        _check_response_hours(checkin.median_response_hours)
    if checkin.outcomes is not None:
        _check_count("outcomes", checkin.outcomes)
    for name in PERCENT_FIELDS:
        value = getattr(checkin, name)
        if value is not None:
            _check_percent(name, value)
    if not isinstance(checkin.note, str) or len(checkin.note) > MAX_NOTE_CHARS:
        raise InvalidInput("tracking.error.note_too_long", max=MAX_NOTE_CHARS)
    if not isinstance(checkin.source, str) or not _SOURCE_RE.match(checkin.source):
        raise InvalidInput("tracking.error.bad_source", source=checkin.source)


def _check_week(week: str, today: date) -> None:
    """The week must exist and must have started by `today`."""
    if parse_week(week) > today:
        raise InvalidInput("tracking.error.week_future", week=week, current=week_of(today))


def _is_number(value: object) -> TypeGuard[float]:
    """A finite int or float (a bool is not a number here)."""
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _check_count(name: str, value: object) -> None:
    """A whole number from 0 to MAX_COUNT, with the field's own error keys."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"tracking.error.not_whole_number.{name}", value=value)
    if value < 0:
        raise InvalidInput(f"tracking.error.negative.{name}", value=value)
    if value > MAX_COUNT:
        raise InvalidInput(f"tracking.error.too_large.{name}", value=value, max=MAX_COUNT)


def _check_response_hours(hours: object) -> None:
    """A number of hours from 0 to MAX_RESPONSE_HOURS."""
    if not _is_number(hours):
        raise InvalidInput("tracking.error.not_a_number.median_response_hours", value=hours)
    if hours < 0 or hours > MAX_RESPONSE_HOURS:
        raise InvalidInput(
            "tracking.error.response_hours_range", value=hours, max=int(MAX_RESPONSE_HOURS)
        )


def _check_percent(name: str, value: object) -> None:
    """A number from 0 to 100."""
    if not _is_number(value):
        raise InvalidInput(f"tracking.error.not_a_number.{name}", value=value)
    if not 0 <= value <= 100:
        raise InvalidInput(f"tracking.error.percent_range.{name}", value=value)


def checkin_to_dict(checkin: CheckIn) -> dict[str, Any]:
    """A JSON-safe dict with every field (used by exports and the store)."""
    return {name: getattr(checkin, name) for name in CHECKIN_FIELDS}


def checkin_from_dict(data: dict[str, Any]) -> CheckIn:
    """The inverse of `checkin_to_dict`; unknown keys are an error (InvalidInput)."""
    unknown = set(data) - set(CHECKIN_FIELDS)
    if unknown or "week" not in data:
        raise InvalidInput(
            "tracking.error.import_broken", detail=", ".join(sorted(unknown)) or "week"
        )
    return CheckIn(**data)
