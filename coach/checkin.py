"""Weekly check-ins: one profile's figures for one ISO week (Monday start)."""

from __future__ import annotations

from dataclasses import dataclass


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
    source: str = "typed"  # "typed", or "import:linkedin", "import:x", "import:mastodon", "import:csv"

    @property
    def response_rate(self) -> float | None:
        """Replies / items received, as a percentage; None when nothing was received."""
        if not self.received:
            return None
        return 100.0 * min(self.replies, self.received) / self.received
