"""Plan progress computed once for every front: *where to start*, *this week*, the burn-up.

Works on the domain objects (`Plan`, `Step`, step states); the app, `status` and
the board pack only format what comes out of here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

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


def where_to_start(plan: Plan, states: Mapping[str, Any]) -> tuple[Step, ...]:
    """The highest-priority steps not yet done or skipped (the planner's order)."""
    return tuple(open_steps(plan, dict(states))[:WHERE_TO_START])


def this_week(plan: Plan, states: Mapping[str, Any]) -> Step | None:
    """The plan's step for this week; once it is done or skipped, the next open one."""
    step = plan.step(plan.this_week) if plan.this_week else None
    if step is not None and _state(states, step.id) in OPEN_STATES:
        return step
    remaining = open_steps(plan, dict(states))
    return remaining[0] if remaining else None


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
