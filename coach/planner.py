"""Triggered actions -> an ordered, scheduled, explained plan.

Order: dependencies first; among the steps that are free to start, the weakest
dimensions, the foundations (lower levels) and the quick wins come first (as
OWASP SAMM roadmaps do). The priority of an action is

    dimension score + 25 x (action level - 1) - 15 if it is a quick win

(lower first; ties keep the playbook's order), so the plan is stable and
deterministic. Scheduling is week by week from the start date: a step's effort
is spread evenly over its weeks and no week ever holds more hours than the
manager has (a step too big for one week is stretched over more weeks).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from coach.conditions import Context, check_and_explain, evaluate
from coach.errors import InvalidInput
from coach.model import PHASES, Action, AssessmentResult, Plan, PlanGoal, Playbook, Step

EPSILON = 1e-9
PHASE_LIMITS = ((30, "days-30"), (60, "days-60"), (90, "days-90"))
WHERE_TO_START = 3
MIN_HOURS, MAX_HOURS = 0.25, 80.0


def triggered(playbook: Playbook, ctx: Context, lang: str = "en") -> dict[str, tuple[str, ...]]:
    """Actions whose `when` holds and whose `unless` does not (playbook order), with their reasons."""
    found: dict[str, tuple[str, ...]] = {}
    for action in playbook.actions:
        holds, reasons = check_and_explain(action.when, ctx, playbook, lang)
        if holds and not (action.unless and evaluate(action.unless, ctx)):
            found[action.id] = tuple(reasons)
    return found


def priority(action: Action, result: AssessmentResult, index: int) -> tuple[float, int]:
    dim = result.score_of(action.dimension)
    dim_score = dim.score if dim is not None and dim.score is not None else 50.0
    return (dim_score + 25 * (action.level - 1) - (15 if action.quick_win else 0), index)


def order_actions(actions: list[Action], result: AssessmentResult) -> list[Action]:
    """Topological order (dependencies first), best priority first among the ready ones."""
    present = {a.id for a in actions}
    waiting = {a.id: {d for d in a.depends_on if d in present} for a in actions}
    by_id = {a.id: a for a in actions}
    dependants: dict[str, list[str]] = {a.id: [] for a in actions}
    for aid, deps in waiting.items():
        for dep in deps:
            dependants[dep].append(aid)
    keys = {a.id: priority(a, result, i) for i, a in enumerate(actions)}
    ready = [(keys[aid], aid) for aid, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    ordered: list[Action] = []
    while ready:
        _, aid = heapq.heappop(ready)
        ordered.append(by_id[aid])
        for nxt in dependants[aid]:
            waiting[nxt].discard(aid)
            if not waiting[nxt]:
                heapq.heappush(ready, (keys[nxt], nxt))
    # A cycle cannot pass the validator; keep any leftover in playbook order rather than lose it.
    done = {a.id for a in ordered}
    ordered.extend(a for a in actions if a.id not in done)
    return ordered


@dataclass
class _Slot:
    week: int
    weeks: int
    per_week: float


class _Calendar:
    """Hours booked per week; finds the first run of weeks with room for a step.

    Weeks are grouped in blocks that remember their largest free room, so a
    search skips whole blocks that cannot take the step (1,000 steps stay fast).
    """

    BLOCK = 32

    def __init__(self, hours: float) -> None:
        self.hours = hours
        self.room: list[float] = []
        self.block_max: list[float] = []

    def _grow(self, size: int) -> None:
        while len(self.room) < size:
            self.room.extend([self.hours] * self.BLOCK)
            self.block_max.append(self.hours)

    def book(self, week: int, weeks: int, per_week: float) -> None:
        self._grow(week + weeks)
        room = self.room
        for w in range(week, week + weeks):
            room[w] -= per_week
        for b in range(week // self.BLOCK, (week + weeks - 1) // self.BLOCK + 1):
            self.block_max[b] = max(room[b * self.BLOCK : (b + 1) * self.BLOCK])

    def _first_fit(self, week: int, need: float) -> int:
        """The first week >= `week` with at least `need` hours free."""
        room, size = self.room, self.BLOCK
        while week < len(room):
            block = week // size
            if self.block_max[block] < need:
                week = (block + 1) * size
                continue
            end = (block + 1) * size
            while week < end and room[week] < need:
                week += 1
            if week < end:
                return week
        return week  # past the booked weeks: empty

    def place(self, effort: float, duration: int, earliest: int) -> _Slot:
        weeks = max(duration, math.ceil(effort / self.hours - EPSILON))
        per_week = effort / weeks
        need = per_week - EPSILON
        room = self.room
        week = earliest
        while True:
            week = self._first_fit(week, need)
            last = min(week + weeks, len(room))
            blocked = next((w for w in range(week, last) if room[w] < need), None)
            if blocked is None:
                self.book(week, weeks, per_week)
                return _Slot(week, weeks, per_week)
            week = blocked + 1


def phase_of(offset_days: int) -> str:
    for limit, name in PHASE_LIMITS:
        if offset_days < limit:
            return name
    return PHASES[-1]


def week_start(start: date, week: int) -> date:
    return start + timedelta(days=7 * week)


def check_hours(hours_per_week: Any) -> float:
    if isinstance(hours_per_week, bool) or not isinstance(hours_per_week, (int, float)):
        raise InvalidInput("engine.plan.hours_number", value=hours_per_week)
    if not MIN_HOURS <= hours_per_week <= MAX_HOURS:
        raise InvalidInput(
            "engine.plan.hours_range", value=hours_per_week, min=MIN_HOURS, max=MAX_HOURS
        )
    return float(hours_per_week)


def build_plan(
    playbook: Playbook,
    answers: dict[str, Any],
    result: AssessmentResult,
    start: date,
    hours_per_week: float,
    lang: str = "fr",
    facts: dict[str, Any] | None = None,
) -> Plan:
    """The manager's plan: triggered actions, ordered, scheduled and explained."""
    hours = check_hours(hours_per_week)
    facts = {"regulated_sector": False, **(facts or {}), "hours_per_week": hours}
    visible = set(result.visible_questions)
    ctx = Context(
        answers={k: v for k, v in answers.items() if k in visible}, facts=facts, result=result
    )
    reasons = triggered(playbook, ctx, lang)
    actions = order_actions([playbook.action(aid) for aid in reasons], result)
    present = {a.id for a in actions}
    calendar = _Calendar(hours)
    finish: dict[str, int] = {}
    steps: list[Step] = []
    for order, action in enumerate(actions):
        deps = tuple(d for d in action.depends_on if d in present)
        slot = calendar.place(
            action.effort_hours, action.duration_weeks, max((finish[d] for d in deps), default=0)
        )
        finish[action.id] = slot.week + slot.weeks
        steps.append(_step(action, reasons[action.id], lang, start, slot, order, deps))
    steps.sort(key=lambda s: (s.start, s.order))
    return _assemble(playbook, result, lang, start, hours, tuple(steps), facts, actions)


