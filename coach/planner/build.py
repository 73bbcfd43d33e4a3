"""The manager's plan, built: a diagnosis, then triggered actions, ordered, paced and explained."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from coach.conditions import Context
from coach.errors import InvalidInput
from coach.model import AssessmentResult, Diagnosis, Plan, Playbook, Step
from coach.planner.diagnosis import diagnosed_order
from coach.planner.goals import goal_targets
from coach.planner.ordering import make_context, triggered
from coach.planner.schedule import schedule_actions, weekly_load
from coach.profile import MAX_HOURS_PER_WEEK, MIN_HOURS_PER_WEEK

WHERE_TO_START = 3


def check_hours(hours_per_week: Any) -> float:
    """Hours per week within the profile's bounds (coach.profile), as a float."""
    if isinstance(hours_per_week, bool) or not isinstance(hours_per_week, int | float):
        raise InvalidInput("engine.plan.hours_number", value=hours_per_week)
    if not MIN_HOURS_PER_WEEK <= hours_per_week <= MAX_HOURS_PER_WEEK:
        raise InvalidInput(
            "engine.plan.hours_range",
            value=hours_per_week,
            min=MIN_HOURS_PER_WEEK,
            max=MAX_HOURS_PER_WEEK,
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
    """The manager's plan: a diagnosis, then triggered actions, ordered, paced and explained."""
    hours = check_hours(hours_per_week)
    facts = {"regulated_sector": False, **(facts or {}), "hours_per_week": hours}
    ctx = make_context(answers, result, facts)
    reasons = triggered(playbook, ctx, lang)
    diagnosis, edges, actions = diagnosed_order(playbook, ctx, result, lang, reasons)
    steps, left_out, later = schedule_actions(playbook, actions, reasons, edges, lang, start, hours)
    plan = assemble(playbook, result, ctx, lang, start, hours, steps, facts, diagnosis, left_out)
    return replace(plan, later=later)


def assemble(
    playbook: Playbook,
    result: AssessmentResult,
    ctx: Context,
    lang: str,
    start: date,
    hours: float,
    steps: tuple[Step, ...],
    facts: dict[str, Any],
    diagnosis: Diagnosis | None,
    left_out: tuple[str, ...],
) -> Plan:
    """The plan from its scheduled steps: where to start, goals, weekly load."""
    # Where to start: the highest-priority steps (the diagnosis's first), not whatever fits week one.
    first = sorted(steps, key=lambda s: s.order)[:WHERE_TO_START]
    ordered = [
        a for s in sorted(steps, key=lambda s: s.order) if (a := playbook.action(s.id)) is not None
    ]
    return Plan(
        playbook_id=playbook.id,
        playbook_version=playbook.version,
        lang=lang,
        start=start,
        hours_per_week=hours,
        steps=steps,
        where_to_start=tuple(s.id for s in first),
        this_week=first[0].id if first else None,
        goals=goal_targets(playbook, result, ordered, lang, steps, ctx.answers, hours, start, ctx),
        facts=dict(facts),
        diagnosis=diagnosis,
        load=weekly_load(steps, start),
        left_out=left_out,
    )
