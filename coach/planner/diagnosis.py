"""The manager's central issue: the first playbook `diagnoses` rule that holds.

Its actions lead the plan, in their order.
"""

from __future__ import annotations

from coach.conditions import Context, check_and_explain
from coach.model import Action, AssessmentResult, Diagnosis, DiagnosisRule, Playbook
from coach.planner.ordering import Edges, order_actions, sequence_edges
from coach.planner.reasons import merge_reasons


def diagnose(
    playbook: Playbook, ctx: Context, lang: str
) -> tuple[DiagnosisRule | None, Diagnosis | None]:
    """The first diagnosis rule (playbook order) that holds: the manager's central issue."""
    for rule in playbook.diagnoses:
        holds, reasons = check_and_explain(rule.when, ctx, playbook, lang)
        if holds:
            why = (*merge_reasons(reasons, lang), rule.why.get(lang))
            return rule, Diagnosis(rule.id, rule.dimension, rule.title.get(lang), why)
    return None, None


def diagnosed_order(
    playbook: Playbook,
    ctx: Context,
    result: AssessmentResult,
    lang: str,
    reasons: dict[str, tuple[str, ...]],
) -> tuple[Diagnosis | None, Edges, list[Action]]:
    """The diagnosis, the sequence rules' edges and the triggered actions in plan order."""
    rule, diagnosis = diagnose(playbook, ctx, lang)
    edges = sequence_edges(playbook, set(reasons), ctx)
    triggered_actions = [a for aid in reasons if (a := playbook.action(aid)) is not None]
    actions = order_actions(triggered_actions, result, edges, rule.actions if rule else ())
    return diagnosis, edges, actions
