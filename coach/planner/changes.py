"""A plan after a change: new hours or start date (`reschedule`), new facts or answers (`replan`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from coach import clock
from coach.model import AssessmentResult, Pacing, Plan, Playbook, Step
from coach.planner.build import WHERE_TO_START, assemble, check_hours
from coach.planner.calendar import end_week, phase_of, week_index, week_start
from coach.planner.diagnosis import diagnosed_order
from coach.planner.ordering import make_context, triggered
from coach.planner.pacing import Item, Pacer
from coach.planner.schedule import Fixed, schedule_actions, weekly_load


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
    A habit keeps costing every week; the playbook's pacing is not at hand here
    (`replan` rebuilds with it), so only the hours and the free-share floor apply.
    """
    hours = check_hours(hours_per_week)
    today = today or clock.today_in(None)
    pacer = Pacer(Pacing(), hours, week_index(start, today))
    by_id = {s.id: s for s in plan.steps}
    for step_id, (s_start, s_due) in fixed.items():
        step = by_id.get(step_id)
        habit = step.hours_per_week if step is not None and step.kind == "habit" else 0.0
        per_week = 0.0
        if step is not None:
            per_week = step.hours_in_week(s_start) if s_start >= start else 0.0
        pacer.fix(step_id, week_index(start, s_start), end_week(start, s_due), habit, per_week)
    new_steps: list[Step] = []
    for step in sorted(plan.steps, key=lambda s: s.order):
        if step.id in fixed:
            s_start, s_due = fixed[step.id]
            new_steps.append(
                replace(step, start=s_start, due=s_due, phase=phase_of((s_start - start).days))
            )
            continue
        habit = step.kind == "habit"
        item = Item(
            step.id,
            step.effort_hours,
            step.duration_weeks,
            step.kind,
            step.hours_per_week if habit else 0.0,
            list(step.depends_on),
        )
        slot, _ = pacer.place(item)
        if slot is None:  # no room left for this habit in the new hours: it waits its turn
            item.kind, item.habit_hours = "once", 0.0
            slot = pacer.place_once(item)
        first = week_start(start, slot.week)
        new_steps.append(
            replace(
                step,
                start=first,
                due=week_start(start, slot.week + slot.weeks) - timedelta(days=1),
                phase=phase_of((first - start).days),
                hours_per_week=step.hours_per_week if habit else slot.per_week,
            )
        )
    new_steps.sort(key=lambda s: (s.start, s.order))
    open_steps = sorted((s for s in new_steps if s.id not in fixed), key=lambda s: s.order)
    steps = tuple(new_steps)
    return replace(
        plan,
        start=start,
        hours_per_week=hours,
        steps=steps,
        where_to_start=tuple(s.id for s in open_steps[:WHERE_TO_START]),
        this_week=open_steps[0].id if open_steps else None,
        facts={**plan.facts, "hours_per_week": hours},
        load=weekly_load(steps, start),
    )


def replan(
    playbook: Playbook,
    answers: dict[str, Any],
    result: AssessmentResult,
    previous: Plan,
    states: dict[str, Any],
    hours_per_week: float,
    lang: str | None = None,
    facts: dict[str, Any] | None = None,
    today: date | None = None,
) -> Plan:
    """A plan rebuilt from the last assessment after hours, sector, role or answers change.

    Actions trigger again (reasons say the new hours); done steps keep their state's
    dates, and if the new answers no longer trigger them they stay in the plan as
    history; open steps are placed again from the current week, never in the past.
    `states` maps step id -> a state ("done", ...) or an object with `.state`.
    """
    lang = lang or previous.lang
    hours = check_hours(hours_per_week)
    today = today or clock.today_in(None)
    start = previous.start
    facts = {**previous.facts, **(facts or {}), "hours_per_week": hours}
    ctx = make_context(answers, result, facts)
    reasons = triggered(playbook, ctx, lang)
    done = {
        s.id: s
        for s in previous.steps
        if (getattr(states.get(s.id), "state", states.get(s.id)) or "todo") == "done"
    }
    for step_id in done:
        if step_id not in reasons and playbook.action(step_id) is not None:
            reasons[step_id] = ()
    diagnosis, edges, actions = diagnosed_order(playbook, ctx, result, lang, reasons)
    fixed: Fixed = {
        sid: (
            s.start,
            s.due,
            s.hours_per_week if s.kind == "habit" else 0.0,
            s.hours_in_week(s.start) if s.start >= start else 0.0,
        )
        for sid, s in done.items()
    }
    steps, left_out, later = schedule_actions(
        playbook, actions, reasons, edges, lang, start, hours, fixed, week_index(start, today)
    )
    kept = {s.id for s in steps}
    extra = tuple(s for sid, s in done.items() if sid not in kept)  # actions gone from the playbook
    steps = tuple(sorted(steps + extra, key=lambda s: (s.start, s.order)))
    plan = assemble(playbook, result, ctx, lang, start, hours, steps, facts, diagnosis, left_out)
    open_steps = [s for s in sorted(steps, key=lambda s: s.order) if s.id not in done]
    return replace(
        plan,
        where_to_start=tuple(s.id for s in open_steps[:WHERE_TO_START]),
        this_week=open_steps[0].id if open_steps else None,
        later=later,
    )