def _step(
    action: Action, reasons: tuple[str, ...], lang: str, start: date, slot: _Slot, order: int, deps
) -> Step:
    why = reasons + (action.why.get(lang),)
    first = week_start(start, slot.week)
    return Step(
        id=action.id,
        title=action.title.get(lang),
        dimension=action.dimension,
        level=action.level,
        phase=phase_of((first - start).days),
        start=first,
        due=week_start(start, slot.week + slot.weeks) - timedelta(days=1),
        effort_hours=action.effort_hours,
        hours_per_week=slot.per_week,
        depends_on=deps,
        why=why,
        how=tuple(h.get(lang) for h in action.how),
        starter=action.starter.get(lang),
        quick_win=action.quick_win,
        order=order,
        duration_weeks=action.duration_weeks,
    )


def goal_targets(
    playbook: Playbook, result: AssessmentResult, ordered: list[Action], lang: str
) -> tuple[PlanGoal, ...]:
    """Each goal's target: the default for the manager's level, unless a step sets one.

    When several steps set the same goal, the first step of the plan wins: the
    plan's near-term target, which later assessments raise.
    """
    set_by: dict[str, tuple[float, str]] = {}
    for action in ordered:
        for setting in action.sets_goals:
            if setting.target is not None and setting.goal not in set_by:
                set_by[setting.goal] = (setting.target, action.id)
    goals = []
    for goal in playbook.goals:
        dim = result.score_of(goal.dimension) if goal.dimension else None
        # One answer is thin evidence: below two answered questions, the overall level decides.
        trusted = dim is not None and dim.level is not None and dim.answered >= 2
        level = (dim.level if trusted else None) or result.overall_level or 1
        target, source = set_by.get(goal.id, (goal.targets[level], None))
        goals.append(
            PlanGoal(
                goal.id,
                goal.title.get(lang),
                goal.metric,
                float(target),
                goal.unit.get(lang),
                goal.direction,
                source,
            )
        )
    return tuple(goals)


