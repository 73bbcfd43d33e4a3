"""Plan progress over time: the burn-up of effort planned against effort done.

The burn-up counts effort hours, cumulated week by week (ISO weeks, Monday
start) from the plan's start:

- *planned* at a week is the effort of every step (skipped ones left out) due
  by that week's Sunday;
- *done* is the effort of the steps marked done by that Sunday (the day the
  state changed, or the due date when the day is unknown); weeks after today
  have no *done* value yet.

One function, used by the app, the CLI and the board pack, so the three never
disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from coach.checkin import parse_week, week_of
from coach.model import Plan
from coach.tracking import week_range


@dataclass(frozen=True)
class BurnupPoint:
    week: str  # ISO week "YYYY-Www"
    planned: float  # effort hours due by the end of this week, cumulative
    done: float | None  # effort hours of steps done by then; None for weeks to come


def _state(states: Mapping[str, Any], step_id: str) -> tuple[str, date | None]:
    status = states.get(step_id)
    if status is None:
        return "todo", None
    return getattr(status, "state", status) or "todo", getattr(status, "changed_on", None)


def burnup(plan: Plan | None, states: Mapping[str, Any], today: date) -> tuple[BurnupPoint, ...]:
    """Week by week from the plan's start to its last due date (or today, if later)."""
    if plan is None:
        return ()
    active = []
    for step in plan.steps:
        state, changed_on = _state(states, step.id)
        if state != "skipped":
            finished = (changed_on or step.due) if state == "done" else None
            active.append((step.due, step.effort_hours, finished))
    if not active:
        return ()
    last = max(max(due for due, _, _ in active), today)
    now = week_of(today)
    points = []
    for week in week_range(week_of(plan.start), week_of(last)):
        sunday = parse_week(week) + timedelta(days=6)
        planned = sum(hours for due, hours, _ in active if due <= sunday)
        done = None
        if week <= now:
            done = round(sum(h for _, h, end in active if end is not None and end <= sunday), 2)
        points.append(BurnupPoint(week, round(planned, 2), done))
    return tuple(points)
