"""Semantic checks of the actions: references, habits, replacements, dependency cycles."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from coach import conditions
from coach.playbook.structure import Checker, as_list, as_seq, items
from coach.yamlsafe import Map, Seq


def check_actions(
    checker: Checker, doc: Map, dims: dict[str, Map], refs: dict[str, Any], goals: dict[str, Map]
) -> None:
    actions = checker.check_ids(items(doc, "actions"), "action")
    for _, action in items(doc, "actions"):
        _check_action(checker, action, dims, refs, goals, actions)
        _check_habit(checker, action)
        _check_replaces(checker, action, actions)


def _check_action(
    checker: Checker,
    a: Map,
    dims: dict[str, Map],
    refs: dict[str, Any],
    goals: dict[str, Map],
    actions: dict[str, Map],
) -> None:
    checker.check_dimension(a, dims)
    checker.check_limit(a, "level", "level")
    checker.check_limit(a, "effort_hours", "positive")
    checker.check_limit(a, "duration_weeks", "weeks")
    deps = as_seq(a.get("depends_on"))
    for index, dep in enumerate(deps):
        if isinstance(dep, str) and dep not in actions:
            checker.add(deps.line_of(index), "unknown_action", id=dep)
        elif dep == a.get("id"):
            checker.add(deps.line_of(index), "self_dependency")
    for setting in as_list(a.get("sets_goals")):
        if (
            isinstance(setting, Map)
            and isinstance(setting.get("goal"), str)
            and setting["goal"] not in goals
        ):
            checker.add(setting.line_of("goal"), "unknown_goal", id=setting["goal"])
    for key in ("when", "unless"):
        checker.check_condition(a, key, refs)
    if not conditions.satisfiable(a.get("when"), refs["questions"]) or conditions.tautology(
        a.get("unless")
    ):
        checker.add(a.line_of("when") if "when" in a else a.line, "never_triggers", id=a.get("id"))


def _check_habit(checker: Checker, a: Map) -> None:
    """A habit has a recurrence (an RRULE dateutil can expand) and a weekly cost; a one-off has neither."""
    if a.get("kind") == "habit":
        for key in ("recurrence", "habit_hours"):
            if key not in a:
                checker.add(a.line, "habit_needs", id=a.get("id"), key=key)
        checker.check_limit(a, "habit_hours", "positive")
    else:
        for key in ("recurrence", "habit_hours"):
            if key in a:
                checker.add(a.line_of(key), "once_no_habit_field", key=key)
    rule = a.get("recurrence")
    if isinstance(rule, str) and rrule_problem(rule):
        checker.add(a.line_of("recurrence"), "bad_rrule", value=rule)


def _check_replaces(checker: Checker, a: Map, actions: dict[str, Map]) -> None:
    """Only a habit replaces, and only other habits of the playbook."""
    replaced = as_seq(a.get("replaces"))
    if replaced and a.get("kind") != "habit":
        checker.add(a.line_of("replaces"), "replaces_needs_habit", id=a.get("id"))
    for index, rid in enumerate(replaced):
        if not isinstance(rid, str):
            continue
        other = actions.get(rid)
        if other is None:
            checker.add(replaced.line_of(index), "unknown_action", id=rid)
        elif other.get("kind") != "habit" or rid == a.get("id"):
            checker.add(replaced.line_of(index), "replaces_habit_only", id=rid)


def rrule_problem(text: str) -> bool:
    """True when `text` is not an RRULE python-dateutil expands to dated occurrences."""
    from dateutil.rrule import rrulestr

    if not re.match(r"^FREQ=(DAILY|WEEKLY|MONTHLY)(;[A-Z]+=[A-Z0-9,+-]+)*$", text):
        return True
    # A playbook's RRULE is floating wall-clock time (the planner expands it the same
    # way): a naive start on a known Monday, tried from the day before.
    monday = datetime.combine(date(2026, 1, 5), time())
    try:
        rule = rrulestr(text, dtstart=monday)
        return rule.after(monday - timedelta(days=1)) is None
    except (ValueError, TypeError):
        return True


def _deps(action: Map) -> list[str]:
    deps = action.get("depends_on")
    return [d for d in deps if isinstance(d, str)] if isinstance(deps, Seq) else []


def check_cycles(
    checker: Checker, actions: dict[str, Map], extra: dict[str, set[str]] | None = None
) -> None:
    """Name each dependency cycle once, at the line of its first action.

    `extra` adds the edges sequence rules make (action -> the actions it comes after).
    """
    graph = {aid: [d for d in _deps(a) if d in actions and d != aid] for aid, a in actions.items()}
    for aid, more in (extra or {}).items():
        graph[aid] = graph.get(aid, []) + sorted(
            d for d in more if d != aid and d not in graph[aid]
        )
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        trail.append(node)
        for dep in graph[node]:
            if state.get(dep) == 1:
                cycle = [*trail[trail.index(dep) :], dep]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    first = actions[cycle[0]]
                    checker.add(first.line_of("depends_on"), "cycle", cycle=" -> ".join(cycle))
            elif dep not in state:
                visit(dep, trail)
        trail.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])