def _assemble(playbook, result, lang, start, hours, steps, facts, ordered_actions) -> Plan:
    # Where to start: the highest-priority steps, not whatever small step fits in week one.
    first = sorted(steps, key=lambda s: s.order)[:WHERE_TO_START]
    return Plan(
        playbook_id=playbook.id,
        playbook_version=playbook.version,
        lang=lang,
        start=start,
        hours_per_week=hours,
        steps=steps,
        where_to_start=tuple(s.id for s in first),
        this_week=first[0].id if first else None,
        goals=goal_targets(playbook, result, list(ordered_actions), lang),
        facts=dict(facts),
    )


def reschedule(
    plan: Plan,
    fixed: dict[str, tuple[date, date]],
    start: date,
    hours_per_week: float,
    today: date | None = None,
) -> Plan:
    """The same steps scheduled again inside a new budget or from a new start date.

    Steps in `fixed` (done ones) keep their dates; the others are placed from the
    current week on (never in the past), in the plan's order, dependencies first.
    """
    hours = check_hours(hours_per_week)
    today = today or date.today()
    calendar = _Calendar(hours)
    first_week = max(0, (today - start).days // 7) if today > start else 0
    finish: dict[str, int] = {}
    for step_id, (_s_start, s_due) in fixed.items():
        finish[step_id] = max(0, math.ceil(((s_due - start).days + 1) / 7))
    new_steps: list[Step] = []
    for step in sorted(plan.steps, key=lambda s: s.order):
        if step.id in fixed:
            s_start, s_due = fixed[step.id]
            new_steps.append(
                replace(step, start=s_start, due=s_due, phase=phase_of((s_start - start).days))
            )
            continue
        earliest = max([first_week] + [finish.get(d, 0) for d in step.depends_on])
        slot = calendar.place(step.effort_hours, step.duration_weeks, earliest)
        finish[step.id] = slot.week + slot.weeks
        first = week_start(start, slot.week)
        new_steps.append(
            replace(
                step,
                start=first,
                due=week_start(start, slot.week + slot.weeks) - timedelta(days=1),
                phase=phase_of((first - start).days),
                hours_per_week=slot.per_week,
            )
        )
    new_steps.sort(key=lambda s: (s.start, s.order))
    open_steps = sorted((s for s in new_steps if s.id not in fixed), key=lambda s: s.order)
    return replace(
        plan,
        start=start,
        hours_per_week=hours,
        steps=tuple(new_steps),
        where_to_start=tuple(s.id for s in open_steps[:WHERE_TO_START]),
        this_week=open_steps[0].id if open_steps else None,
        facts={**plan.facts, "hours_per_week": hours},
    )


# ---- JSON-safe form -----------------------------------------------------------------------------


def _step_dict(step: Step) -> dict[str, Any]:
    return {
        "id": step.id,
        "title": step.title,
        "dimension": step.dimension,
        "level": step.level,
        "phase": step.phase,
        "start": step.start.isoformat(),
        "due": step.due.isoformat(),
        "effort_hours": step.effort_hours,
        "hours_per_week": step.hours_per_week,
        "depends_on": list(step.depends_on),
        "why": list(step.why),
        "how": list(step.how),
        "starter": step.starter,
        "quick_win": step.quick_win,
        "order": step.order,
        "duration_weeks": step.duration_weeks,
    }


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-safe data (the CLI's `plan --format json`, and storage)."""
    this_week = plan.step(plan.this_week) if plan.this_week else None
    return {
        "playbook_id": plan.playbook_id,
        "playbook_version": plan.playbook_version,
        "lang": plan.lang,
        "start": plan.start.isoformat(),
        "hours_per_week": plan.hours_per_week,
        "where_to_start": list(plan.where_to_start),
        "this_week": {"id": this_week.id, "title": this_week.title, "starter": this_week.starter}
        if this_week
        else None,
        "steps": [_step_dict(s) for s in plan.steps],
        "goals": [
            {
                "id": g.id,
                "title": g.title,
                "metric": g.metric,
                "target": g.target,
                "unit": g.unit,
                "direction": g.direction,
                "set_by": g.set_by,
            }
            for g in plan.goals
        ],
        "facts": dict(plan.facts),
    }


def plan_from_dict(doc: dict[str, Any]) -> Plan:
    this_week = doc.get("this_week")
    return Plan(
        playbook_id=doc["playbook_id"],
        playbook_version=doc["playbook_version"],
        lang=doc["lang"],
        start=date.fromisoformat(doc["start"]),
        hours_per_week=float(doc["hours_per_week"]),
        steps=tuple(
            Step(
                id=s["id"],
                title=s["title"],
                dimension=s["dimension"],
                level=int(s["level"]),
                phase=s["phase"],
                start=date.fromisoformat(s["start"]),
                due=date.fromisoformat(s["due"]),
                effort_hours=float(s["effort_hours"]),
                hours_per_week=float(s["hours_per_week"]),
                depends_on=tuple(s["depends_on"]),
                why=tuple(s["why"]),
                how=tuple(s["how"]),
                starter=s["starter"],
                quick_win=bool(s["quick_win"]),
                order=int(s["order"]),
                duration_weeks=int(s.get("duration_weeks", 1)),
            )
            for s in doc["steps"]
        ),
        where_to_start=tuple(doc["where_to_start"]),
        this_week=this_week["id"] if isinstance(this_week, dict) else this_week,
        goals=tuple(
            PlanGoal(
                g["id"],
                g["title"],
                g["metric"],
                float(g["target"]),
                g["unit"],
                g["direction"],
                g.get("set_by"),
            )
            for g in doc["goals"]
        ),
        facts=dict(doc.get("facts") or {}),
    )


# ---- a saved plan, read later ---------------------------------------------------------------------


def reword(
    plan: Plan,
    playbook: Playbook,
    answers: dict[str, Any],
    result: AssessmentResult,
    lang: str,
) -> Plan:
    """The same plan (steps, dates, targets) with its words in `lang`.

    A plan keeps the language it was built in; a manager who switches language
    reads titles, reasons, how-tos, starters and goal names in the new one.
    """
    if plan.lang == lang:
        return plan
    visible = set(result.visible_questions)
    ctx = Context(
        answers={k: v for k, v in answers.items() if k in visible}, facts=plan.facts, result=result
    )
    reasons = triggered(playbook, ctx, lang)
    steps = []
    for step in plan.steps:
        action = playbook.action(step.id)
        if action is None:  # the playbook changed since: keep the saved words
            steps.append(step)
            continue
        why = reasons.get(step.id, ()) + (action.why.get(lang),)
        steps.append(
            replace(
                step,
                title=action.title.get(lang),
                why=why,
                how=tuple(h.get(lang) for h in action.how),
                starter=action.starter.get(lang),
            )
        )
    goals = []
    for goal in plan.goals:
        source = playbook.goal(goal.id)
        goals.append(
            replace(goal, title=source.title.get(lang), unit=source.unit.get(lang))
            if source
            else goal
        )
    return replace(plan, lang=lang, steps=tuple(steps), goals=tuple(goals))


def open_steps(plan: Plan, states: dict[str, Any]) -> list[Step]:
    """Steps still to do (todo or doing), highest priority first: 'where to start' as of today."""

    def state_of(step: Step) -> str:
        status = states.get(step.id)
        return getattr(status, "state", status) or "todo"

    return sorted(
        (s for s in plan.steps if state_of(s) in ("todo", "doing")), key=lambda s: s.order
    )
