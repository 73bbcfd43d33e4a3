"""A saved plan, read later: in another language, what is left to do, what to ask the board."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from coach.conditions import evaluate
from coach.model import AssessmentResult, BoardAsk, Diagnosis, Plan, Playbook, Step
from coach.planner.diagnosis import diagnose
from coach.planner.goals import goal_targets
from coach.planner.ordering import make_context, sequence_edges, triggered
from coach.planner.reasons import step_why


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
    ctx = make_context(answers, result, plan.facts)
    reasons = triggered(playbook, ctx, lang)
    present = {s.id for s in plan.steps}
    edges = sequence_edges(playbook, present, ctx)
    titles = {a.id: a.title.get(lang) for a in playbook.actions if a.id in present}
    _rule, diagnosis = diagnose(playbook, ctx, lang)
    if plan.diagnosis is not None and (diagnosis is None or diagnosis.id != plan.diagnosis.id):
        rule = next((d for d in playbook.diagnoses if d.id == plan.diagnosis.id), None)
        diagnosis = (
            Diagnosis(rule.id, rule.dimension, rule.title.get(lang), (rule.why.get(lang),))
            if rule
            else plan.diagnosis
        )
    old_goals = {g.id: g for g in plan.goals}
    fresh = {
        g.id: g
        for g in goal_targets(
            playbook,
            result,
            [a for a in (playbook.action(s.id) for s in plan.steps) if a],
            lang,
            plan.steps,
            ctx.answers,
            plan.hours_per_week,
            plan.start,
            ctx,
        )
    }
    steps = []
    for step in plan.steps:
        action = playbook.action(step.id)
        if action is None:  # the playbook changed since: keep the saved words
            steps.append(step)
            continue
        why = step_why(
            action, reasons.get(step.id, ()), edges, present, titles, set(), playbook, lang
        )
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
        again = fresh.get(goal.id)
        goals.append(
            replace(
                goal,
                title=source.title.get(lang),
                unit=source.unit.get(lang),
                why=again.why if again and old_goals[goal.id].why else goal.why,
            )
            if source
            else goal
        )
    return replace(
        plan,
        lang=lang,
        steps=tuple(steps),
        goals=tuple(goals),
        diagnosis=diagnosis or plan.diagnosis,
    )


def board_asks(
    playbook: Playbook,
    plan: Plan,
    result: AssessmentResult,
    facts: dict[str, Any] | None = None,
    answers: dict[str, Any] | None = None,
) -> tuple[BoardAsk, ...]:
    """Two or three things to ask the board for, chosen by diagnosis and level.

    Among the asks whose `when` holds: those tied to the plan's diagnosis first,
    then those written for a situation (a `when`, no diagnosis), then the general
    ones (neither), each group in playbook order. Asks tied only to other
    diagnoses are left out. A manager at level 1–2 gets two (a short list gets a
    yes); from level 3 on, three.
    """
    facts = {**plan.facts, **(facts or {})}
    ctx = make_context(answers or {}, result, facts)
    diag = plan.diagnosis.id if plan.diagnosis else None
    fitting = [a for a in playbook.board_asks if evaluate(a.when, ctx)]
    first = [a for a in fitting if diag and diag in a.diagnoses]
    situational = [a for a in fitting if not a.diagnoses and a.when is not None]
    general = [a for a in fitting if not a.diagnoses and a.when is None]
    count = 2 if (result.overall_level or 1) <= 2 else 3
    chosen = first + situational + general
    return tuple(chosen[:count])


def open_steps(plan: Plan, states: dict[str, Any]) -> list[Step]:
    """Steps still to do (todo or doing), highest priority first: 'where to start' as of today."""

    def state_of(step: Step) -> str:
        status = states.get(step.id)
        return getattr(status, "state", status) or "todo"

    return sorted(
        (s for s in plan.steps if state_of(s) in ("todo", "doing")), key=lambda s: s.order
    )
