"""A manager's profile: its fields, their bounds and checks, and the words shared by every front.

`STEP_STATES` and `LANGUAGES` are defined once, here (LANGUAGES comes from the
catalogues' module, which needs it first).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coach import clock
from coach.errors import InvalidInput
from coach.i18n import LANGUAGES

STEP_STATES = ("todo", "doing", "done", "skipped")
OPEN_STATES = ("todo", "doing")  # a step still to do: where to start, this week
CLOSED_STATES = ("done", "skipped")  # a step whose dates no longer move
MAX_NAME_CHARS = 60
# One set of bounds for hours per week, used by the store, the forms and the CLI
# (the planner checks the same figures under its own error key).
MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK = 0.25, 80.0
HOURS_STEP = 0.25
DEFAULT_TIMEZONE = "America/Toronto"
DEFAULT_HOURS = 2.0
DEFAULT_PLAYBOOK_ID = "executive-presence"
PROFILE_FIELDS = (
    "name",
    "language",
    "timezone",
    "hours_per_week",
    "start_date",
    "playbook_id",
    "regulated_sector",
)

__all__ = [
    "CLOSED_STATES",
    "FACTS",
    "LANGUAGES",
    "MAX_HOURS_PER_WEEK",
    "MAX_NAME_CHARS",
    "MIN_HOURS_PER_WEEK",
    "OPEN_STATES",
    "STEP_STATES",
    "Profile",
    "check_fields",
    "check_name",
    "name_key",
    "normalize_name",
]


# The profile facts playbook conditions may read, and their kind: defined once.
FACTS: dict[str, str] = {"hours_per_week": "number", "regulated_sector": "bool"}


@dataclass(frozen=True)
class Profile:
    """One manager being coached. `id` is the key; `name` is a label people see and may change."""

    id: int
    name: str
    language: str  # "fr" | "en"
    timezone: str  # IANA, e.g. "America/Toronto"
    hours_per_week: float
    start_date: date
    playbook_id: str
    regulated_sector: bool
    created_at: datetime

    @property
    def facts(self) -> dict[str, Any]:
        """The profile facts playbook conditions may use (see FACTS)."""
        return {name: getattr(self, name) for name in FACTS}


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Bidirectional controls reorder what is shown: "Marie" spelt backwards behind a
# right-to-left override looks like another name. Refused, not removed.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def _visible(char: str) -> bool:
    # Format characters (zero-width space, soft hyphen, word joiner, BOM...) show nothing.
    return unicodedata.category(char) != "Cf"


def normalize_name(name: str) -> str:
    """One spelling per name: NFKC, invisible characters removed, runs of spaces as one.

    « Zoë » typed with a combining accent, "Marie" with a zero-width space or a soft
    hyphen, and a full-width "Ｍａｒｉｅ" are all "Marie". Bidirectional controls are
    kept here (check_name refuses them).
    """
    kept = "".join(c for c in unicodedata.normalize("NFKC", name) if _visible(c) or _BIDI.match(c))
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", kept)).strip()


def name_key(name: str) -> str:
    """What two names are compared by: normalised, then without regard to case.

    "sophie gagnon" and "Sophie Gagnon" are one profile; so are "STRASSE" and "Straße".
    """
    return normalize_name(name).casefold()


def check_name(name: Any) -> str:
    """The name as stored (normalised); InvalidInput when empty, with controls, or too long."""
    if not isinstance(name, str) or _CONTROL.search(name):
        raise InvalidInput("tracking.error.profile_name", name=name)
    if _BIDI.search(name):
        raise InvalidInput("cli.profile.name_bidi", name=_BIDI.sub("", name))
    normal = normalize_name(name)
    if not normal:
        raise InvalidInput("tracking.error.profile_name", name=name)
    if len(normal) > MAX_NAME_CHARS:
        raise InvalidInput("tracking.error.profile_name_long", max=MAX_NAME_CHARS)
    return normal


def check_hours(hours: Any) -> float:
    """Hours per week within the product's bounds, as a float."""
    if (
        isinstance(hours, bool)
        or not isinstance(hours, int | float)
        or not math.isfinite(hours)
        or not MIN_HOURS_PER_WEEK <= hours <= MAX_HOURS_PER_WEEK
    ):
        raise InvalidInput(
            "tracking.error.hours_per_week",
            value=hours,
            min=MIN_HOURS_PER_WEEK,
            max=int(MAX_HOURS_PER_WEEK),
        )
    return float(hours)


MAX_TIMEZONE_CHARS = 64  # the longest IANA name is 32 characters


def check_timezone(value: Any) -> str:
    """An IANA zone name; "unknown time zone" for anything else.

    A folder of the zone database ("America") raises IsADirectoryError and an
    over-long name "File name too long": both are OSError, both an unknown zone.
    """
    text = str(value)
    if len(text) > MAX_TIMEZONE_CHARS:
        raise InvalidInput("tracking.error.timezone", timezone=text[:MAX_TIMEZONE_CHARS] + "…")
    if not isinstance(value, str):
        raise InvalidInput("tracking.error.timezone", timezone=text)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput("tracking.error.timezone", timezone=value) from None
    return text


# A plan starts within these dates: 1026-01-05 (a typo for 2026) would schedule a
# thousand years of weeks, 9999-12-01 overflows the calendar. The window is wide
# enough for any real coaching history and a plan prepared two years ahead.
FIRST_START_DATE = date(2000, 1, 1)
START_YEARS_AHEAD = 2


def start_window(today: date | None = None) -> tuple[date, date]:
    """The first and last start dates accepted (the last: today, UTC, two years on)."""
    today = today or clock.now().date()
    year = today.year + START_YEARS_AHEAD
    last = date(year, 2, 28) if (today.month, today.day) == (2, 29) else today.replace(year=year)
    return FIRST_START_DATE, last


def check_start_window(start: date) -> date:
    """`start` within `start_window()`; InvalidInput naming the window otherwise."""
    first, last = start_window()
    if not first <= start <= last:
        raise InvalidInput(
            "cli.profile.start_window",
            value=start.isoformat(),
            first=first.isoformat(),
            last=last.isoformat(),
        )
    return start


def check_fields(values: dict[str, Any]) -> dict[str, Any]:
    """Validate the profile fields present in `values`; returns them normalised."""
    out = dict(values)
    if "name" in out:
        out["name"] = check_name(out["name"])
    if "language" in out and out["language"] not in LANGUAGES:
        raise InvalidInput("tracking.error.language", language=out["language"])
    if "timezone" in out:
        out["timezone"] = check_timezone(out["timezone"])
    if "hours_per_week" in out:
        out["hours_per_week"] = check_hours(out["hours_per_week"])
    start = out.get("start_date")
    if "start_date" in out and (not isinstance(start, date) or isinstance(start, datetime)):
        raise InvalidInput("tracking.error.start_date", value=start)
    if isinstance(start, date):
        check_start_window(start)
    book = out.get("playbook_id")
    if "playbook_id" in out and (not isinstance(book, str) or not book):
        raise InvalidInput("tracking.error.playbook_id", value=book)
    regulated = out.get("regulated_sector")
    if "regulated_sector" in out and not isinstance(regulated, bool):
        raise InvalidInput("tracking.error.regulated_sector", value=regulated)
    return out


def check_step_state(state: Any) -> str:
    if state not in STEP_STATES:
        raise InvalidInput("tracking.error.step_state", state=state, states=", ".join(STEP_STATES))
    return str(state)
