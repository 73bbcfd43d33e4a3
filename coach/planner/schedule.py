"""Steps placed week by week from the start date, and the hours each week holds.

A step's effort is spread evenly over its weeks; a habit, once set up, keeps
costing its `habit_hours` every week (new time on top of today's routine).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from dateutil.rrule import rrulestr

from coach.checkin import week_of
from coach.model import Action, Playbook, Step
from coach.planner.calendar import Slot, end_week, phase_of, week_index, week_start
from coach.planner.ordering import Edges, must_follow
from coach.planner.pacing import Item, Pacer
from coach.planner.reasons import replaces_reason, step_why

# Steps kept where they are (done): id -> (start, due, habit hours, hours in their first week).
Fixed = dict[str, tuple[date, date, float, float]]
LOAD_WEEKS = 26


def schedule_actions(
    playbook: Playbook,
    actions: list[Action],
    reasons: dict[str, tuple[str, ...]],
    edges: Edges,
    lang: str,
    start: date,
    hours: float,
    fixed: Fixed | None = None,
    first_week: int = 0,
) -> tuple[tuple[Step, ...], tuple[str, ...], tuple[str, ...]]:
    """(steps, left out, later): steps placed in order by the pacer.

    Habits that find no room are left out; steps that would start beyond the plan's
    horizon wait for the next plan (`later`). A habit that `replaces` another of the
    plan costs only what it adds to the one it takes over.
    """
    pacer = Pacer(playbook.pacing, hours, first_week)
    fixed = fixed or {}
    for step_id, (s_start, s_due, habit_hours, per_week) in fixed.items():
        pacer.fix(
            step_id,
            week_index(start, s_start),
            end_week(start, s_due),
            habit_hours,
            per_week,
        )
    present = {a.id for a in actions}
    titles = {a.id: a.title.get(lang) for a in actions}
    steps: list[Step] = []
    left_out: list[str] = []
    later: list[str] = []
    dropped: set[str] = set()
    cost: dict[str, float] = {}  # habits placed: their weekly cost
    for order, action in enumerate(actions):
        after = must_follow(action, present, edges)
        slot: Slot | None
        used: set[str] = set()
        taken = [r for r in action.replaces if r in cost]
        habit_hours = max(0.0, action.habit_hours - sum(cost[r] for r in taken))
        if action.id in fixed:
            s_start, s_due, *_ = fixed[action.id]
            slot = Slot(week_index(start, s_start), max(1, ((s_due - s_start).days + 1) // 7), 0.0)
        else:
            item = Item(
                action.id,
                action.effort_hours,
                action.duration_weeks,
                action.kind,
                habit_hours,
                [d for d in after if d not in dropped],
                action.quick_win,
            )
            slot, used = pacer.place(item)
            if slot is None:
                (later if "later" in used else left_out).append(action.id)
                dropped.add(action.id)
                continue
        why = step_why(action, reasons[action.id], edges, present, titles, used, playbook, lang)
        if taken:
            why += (replaces_reason(taken, titles, habit_hours, lang),)
        deps = tuple(d for d in action.depends_on if d in present and d not in dropped)
        step = _step(action, why, lang, start, slot, order, deps)
        if action.kind == "habit":
            cost[action.id] = habit_hours if action.id not in fixed else action.habit_hours
            step = replace(step, hours_per_week=habit_hours)
        if action.id in fixed:
            s_start, s_due, *_ = fixed[action.id]
            step = replace(step, start=s_start, due=s_due, phase=phase_of((s_start - start).days))
        steps.append(step)
    steps.sort(key=lambda s: (s.start, s.order))
    return tuple(steps), tuple(left_out), tuple(later)


def _step(
    action: Action,
    why: tuple[str, ...],
    lang: str,
    start: date,
    slot: Slot,
    order: int,
    deps: tuple[str, ...],
) -> Step:
    first = week_start(start, slot.week)
    habit = action.kind == "habit"
    return Step(
        id=action.id,
        title=action.title.get(lang),
        dimension=action.dimension,
        level=action.level,
        phase=phase_of((first - start).days),
        start=first,
        due=week_start(start, slot.week + slot.weeks) - timedelta(days=1),
        effort_hours=action.effort_hours,
        hours_per_week=action.habit_hours if habit else slot.per_week,
        depends_on=deps,
        why=why,
        how=tuple(h.get(lang) for h in action.how),
        starter=action.starter.get(lang),
        quick_win=action.quick_win,
        order=order,
        duration_weeks=action.duration_weeks,
        kind=action.kind,
        recurrence=action.recurrence,
    )


def occurrences(step: Step, until: date) -> list[date]:
    """The dates a habit recurs on, from its start to `until` (python-dateutil's rrule)."""
    if step.kind != "habit" or not step.recurrence:
        return []
    rule = rrulestr(step.recurrence, dtstart=datetime.combine(step.start, datetime.min.time()))
    end = datetime.combine(until, datetime.min.time())
    return [d.date() for d in rule.between(rule._dtstart - timedelta(days=1), end, inc=True)]


def weekly_load(
    plan_steps: tuple[Step, ...], start: date, weeks: int = LOAD_WEEKS
) -> tuple[tuple[str, float], ...]:
    """(ISO week, hours) for each of the plan's first `weeks` weeks: one-off work plus habits.

    One pass over the steps: a step adds its weekly cost to the weeks it covers (a
    habit, its setting-up cost, then its recurring cost to the end of the window).
    """
    hours = [0.0] * weeks
    for step in plan_steps:
        first = max(0, (step.start - start).days // 7)
        if first >= weeks:
            continue
        end = min(weeks, first + step.setup_weeks) if step.due >= step.start else first
        setup = (
            step.effort_hours / step.setup_weeks if step.kind == "habit" else step.hours_per_week
        )
        for w in range(first, end):
            hours[w] += setup
        if step.kind == "habit":
            for w in range(end, weeks):
                hours[w] += step.hours_per_week
    return tuple((week_of(week_start(start, w)), round(h, 2)) for w, h in enumerate(hours))
