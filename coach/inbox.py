"""The "ask me anything" inbox: employees' questions to the manager, and the weekly figures they feed.

A question is anonymous unless the employee chooses to sign it. The manager
marks it answered (privately, at a town hall, or in a post) and may publish an
answer everyone with the inbox link can read.

Weekly figures follow PRODUCT.md and coach/importers/common.py, so the inbox
counts like any other received item in the check-in:
- received: questions received in the ISO week (Monday start, profile's zone);
- replies: those of them that got a first answer within 30 days;
- median response time: median hours from receipt to first answer over those,
  two decimals (None when none was answered).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from coach.checkin import MAX_RESPONSE_HOURS, parse_week
from coach.errors import InvalidInput
from coach.pulse.links import MAX_NAME_CHARS, MAX_QUESTION_CHARS
from coach.pulse.results import clean_text

InboxState = Literal["new", "answered_private", "answered_town_hall", "answered_post", "published"]
STATES = ("new", "answered_private", "answered_town_hall", "answered_post", "published")
ANSWER_CHANNELS = ("private", "town_hall", "post")
MAX_ANSWER_CHARS = 5000  # a published answer


@dataclass(frozen=True)
class InboxQuestion:
    id: str
    text: str
    received: datetime  # UTC, to the minute
    signed_by: str | None = None  # the name the employee chose to give; None: anonymous
    state: InboxState = "new"
    answered_at: datetime | None = None  # the first answer, whatever its channel
    answer: str | None = None  # the published answer, shown to every employee

    @property
    def anonymous(self) -> bool:
        return self.signed_by is None


@dataclass(frozen=True)
class InboxWeek:
    week: str
    received: int
    replies: int
    median_response_hours: float | None

    def checkin_values(self) -> dict[str, int | float | None]:
        """The figures under their check-in names."""
        return {
            "received": self.received,
            "replies": self.replies,
            "median_response_hours": self.median_response_hours,
        }


def _utc_minute(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def new_question(
    question_id: str, text: str, received: datetime, signed_by: str | None = None
) -> InboxQuestion:
    """A question an employee sends; InvalidInput (nothing kept) when empty or too long."""
    body = clean_text(text) if isinstance(text, str) else ""
    if not body:
        raise InvalidInput("pulse.inbox.empty")
    if len(body) > MAX_QUESTION_CHARS:
        raise InvalidInput("pulse.inbox.too_long", count=len(body), max=MAX_QUESTION_CHARS)
    name = clean_text(signed_by).replace("\n", " ") if isinstance(signed_by, str) else ""
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput("pulse.inbox.name_too_long", count=len(name), max=MAX_NAME_CHARS)
    return InboxQuestion(question_id, body, _utc_minute(received), name or None)


def mark_answered(question: InboxQuestion, channel: str, at: datetime) -> InboxQuestion:
    """The question answered through `channel` (private, town_hall or post)."""
    if channel not in ANSWER_CHANNELS:
        raise InvalidInput("pulse.inbox.bad_channel", channel=str(channel)[:20])
    if question.state == "published":
        raise InvalidInput("pulse.inbox.already_published")
    state: InboxState = "answered_private"
    if channel == "town_hall":
        state = "answered_town_hall"
    elif channel == "post":
        state = "answered_post"
    return _answered(question, at, state)


def publish_answer(question: InboxQuestion, answer: str, at: datetime) -> InboxQuestion:
    """The question with an answer every employee can read (editing a published answer is allowed)."""
    body = clean_text(answer) if isinstance(answer, str) else ""
    if not body:
        raise InvalidInput("pulse.inbox.empty_answer")
    if len(body) > MAX_ANSWER_CHARS:
        raise InvalidInput("pulse.inbox.too_long", count=len(body), max=MAX_ANSWER_CHARS)
    return _answered(question, at, "published", body)


def _answered(
    question: InboxQuestion, at: datetime, state: InboxState, answer: str | None = None
) -> InboxQuestion:
    at = _utc_minute(at)
    if question.answered_at is None and at < question.received:
        raise InvalidInput("pulse.inbox.before_received")
    first = question.answered_at or at  # the first answer time never moves
    kept = question.answer if answer is None else answer
    return replace(question, answered_at=first, state=state, answer=kept)


def published(questions: Iterable[InboxQuestion]) -> list[InboxQuestion]:
    """What employees see through the inbox link: published answers only, newest first."""
    shown = [q for q in questions if q.state == "published"]
    return sorted(shown, key=lambda q: q.answered_at or q.received, reverse=True)


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def inbox_week(questions: Iterable[InboxQuestion], week: str, tz: str) -> InboxWeek:
    """The inbox's figures for one ISO week, in the profile's time zone."""
    monday = parse_week(week)
    zone = ZoneInfo(tz)
    sunday = monday + timedelta(days=6)
    received = [q for q in questions if monday <= _local_day(q.received, zone) <= sunday]
    hours = []
    for q in received:
        if q.answered_at is None:
            continue
        delay = (q.answered_at - q.received).total_seconds() / 3600
        if 0 <= delay <= MAX_RESPONSE_HOURS:
            hours.append(delay)
    median = round(statistics.median(hours), 2) if hours else None
    return InboxWeek(week, len(received), len(hours), median)
