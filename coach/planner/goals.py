"""Each goal's target, personal: from the manager's baseline, level, time and steps."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from coach.conditions import Context, evaluate
from coach.i18n import fmt_number, t, unit_for
from coach.model import Action, AssessmentResult, Direction, Goal, PlanGoal, Playbook, Step
from coach.planner.calendar import EPSILON


def baseline_of(goal: Goal, answers: dict[str, Any]) -> float | None:
    """The manager's current value for a goal, read from the answers (None: unknown)."""
    if goal.baseline is None:
        return None
    value = answers.get(goal.baseline.question)
    if goal.baseline.values:
        if isinstance(value, list):
            known = [goal.baseline.values[v] for v in value if v in goal.baseline.values]
            return max(known) if known else None
        return goal.baseline.values.get(value) if isinstance(value, str) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def goal_targets(
    playbook: Playbook,
    result: AssessmentResult,
    ordered: list[Action],
    lang: str,
    steps: tuple[Step, ...] = (),
    answers: dict[str, Any] | None = None,
    hours: float | None = None,
    start: date | None = None,
    ctx: Context | None = None,
) -> tuple[PlanGoal, ...]:
    """Each goal's target, personal: from the manager's baseline, level, time and steps.

    The default is the target for the manager's level; a step of the plan can set
    its own (the first step of the plan wins: the near-term target). From a known
    baseline the target moves by at most `max_change`; a short weekly budget caps
    how tight it gets (`hours_limits`); a baseline above the `ceiling` turns an
    at-least goal into a range. A goal counts from the week its setting step starts
    (or `delay_weeks` later, or from its end). An `only_with_step` goal no step sets
    keeps today's value, unless `tracked_when` holds (the manager measures it already).
    """
    answers = answers or {}
    set_by: dict[str, tuple[float, str]] = {}
    for action in ordered:
        for setting in action.sets_goals:
            if setting.target is not None and setting.goal not in set_by:
                set_by[setting.goal] = (setting.target, action.id)
    by_id = {s.id: s for s in steps}
    starts: dict[str, date] = {}
    for action in ordered:
        step = by_id.get(action.id)
        if step is None:
            continue
        for setting in action.sets_goals:
            counts = (step.due + timedelta(days=1) if setting.from_end else step.start) + timedelta(
                weeks=setting.delay_weeks
            )
            if setting.goal not in starts or counts < starts[setting.goal]:
                starts[setting.goal] = counts
    goals = []
    for goal in playbook.goals:
        baseline = baseline_of(goal, answers)
        tracked = (
            goal.tracked_when is not None and ctx is not None and evaluate(goal.tracked_when, ctx)
        )
        held = goal.only_with_step and goal.id not in starts and not tracked
        if held and (baseline is None or (goal.direction != "at_most" and baseline <= 0)):
            continue
        dim = result.score_of(goal.dimension) if goal.dimension else None
        # One answer is thin evidence: below two answered questions, the overall level decides.
        trusted = dim.level if dim is not None and dim.answered >= 2 else None
        level = trusted or result.overall_level or 1
        target, source = set_by.get(goal.id, (goal.targets[level], None))
        if held and baseline is not None:
            target = baseline
        target, direction, low, high, why = _personal(goal, float(target), baseline, hours, lang)
        if held:
            why.append(t("engine.goal.kept_without_step", lang))
        elif tracked and goal.id not in starts:
            why.append(t("engine.goal.tracked", lang))
        if (
            goal.quotes
            and isinstance(answers.get(goal.quotes), str)
            and answers[goal.quotes].strip()
        ):
            purpose = answers[goal.quotes].strip().rstrip(".")
            why.append(t("engine.goal.purpose", lang, purpose=purpose))
        goals.append(
            PlanGoal(
                goal.id,
                goal.title.get(lang),
                goal.metric,
                target,
                goal.unit.get(lang),
                direction,
                source,
                starts.get(goal.id, start),
                baseline,
                low,
                high,
                tuple(why),
            )
        )
    return tuple(goals)


def _personal(
    goal: Goal, target: float, baseline: float | None, hours: float | None, lang: str
) -> tuple[float, Direction, float | None, float | None, list[str]]:
    """The goal's target for this manager: (target, direction, low, high, why)."""
    why: list[str] = []
    at_most = goal.direction == "at_most"
    if baseline is not None:
        # Never ask for less than today, and move from today by at most `max_change`.
        wanted = target
        if at_most:
            target = min(target, baseline)
            if goal.max_change is not None:
                target = max(target, baseline - goal.max_change)
        else:
            target = max(target, baseline)
            if goal.max_change is not None:
                target = min(target, baseline + goal.max_change)
        if at_most:
            held_back = target > min(wanted, baseline) + EPSILON
        else:
            held_back = target < max(wanted, baseline) - EPSILON
        if held_back and goal.max_change_why is not None:
            why.append(goal.max_change_why.get(lang))
    for limit in goal.hours_limits:
        if hours is not None and hours < limit.hours_below:
            # What the manager already manages in today's time stays the target.
            honest = limit.target
            if baseline is not None:
                honest = min(honest, baseline) if at_most else max(honest, baseline)
            loosened = max(target, honest) if at_most else min(target, honest)
            if loosened != target:
                target = loosened
                why.append(limit.why.get(lang))
            break
    ceiling = goal.ceiling
    if baseline is not None:
        # "The target keeps that level" only when it does; otherwise the target speaks.
        kept = abs(target - baseline) < EPSILON and not (ceiling and baseline > ceiling.above)
        why.insert(
            0,
            t(
                "engine.goal.baseline_kept" if kept else "engine.goal.baseline",
                lang,
                value=fmt_number(baseline, lang),
                unit=unit_for(goal.unit.get(lang), baseline, lang),
            ),
        )
    if ceiling is not None and baseline is not None and baseline > ceiling.above:
        why.append(ceiling.why.get(lang))
        return ceiling.high, "between", ceiling.low, ceiling.high, why
    return round(target, 2), goal.direction, None, None, why
