"""The one clock: every "today" of the product comes from here.

`now()` is the current instant (aware, UTC); `today_in(zone)` the date in a
profile's time zone. Tests freeze the clock with time-machine (which moves
`datetime.now` itself) or swap the source with `set_source`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Source = Callable[[], datetime]


def _system() -> datetime:
    return datetime.now(UTC)


_source: Source = _system


def set_source(source: Source | None) -> None:
    """Use `source` for every "now" (None: the system clock again)."""
    global _source
    _source = source or _system


def now() -> datetime:
    """The current instant, aware, in UTC."""
    value = _source()
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def zone(name: str | None) -> ZoneInfo:
    """The IANA zone `name`; UTC when it is empty or unknown."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def today_in(zone_name: str | None) -> date:
    """Today's date in the time zone `zone_name` (UTC when unknown)."""
    return now().astimezone(zone(zone_name)).date()
