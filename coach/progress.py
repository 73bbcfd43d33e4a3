"""Plan progress computed once for every front: *where to start*, *this week*, the burn-up.

Works on the domain objects (`Plan`, `Step`, step states); the app, `status` and
the board pack only format what comes out of here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from coach import clock
from coach.checkin import parse_week, week_of
from coach.model import Plan, Step
from coach.planner import WHERE_TO_START, open_steps
from coach.profile import OPEN_STATES
from coach.tracking import week_range


@dataclass(frozen=True)
class BurnupPoint:
    week: str
    planned: float  # effort hours of the steps due by the week's Sunday, cumulative
    done: float | None  # effort hours of the steps done by then; None for weeks ahead


def _state(states: Mapping[str, Any], step_id: str) -> str:
    status = states.get(step_id)
    return str(getattr(status, "state", status) or "todo")


def _by_date(step: Step) -> tuple[date, date, int]:
    return (step.due, step.start, step.order)


def where_to_start(plan: Plan, states: Mapping[str, Any]) -> tuple[Step, ...]:
    """The highest-priority steps not yet done or skipped (the planner's choice), numbered in
    date order: the one due first is number 1."""
    chosen = open_steps(plan, dict(states))[:WHERE_TO_START]
    return tuple(sorted(chosen, key=_by_date))


def is_late(step: Step, states: Mapping[str, Any], today: date) -> bool:
    """A step still open after its due date."""
    return _state(states, step.id) in OPEN_STATES and step.due < today


def late_steps(plan: Plan, states: Mapping[str, Any], today: date) -> tuple[Step, ...]:
    """Open steps past their due date, the most overdue first."""
    return tuple(sorted((s for s in plan.steps if is_late(s, states, today)), key=_by_date))


def this_week(plan: Plan, states: Mapping[str, Any], today: date | None = None) -> Step | None:
    """The step to work on now: the open step whose dates cover `today` (the earliest due
    when several do), else the most overdue open step, else the next open one to start.

    `today` defaults to today's date in UTC; fronts pass the profile's own day.
    """
    today = today or clock.today_in(None)
    remaining = [s for s in plan.steps if _state(states, s.id) in OPEN_STATES]
    if not remaining:
        return None
    covering = [s for s in remaining if s.start <= today <= s.due]
    if covering:
        return min(covering, key=_by_date)
    overdue = [s for s in remaining if s.due < today]
    if overdue:
        return min(overdue, key=_by_date)
    return min(remaining, key=lambda s: (s.start, s.due, s.order))


def distinct_reasons(steps: Sequence[Step]) -> tuple[str, ...]:
    """One "why" line per step, from its own reasons, never the line a step above it shows
    (steps of one dimension often share their first reason)."""
    shown: list[str] = []
    for step in steps:
        fresh = [reason for reason in step.why if reason not in shown]
        shown.append(fresh[0] if fresh else (step.why[0] if step.why else ""))
    return tuple(shown)


def burnup(plan: Plan | None, states: Mapping[str, Any], today: date) -> tuple[BurnupPoint, ...]:
    """Effort planned and done, week by week, from the plan's start to its last due date."""
    if plan is None:
        return ()
    active = [s for s in plan.steps if _state(states, s.id) != "skipped"]
    if not active:
        return ()
    last = max(max(s.due for s in active), today)
    now = week_of(today)
    points = []
    for week in week_range(week_of(plan.start), week_of(last)):
        sunday = parse_week(week) + timedelta(days=6)
        planned = sum(s.effort_hours for s in active if s.due <= sunday)
        done = None
        if week <= now:
            done = sum(
                s.effort_hours
                for s in active
                if _state(states, s.id) == "done" and (_changed_on(states, s) or s.due) <= sunday
            )
        points.append(
            BurnupPoint(week, round(planned, 2), None if done is None else round(done, 2))
        )
    return tuple(points)


def _changed_on(states: Mapping[str, Any], step: Step) -> date | None:
    value = getattr(states.get(step.id), "changed_on", None)
    return value if isinstance(value, date) else None
