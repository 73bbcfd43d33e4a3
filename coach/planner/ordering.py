"""Which actions trigger for a manager, and in what order they come.

Dependencies and `sequence` rules first (listen before posting, the "never say"
list before the first post...); among the steps free to start, the diagnosis's
actions, then the weakest dimensions, the foundations (lower levels) and the
quick wins. The priority of the other actions is

    dimension score + 25 x (action level - 1) - 15 if it is a quick win

(lower first; ties keep the playbook's order), so the plan is stable and deterministic.
"""

from __future__ import annotations

import heapq
from typing import Any

from coach.conditions import Context, check_and_explain, evaluate
from coach.model import Action, AssessmentResult, Playbook, SequenceRule

# For each action, the actions a sequence rule puts first, with that rule.
Edges = dict[str, list[tuple[str, SequenceRule]]]


def make_context(
    answers: dict[str, Any], result: AssessmentResult, facts: dict[str, Any]
) -> Context:
    """What conditions see: the answers to the questions shown, the facts and the scores."""
    visible = set(result.visible_questions)
    return Context(
        answers={k: v for k, v in answers.items() if k in visible}, facts=facts, result=result
    )


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


def sequence_edges(playbook: Playbook, present: set[str], ctx: Context | None = None) -> Edges:
    """For each present action, the present actions that must come first, with the rule.

    A rule with a `when` applies only to the managers it holds for (`ctx`).
    """
    edges: Edges = {}
    for rule in playbook.sequence:
        if rule.when is not None and (ctx is None or not evaluate(rule.when, ctx)):
            continue
        firsts = [a for a in rule.first if a in present]
        if not firsts:
            continue
        for then in rule.then:
            if then in present:
                edges.setdefault(then, []).extend((f, rule) for f in firsts if f != then)
    return edges


def must_follow(action: Action, present: set[str], edges: Edges) -> list[str]:
    deps = [d for d in action.depends_on if d in present]
    deps += [f for f, _ in edges.get(action.id, ()) if f not in deps]
    return deps


def order_actions(
    actions: list[Action],
    result: AssessmentResult,
    edges: Edges | None = None,
    first: tuple[str, ...] = (),
) -> list[Action]:
    """Topological order (dependencies and sequence rules first), best priority among the ready.

    The diagnosis's actions (`first`, in their order) come before everything else.
    """
    present = {a.id for a in actions}
    edges = edges or {}
    waiting = {a.id: set(must_follow(a, present, edges)) for a in actions}
    by_id = {a.id: a for a in actions}
    dependants: dict[str, list[str]] = {a.id: [] for a in actions}
    for aid, deps in waiting.items():
        for dep in deps:
            dependants[dep].append(aid)
    keys: dict[str, tuple[float, ...]] = {
        a.id: (1, *priority(a, result, i), 0) for i, a in enumerate(actions)
    }
    # The diagnosis's actions lead, in their order; what must come before one of them
    # (a dependency, a sequence rule) leads with it, just ahead.
    ranked: set[str] = set()
    for rank, aid in enumerate(a for a in first if a in present):
        stack, depth = [(aid, 0)], dict[str, int]()
        while stack:
            node, level = stack.pop()
            if node in ranked or depth.get(node, -1) >= level:
                continue
            depth[node] = level
            stack.extend((d, level + 1) for d in waiting.get(node, ()))
        for node, level in depth.items():
            keys[node] = (0, rank, -level, 0.0, 0, 0)
        ranked.update(depth)
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
