"""Semantic checks of the coaching judgement: goals and their baselines, diagnoses,
sequence rules, pacing and board asks.
"""

from __future__ import annotations

from typing import Any

from coach.playbook.actions import check_cycles
from coach.playbook.structure import Checker, as_list, as_map, as_seq, is_number, items
from coach.yamlsafe import Map


def check_goals(checker: Checker, doc: Map, dims: dict[str, Map]) -> dict[str, Map]:
    goals = checker.check_ids(items(doc, "goals"), "goal")
    for goal in goals.values():
        checker.check_dimension(goal, dims)
    return goals


def check_coaching(checker: Checker, doc: Map, dims: dict[str, Map], refs: dict[str, Any]) -> None:
    actions = {a["id"]: a for _, a in items(doc, "actions") if isinstance(a.get("id"), str)}
    _check_goal_coaching(checker, doc, refs)
    _check_diagnoses(checker, doc, dims, refs, actions)
    extra = _check_sequence(checker, doc, actions, refs)
    check_cycles(checker, actions, extra)
    _check_pacing(checker, doc)
    _check_board_asks(checker, doc, refs)


def _check_goal_coaching(checker: Checker, doc: Map, refs: dict[str, Any]) -> None:
    questions: dict[str, Map] = refs["questions"]
    for _, goal in items(doc, "goals"):
        base = goal.get("baseline")
        if isinstance(base, Map) and isinstance(base.get("question"), str):
            _check_baseline(checker, base, questions)
        ceiling = goal.get("ceiling")
        if isinstance(ceiling, Map):
            _check_ceiling(checker, goal, ceiling)
        checker.check_limit(goal, "max_change", "positive")
        checker.check_condition(goal, "tracked_when", refs)
        quoted = goal.get("quotes")
        if isinstance(quoted, str):
            q = questions.get(quoted)
            if q is None or q.get("type") != "text":
                checker.add(goal.line_of("quotes"), "quotes_text_question", id=quoted)


def _check_baseline(checker: Checker, base: Map, questions: dict[str, Map]) -> None:
    """A goal's baseline reads a number question, or a choice question through `values`."""
    q = questions.get(base["question"])
    if q is None:
        checker.add(base.line_of("question"), "unknown_question", id=base["question"])
    elif q.get("type") in ("single", "multiple"):
        options = {
            o.get("id")
            for o in as_list(q.get("options"))
            if isinstance(o, Map) and not isinstance(o.get("id"), dict | list)
        }
        values = as_map(base.get("values"))
        if not values:
            checker.add(base.line, "baseline_needs_values", id=q.get("id"))
        for key in values:
            if key not in options:
                checker.add(values.line_of(key), "cond.unknown_option", id=q.get("id"), option=key)
    elif q.get("type") != "number":
        checker.add(base.line_of("question"), "baseline_question_type", id=q.get("id"))


def _check_ceiling(checker: Checker, goal: Map, ceiling: Map) -> None:
    """A ceiling belongs to an at-least goal, and its range runs low to high."""
    if goal.get("direction") != "at_least":
        checker.add(ceiling.line, "ceiling_at_least")
    low, high = ceiling.get("low"), ceiling.get("high")
    if is_number(low) and is_number(high) and low > high:
        checker.add(ceiling.line_of("low"), "low_above_high")


def _check_diagnoses(
    checker: Checker, doc: Map, dims: dict[str, Map], refs: dict[str, Any], actions: dict[str, Map]
) -> None:
    checker.check_ids(items(doc, "diagnoses"), "diagnosis")
    for _, diag in items(doc, "diagnoses"):
        checker.check_dimension(diag, dims)
        checker.check_condition(diag, "when", refs)
        checker.check_known(diag, "actions", actions, "unknown_action")


def resolve(entry: Any, actions: dict[str, Any], tags: dict[str, set[str]]) -> set[str] | None:
    """An action id, or "tag:x" (every action tagged x); None when it names nothing."""
    if not isinstance(entry, str):
        return None
    if entry.startswith("tag:"):
        return tags.get(entry[4:]) or None
    return {entry} if entry in actions else None


def action_tags(actions: dict[str, Any]) -> dict[str, set[str]]:
    """Tag -> the ids of the actions that carry it."""
    tags: dict[str, set[str]] = {}
    for aid, action in actions.items():
        for tag in as_list(action.get("tags")):
            if isinstance(tag, str):
                tags.setdefault(tag, set()).add(aid)
    return tags


def _check_sequence(
    checker: Checker, doc: Map, actions: dict[str, Map], refs: dict[str, Any]
) -> dict[str, set[str]]:
    """Validate the rules; the edges they add (then-action -> first-actions), for the cycle check.

    A rule with a `when` still counts for the cycle check: it may hold for some manager.
    """
    checker.check_ids(items(doc, "sequence"), "sequence rule")
    tags = action_tags(actions)
    extra: dict[str, set[str]] = {}
    for _, rule in items(doc, "sequence"):
        checker.check_condition(rule, "when", refs)
        found: dict[str, set[str]] = {}
        for key in ("first", "then"):
            entries = as_seq(rule.get(key))
            found[key] = set()
            for index, entry in enumerate(entries):
                ids = resolve(entry, actions, tags)
                if ids is None:
                    checker.add(entries.line_of(index), "unknown_sequence_entry", value=entry)
                else:
                    found[key] |= ids
        for then in found["then"]:
            extra.setdefault(then, set()).update(found["first"] - {then})
    return extra


def _check_pacing(checker: Checker, doc: Map) -> None:
    pacing = doc.get("pacing")
    if not isinstance(pacing, Map):
        return
    checker.check_limit(pacing, "habit_share", "share")
    for key in ("habit_gap_weeks", "first_month_limit"):
        checker.check_limit(pacing, key, "count")
    for key in ("max_plan_weeks", "quick_win_hours"):
        checker.check_limit(pacing, key, "positive")


def _check_board_asks(checker: Checker, doc: Map, refs: dict[str, Any]) -> None:
    checker.check_ids(items(doc, "board_asks"), "board ask")
    known = {
        d.get("id") for _, d in items(doc, "diagnoses") if not isinstance(d.get("id"), dict | list)
    }
    for _, ask in items(doc, "board_asks"):
        checker.check_condition(ask, "when", refs)
        checker.check_known(ask, "diagnoses", known, "unknown_diagnosis")
