"""Load and validate a playbook YAML into typed objects.

`validate_file` lists every problem in a file at once, each with its line;
`load_playbook` returns a `Playbook` or raises `PlaybookInvalid`. The shape of
a playbook is written once, in `SPEC`, and serves both the validator and the
JSON Schema editors use for completion (`json_schema()`).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeGuard, TypeVar

from coach import conditions
from coach.errors import CoachError
from coach.i18n import t
from coach.model import (
    METRICS,
    Action,
    Band,
    Baseline,
    BoardAsk,
    Ceiling,
    DiagnosisRule,
    Dimension,
    Goal,
    GoalSetting,
    HoursLimit,
    Level,
    Option,
    Pacing,
    Playbook,
    Question,
    Resource,
    SequenceRule,
    Source,
    Text,
)
from coach.pulse.definition import parse_pulse, pulse_schema_defs
from coach.review import rules as review_rules
from coach.review.rules import kind_word
from coach.typography import typeset
from coach.yamlsafe import Map, Seq, YamlProblem, load_file

_T = TypeVar("_T")
PLAYBOOKS_DIR = Path(__file__).resolve().parent.parent / "playbooks"
DEFAULT_PLAYBOOK = "executive-presence"
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
QUESTION_TYPES = ("single", "multiple", "scale", "number", "yesno", "text")
DIRECTIONS = ("at_least", "at_most")
LANGS = ("fr", "en")

# Field kinds: "id", "str", "int", "number", "bool", "text" (bilingual), "condition",
# "targets" (level -> number), "enum:a|b", "list:<kind or object>", "object:<name>".
SPEC: dict[str, dict[str, tuple[str, bool]]] = {
    "playbook": {
        "id": ("id", True),
        "version": ("str", True),
        "languages": ("languages", True),
        "title": ("text", True),
        "description": ("text", True),
        "sources": ("list:source", False),
        "levels": ("list:level", True),
        "dimensions": ("list:dimension", True),
        "questions": ("list:question", True),
        "actions": ("list:action", True),
        "goals": ("list:goal", True),
        "diagnoses": ("list:diagnosis", False),
        "sequence": ("list:sequence_rule", False),
        "pacing": ("pacing", False),
        "board_asks": ("list:board_ask", False),
        "pulse": ("pulse", False),  # checked by coach/pulse/definition.py
        "reviews": ("reviews", False),  # checked by coach.review.rules.parse
    },
    "source": {
        "id": ("id", True),
        "title": ("str", True),
        "year": ("int", True),
        "url": ("str", False),
        "measured": ("text", False),
    },
    "level": {
        "level": ("int", True),
        "name": ("text", True),
        "description": ("text", True),
        "min_score": ("number", True),
    },
    "dimension": {
        "id": ("id", True),
        "title": ("text", True),
        "description": ("text", True),
        "weight": ("number", False),
    },
    "question": {
        "id": ("id", True),
        "dimension": ("id", True),
        "type": ("enum:" + "|".join(QUESTION_TYPES), True),
        "text": ("text", True),
        "help": ("text", False),
        "weight": ("number", False),
        "show_if": ("condition", False),
        "options": ("list:option", False),
        "unit": ("text", False),
        "min": ("number", False),
        "max": ("number", False),
        "bands": ("list:band", False),
        "scale_labels": ("list:text", False),
        "reverse": ("bool", False),
        "score_yes": ("number", False),
        "score_no": ("number", False),
        "reason_yes": ("text", False),
        "reason_no": ("text", False),
        "scored": ("bool", False),
    },
    "option": {
        "id": ("id", True),
        "label": ("text", True),
        "score": ("number", False),
        "reason": ("text", False),
    },
    "band": {"min": ("number", False), "max": ("number", False), "score": ("number", True)},
    "action": {
        "id": ("id", True),
        "dimension": ("id", True),
        "level": ("int", True),
        "title": ("text", True),
        "why": ("text", True),
        "how": ("list:text", True),
        "effort_hours": ("number", True),
        "duration_weeks": ("int", True),
        "starter": ("text", True),
        "quick_win": ("bool", False),
        "depends_on": ("list:id", False),
        "when": ("condition", False),
        "unless": ("condition", False),
        "sets_goals": ("list:goal_setting", False),
        "resources": ("list:resource", False),
        "kind": ("enum:once|habit", False),
        "recurrence": ("str", False),
        "habit_hours": ("number", False),
        "tags": ("list:id", False),
        "replaces": ("list:id", False),
    },
    "goal_setting": {
        "goal": ("id", True),
        "target": ("number", False),
        "delay_weeks": ("int", False),
        "from_end": ("bool", False),
    },
    "resource": {"title": ("text", True), "url": ("str", False)},
    "goal": {
        "id": ("id", True),
        "title": ("text", True),
        "description": ("text", True),
        "metric": ("enum:" + "|".join(METRICS), True),
        "unit": ("text", True),
        "direction": ("enum:" + "|".join(DIRECTIONS), True),
        "dimension": ("id", False),
        "targets": ("targets", True),
        "baseline": ("baseline", False),
        "max_change": ("number", False),
        "max_change_why": ("text", False),
        "ceiling": ("ceiling", False),
        "hours_limits": ("list:hours_limit", False),
        "only_with_step": ("bool", False),
        "quotes": ("id", False),
        "tracked_when": ("condition", False),
    },
    "baseline": {"question": ("id", True), "values": ("number_map", False)},
    "ceiling": {
        "above": ("number", True),
        "low": ("number", True),
        "high": ("number", True),
        "why": ("text", True),
    },
    "hours_limit": {
        "hours_below": ("number", True),
        "target": ("number", True),
        "why": ("text", True),
    },
    "diagnosis": {
        "id": ("id", True),
        "dimension": ("id", True),
        "when": ("condition", True),
        "title": ("text", True),
        "why": ("text", True),
        "actions": ("list:id", True),
    },
    "sequence_rule": {
        "id": ("id", True),
        "first": ("list:str", True),
        "then": ("list:str", True),
        "why": ("text", True),
        "when": ("condition", False),
    },
    "pacing": {
        "habit_gap_weeks": ("int", False),
        "habit_share": ("number", False),
        "first_month_limit": ("int", False),
        "first_month_hours": ("number", False),
        "why_gap": ("text", False),
        "why_first_month": ("text", False),
        "quick_win_hours": ("number", False),
        "max_plan_weeks": ("int", False),
    },
    "board_ask": {
        "id": ("id", True),
        "when": ("condition", False),
        "diagnoses": ("list:id", False),
        "text": ("text", True),
        "why": ("text", True),
    },
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a playbook file, at a line."""

    path: str
    line: int
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        params = {k: _localise(v, lang) for k, v in self.params.items()}
        return f"{self.path}:{self.line}: {t('engine.problem.' + self.key, lang, **params)}"


def _localise(value: Any, lang: str) -> Any:
    """Values such as '@kind.text' are catalogue words, shown in the reader's language."""
    if isinstance(value, str) and value.startswith("@"):
        return t("engine." + value[1:], lang)
    return value


class PlaybookInvalid(CoachError):
    """A playbook that cannot be loaded; `.problems` lists every reason."""

    def __init__(self, path: str, problems: list[Problem], /) -> None:
        super().__init__("engine.playbook.invalid", path=path, count=len(problems))
        self.path = path
        self.problems = problems

    def message(self, lang: str) -> str:
        return "\n".join(p.render(lang) for p in self.problems)


# ---- structural checks (driven by SPEC) ---------------------------------------------------------


class _Checker(review_rules.ProblemList):
    """The structural checks SPEC drives; problems collect as for every section."""

    def check_object(self, value: Any, name: str, line: int, where: str) -> bool:
        if not isinstance(value, Map):
            self.add(
                getattr(value, "line", 0) or line, "not_mapping", where=where, got=kind_word(value)
            )
            return False
        spec = SPEC[name]
        self.add_unknown_keys(value, spec, value.line, where)
        for key, (kind, required) in spec.items():
            if key not in value:
                if required:
                    self.add(value.line, "missing_key", key=key, where=where)
                continue
            self.check_value(value[key], kind, value.line_of(key), f"{where}.{key}")
        return True

    def check_value(self, value: Any, kind: str, line: int, where: str) -> None:
        if kind.startswith("list:"):
            if not isinstance(value, Seq):
                self.add(line, "expect_list", where=where, got=kind_word(value))
                return
            for index, item in enumerate(value):
                item_line = value.line_of(index) if hasattr(value, "line_of") else line
                label = (
                    item.get("id")
                    if isinstance(item, Map) and isinstance(item.get("id"), str)
                    else index + 1
                )
                self.check_value(item, kind[5:], item_line, f"{where}[{label}]")
        elif kind in SPEC:
            self.check_object(value, kind, line, where)
        elif kind.startswith("enum:"):
            choices = kind[5:].split("|")
            if value not in choices:
                self.add(line, "bad_enum", where=where, value=value, allowed=", ".join(choices))
        else:
            self.check_scalar(value, kind, line, where)

    def check_scalar(self, value: Any, kind: str, line: int, where: str) -> None:
        if kind == "text":
            self.check_text(value, line, where)
        elif kind == "targets":
            self.check_targets(value, line, where)
        elif kind == "number_map":
            self.check_number_map(value, line, where)
        elif kind in _SCALARS:
            holds, problem, names = _SCALARS[kind]
            if not holds(value):
                params = {"value": value} if names == "value" else {"got": kind_word(value)}
                self.add(line, problem, where=where, **(params if names else {}))
        # "condition" is checked later, with the references at hand

    def check_number_map(self, value: Any, line: int, where: str) -> None:
        if not isinstance(value, Map):
            self.add(line, "expect_number_map", where=where)
            return
        for key in value:
            if not _is_number(value[key]):
                self.add(
                    value.line_of(key),
                    "expect_number",
                    where=f"{where}.{key}",
                    got=kind_word(value[key]),
                )

    def check_text(self, value: Any, line: int, where: str) -> None:
        if not isinstance(value, Map):
            self.add(line, "expect_text", where=where, got=kind_word(value))
            return
        line = value.line or line
        for lang in LANGS:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.add(line, "missing_translation", where=where, lang=lang)
        for key in value:
            if key not in LANGS:
                self.add(value.line_of(key), "unknown_language", where=where, key=key)

    def check_targets(self, value: Any, line: int, where: str) -> None:
        if not isinstance(value, Map):
            self.add(line, "expect_targets", where=where)
            return
        for key in value:
            level = _level_key(key)
            if level is None:
                self.add(value.line_of(key), "bad_target_level", where=where, key=key)
            elif not _is_number(value[key]) or value[key] < 0:
                self.add(value.line_of(key), "bad_target", where=where, key=key)
        present = {_level_key(k) for k in value}
        missing = [str(n) for n in range(1, 6) if n not in present]
        if missing:
            self.add(value.line, "missing_targets", where=where, levels=", ".join(missing))


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and re.match(ID_PATTERN, value) is not None


def _is_str(value: Any) -> bool:
    """Text, or a number written where text is expected (YAML reads 2026 as a number)."""
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_languages(value: Any) -> bool:
    return isinstance(value, list) and sorted(map(str, value)) == sorted(LANGS)


# Scalar kinds: (does the value fit?, the problem when not, what the problem names:
# "value" the value itself, "got" the kind found, "" nothing).
_SCALARS: dict[str, tuple[Callable[[Any], bool], str, str]] = {
    "id": (_is_id, "bad_id", "value"),
    "str": (_is_str, "expect_str", "got"),
    "int": (_is_int, "expect_int", "got"),
    "number": (lambda v: _is_number(v), "expect_number", "got"),
    "bool": (lambda v: isinstance(v, bool), "expect_bool", "got"),
    "languages": (_is_languages, "bad_languages", ""),
}


def _level_key(key: Any) -> int | None:
    """Target keys are levels 1..5, written 1 or "1"."""
    if isinstance(key, str) and key.isdigit():
        key = int(key)
    return key if isinstance(key, int) and not isinstance(key, bool) and 1 <= key <= 5 else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _seq(value: Any) -> Seq:
    """`value` when it is a list read from the file, else an empty one."""
    return value if isinstance(value, Seq) else Seq()


def _map(value: Any) -> Map:
    """`value` when it is a mapping read from the file, else an empty one."""
    return value if isinstance(value, Map) else Map()


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# ---- semantic checks ----------------------------------------------------------------------------


def _items(doc: Map, key: str) -> list[tuple[int, Map]]:
    """(line, mapping) for the well-formed entries of a top-level list."""
    value = doc.get(key)
    if not isinstance(value, Seq):
        return []
    return [(value.line_of(i), item) for i, item in enumerate(value) if isinstance(item, Map)]


def _check_ids(checker: _Checker, entries: list[tuple[int, Map]], what: str) -> dict[str, Map]:
    seen: dict[str, Map] = {}
    for _line, entry in entries:
        eid = entry.get("id")
        if not isinstance(eid, str):
            continue
        if eid in seen:
            checker.add(
                entry.line_of("id"),
                "duplicate_id",
                what=what,
                id=eid,
                first=seen[eid].line_of("id"),
            )
        else:
            seen[eid] = entry
    return seen


def _check_levels(checker: _Checker, doc: Map) -> None:
    levels = _items(doc, "levels")
    numbers = [e.get("level") for _, e in levels]
    if isinstance(doc.get("levels"), Seq) and sorted(n for n in numbers if isinstance(n, int)) != [
        1,
        2,
        3,
        4,
        5,
    ]:
        checker.add(doc.line_of("levels"), "five_levels")
    previous = None
    for _, entry in sorted(levels, key=lambda e: _level_number(e[1])):
        score = entry.get("min_score")
        if not _is_number(score):
            continue
        if not 0 <= score <= 100:
            checker.add(entry.line_of("min_score"), "min_score_range")
        if entry.get("level") == 1 and score != 0:
            checker.add(entry.line_of("min_score"), "level_one_zero")
        if previous is not None and score <= previous:
            checker.add(entry.line_of("min_score"), "min_score_order")
        previous = score


def _level_number(entry: Map) -> int:
    """A level entry's number, 0 when it is not a whole number (to sort them)."""
    level = entry.get("level")
    return level if isinstance(level, int) else 0


def _check_question(
    checker: _Checker,
    q: Map,
    dims: dict[str, Map],
    questions_so_far: set[str],
    refs: dict[str, Any],
) -> None:
    if isinstance(q.get("dimension"), str) and q["dimension"] not in dims:
        checker.add(q.line_of("dimension"), "unknown_dimension", id=q["dimension"])
    qtype = q.get("type")
    _check_options(checker, q, qtype)
    for key in ("score_yes", "score_no"):
        if _is_number(q.get(key)) and not 0 <= q[key] <= 1:
            checker.add(q.line_of(key), "score_range")
    if qtype == "number":
        _check_number_question(checker, q)
    if qtype == "scale" and "scale_labels" in q and len(_list(q.get("scale_labels"))) != 5:
        checker.add(q.line_of("scale_labels"), "five_scale_labels")
    if _is_number(q.get("weight")) and q["weight"] <= 0:
        checker.add(q.line_of("weight"), "positive", key="weight")
    if "show_if" in q:
        qid = q.get("id")
        checker.add_conditions(
            conditions.check(
                q["show_if"],
                refs,
                allow_scores=False,
                line=q.line_of("show_if"),
                before=lambda ref: ref in questions_so_far and ref != qid,
            )
        )


def _check_options(checker: _Checker, q: Map, qtype: Any) -> None:
    """Choice questions need two options or more, with scores from 0 to 1; others, none."""
    options = _seq(q.get("options"))
    if qtype in ("single", "multiple"):
        if len(options) < 2:
            checker.add(q.line, "need_options", id=q.get("id"))
        if q.get("scored", True):
            for option in options:
                if isinstance(option, Map) and "score" not in option:
                    checker.add(
                        option.line, "missing_key", key="score", where=f"option {option.get('id')}"
                    )
        _check_ids(checker, [(0, o) for o in options if isinstance(o, Map)], "option")
    elif "options" in q:
        checker.add(q.line_of("options"), "options_not_allowed", type=qtype)
    for option in options:
        if (
            isinstance(option, Map)
            and _is_number(option.get("score"))
            and not 0 <= option["score"] <= 1
        ):
            checker.add(option.line_of("score"), "score_range")


def _check_number_question(checker: _Checker, q: Map) -> None:
    for key in ("unit", "min", "max"):
        if key not in q:
            checker.add(q.line, "number_needs", key=key, id=q.get("id"))
    if _is_number(q.get("min")) and _is_number(q.get("max")) and q["min"] >= q["max"]:
        checker.add(q.line_of("max"), "min_below_max")
    for band in _list(q.get("bands")):
        if isinstance(band, Map) and _is_number(band.get("score")) and not 0 <= band["score"] <= 1:
            checker.add(band.line_of("score"), "score_range")


def _check_actions(
    checker: _Checker, doc: Map, dims: dict[str, Map], refs: dict[str, Any], goals: dict[str, Map]
) -> None:
    actions = _check_ids(checker, _items(doc, "actions"), "action")
    for _, action in _items(doc, "actions"):
        _check_action(checker, action, dims, refs, goals, actions)
        _check_habit(checker, action)
        _check_replaces(checker, action, actions)


def _check_action(
    checker: _Checker,
    a: Map,
    dims: dict[str, Map],
    refs: dict[str, Any],
    goals: dict[str, Map],
    actions: dict[str, Map],
) -> None:
    if isinstance(a.get("dimension"), str) and a["dimension"] not in dims:
        checker.add(a.line_of("dimension"), "unknown_dimension", id=a["dimension"])
    if isinstance(a.get("level"), int) and not 1 <= a["level"] <= 5:
        checker.add(a.line_of("level"), "level_range")
    if _is_number(a.get("effort_hours")) and a["effort_hours"] <= 0:
        checker.add(a.line_of("effort_hours"), "positive", key="effort_hours")
    if isinstance(a.get("duration_weeks"), int) and a["duration_weeks"] < 1:
        checker.add(a.line_of("duration_weeks"), "positive", key="duration_weeks")
    deps = _seq(a.get("depends_on"))
    for index, dep in enumerate(deps):
        if isinstance(dep, str) and dep not in actions:
            checker.add(deps.line_of(index), "unknown_action", id=dep)
        elif dep == a.get("id"):
            checker.add(deps.line_of(index), "self_dependency")
    for setting in _list(a.get("sets_goals")):
        if (
            isinstance(setting, Map)
            and isinstance(setting.get("goal"), str)
            and setting["goal"] not in goals
        ):
            checker.add(setting.line_of("goal"), "unknown_goal", id=setting["goal"])
    for key in ("when", "unless"):
        if key in a:
            checker.add_conditions(
                conditions.check(a[key], refs, allow_scores=True, line=a.line_of(key))
            )
    if not conditions.satisfiable(a.get("when"), refs["questions"]) or conditions.tautology(
        a.get("unless")
    ):
        checker.add(a.line_of("when") if "when" in a else a.line, "never_triggers", id=a.get("id"))


def _check_habit(checker: _Checker, a: Map) -> None:
    """A habit has a recurrence (an RRULE dateutil can expand) and a weekly cost; a one-off has neither."""
    if a.get("kind") == "habit":
        for key in ("recurrence", "habit_hours"):
            if key not in a:
                checker.add(a.line, "habit_needs", id=a.get("id"), key=key)
        if _is_number(a.get("habit_hours")) and a["habit_hours"] <= 0:
            checker.add(a.line_of("habit_hours"), "positive", key="habit_hours")
    else:
        for key in ("recurrence", "habit_hours"):
            if key in a:
                checker.add(a.line_of(key), "once_no_habit_field", key=key)
    rule = a.get("recurrence")
    if isinstance(rule, str) and _rrule_problem(rule):
        checker.add(a.line_of("recurrence"), "bad_rrule", value=rule)


def _check_replaces(checker: _Checker, a: Map, actions: dict[str, Map]) -> None:
    """Only a habit replaces, and only other habits of the playbook."""
    replaced = _seq(a.get("replaces"))
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


def _rrule_problem(text: str) -> bool:
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


def _check_cycles(
    checker: _Checker, actions: dict[str, Map], extra: dict[str, set[str]] | None = None
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


def _check_goals(checker: _Checker, doc: Map, dims: dict[str, Map]) -> dict[str, Map]:
    goals = _check_ids(checker, _items(doc, "goals"), "goal")
    for goal in goals.values():
        if isinstance(goal.get("dimension"), str) and goal["dimension"] not in dims:
            checker.add(goal.line_of("dimension"), "unknown_dimension", id=goal["dimension"])
    return goals


# ---- coaching judgement: goals' baselines, diagnoses, sequence rules, pacing, board asks --------


def _check_coaching(
    checker: _Checker, doc: Map, dims: dict[str, Map], refs: dict[str, Any]
) -> None:
    actions = {a["id"]: a for _, a in _items(doc, "actions") if isinstance(a.get("id"), str)}
    _check_goal_coaching(checker, doc, refs)
    _check_diagnoses(checker, doc, dims, refs, actions)
    extra = _check_sequence(checker, doc, actions, refs)
    _check_cycles(checker, actions, extra)
    _check_pacing(checker, doc)
    _check_board_asks(checker, doc, refs)


def _check_goal_coaching(checker: _Checker, doc: Map, refs: dict[str, Any]) -> None:
    questions: dict[str, Map] = refs["questions"]
    for _, goal in _items(doc, "goals"):
        base = goal.get("baseline")
        if isinstance(base, Map) and isinstance(base.get("question"), str):
            _check_baseline(checker, base, questions)
        ceiling = goal.get("ceiling")
        if isinstance(ceiling, Map):
            _check_ceiling(checker, goal, ceiling)
        if _is_number(goal.get("max_change")) and goal["max_change"] <= 0:
            checker.add(goal.line_of("max_change"), "positive", key="max_change")
        if "tracked_when" in goal:
            checker.add_conditions(
                conditions.check(
                    goal["tracked_when"], refs, allow_scores=True, line=goal.line_of("tracked_when")
                )
            )
        quoted = goal.get("quotes")
        if isinstance(quoted, str):
            q = questions.get(quoted)
            if q is None or q.get("type") != "text":
                checker.add(goal.line_of("quotes"), "quotes_text_question", id=quoted)


def _check_baseline(checker: _Checker, base: Map, questions: dict[str, Map]) -> None:
    """A goal's baseline reads a number question, or a choice question through `values`."""
    q = questions.get(base["question"])
    if q is None:
        checker.add(base.line_of("question"), "unknown_question", id=base["question"])
    elif q.get("type") in ("single", "multiple"):
        options = {o.get("id") for o in _list(q.get("options")) if isinstance(o, Map)}
        values = _map(base.get("values"))
        if not values:
            checker.add(base.line, "baseline_needs_values", id=q.get("id"))
        for key in values:
            if key not in options:
                checker.add(values.line_of(key), "cond.unknown_option", id=q.get("id"), option=key)
    elif q.get("type") != "number":
        checker.add(base.line_of("question"), "baseline_question_type", id=q.get("id"))


def _check_ceiling(checker: _Checker, goal: Map, ceiling: Map) -> None:
    """A ceiling belongs to an at-least goal, and its range runs low to high."""
    if goal.get("direction") != "at_least":
        checker.add(ceiling.line, "ceiling_at_least")
    low, high = ceiling.get("low"), ceiling.get("high")
    if _is_number(low) and _is_number(high) and low > high:
        checker.add(ceiling.line_of("low"), "low_above_high")


def _check_diagnoses(
    checker: _Checker, doc: Map, dims: dict[str, Map], refs: dict[str, Any], actions: dict[str, Map]
) -> None:
    _check_ids(checker, _items(doc, "diagnoses"), "diagnosis")
    for _, diag in _items(doc, "diagnoses"):
        if isinstance(diag.get("dimension"), str) and diag["dimension"] not in dims:
            checker.add(diag.line_of("dimension"), "unknown_dimension", id=diag["dimension"])
        if "when" in diag:
            checker.add_conditions(
                conditions.check(diag["when"], refs, allow_scores=True, line=diag.line_of("when"))
            )
        listed = _seq(diag.get("actions"))
        for index, aid in enumerate(listed):
            if isinstance(aid, str) and aid not in actions:
                checker.add(listed.line_of(index), "unknown_action", id=aid)


def _resolve(entry: Any, actions: dict[str, Map], tags: dict[str, set[str]]) -> set[str] | None:
    """An action id, or "tag:x" (every action tagged x); None when it names nothing."""
    if not isinstance(entry, str):
        return None
    if entry.startswith("tag:"):
        return tags.get(entry[4:]) or None
    return {entry} if entry in actions else None


def _action_tags(actions: dict[str, Map]) -> dict[str, set[str]]:
    tags: dict[str, set[str]] = {}
    for aid, action in actions.items():
        for tag in _list(action.get("tags")):
            if isinstance(tag, str):
                tags.setdefault(tag, set()).add(aid)
    return tags


def _check_sequence(
    checker: _Checker, doc: Map, actions: dict[str, Map], refs: dict[str, Any]
) -> dict[str, set[str]]:
    """Validate the rules; the edges they add (then-action -> first-actions), for the cycle check.

    A rule with a `when` still counts for the cycle check: it may hold for some manager.
    """
    _check_ids(checker, _items(doc, "sequence"), "sequence rule")
    tags = _action_tags(actions)
    extra: dict[str, set[str]] = {}
    for _, rule in _items(doc, "sequence"):
        if "when" in rule:
            checker.add_conditions(
                conditions.check(rule["when"], refs, allow_scores=True, line=rule.line_of("when"))
            )
        found: dict[str, set[str]] = {}
        for key in ("first", "then"):
            entries = _seq(rule.get(key))
            found[key] = set()
            for index, entry in enumerate(entries):
                ids = _resolve(entry, actions, tags)
                if ids is None:
                    checker.add(entries.line_of(index), "unknown_sequence_entry", value=entry)
                else:
                    found[key] |= ids
        for then in found["then"]:
            extra.setdefault(then, set()).update(found["first"] - {then})
    return extra


def _check_pacing(checker: _Checker, doc: Map) -> None:
    pacing = doc.get("pacing")
    if not isinstance(pacing, Map):
        return
    share = pacing.get("habit_share")
    if _is_number(share) and not 0 < share <= 1:
        checker.add(pacing.line_of("habit_share"), "share_range")
    for key in ("habit_gap_weeks", "first_month_limit"):
        if isinstance(pacing.get(key), int) and pacing[key] < 0:
            checker.add(pacing.line_of(key), "positive", key=key)
    for key in ("max_plan_weeks", "quick_win_hours"):
        if _is_number(pacing.get(key)) and pacing[key] <= 0:
            checker.add(pacing.line_of(key), "positive", key=key)


def _check_board_asks(checker: _Checker, doc: Map, refs: dict[str, Any]) -> None:
    _check_ids(checker, _items(doc, "board_asks"), "board ask")
    known = {d.get("id") for _, d in _items(doc, "diagnoses")}
    for _, ask in _items(doc, "board_asks"):
        if "when" in ask:
            checker.add_conditions(
                conditions.check(ask["when"], refs, allow_scores=True, line=ask.line_of("when"))
            )
        listed = _seq(ask.get("diagnoses"))
        for index, did in enumerate(listed):
            if isinstance(did, str) and did not in known:
                checker.add(listed.line_of(index), "unknown_diagnosis", id=did)


def _scored(q: Map) -> bool:
    if q.get("scored") is False or q.get("type") == "text":
        return False
    return q.get("type") != "number" or bool(q.get("bands"))


def check_document(doc: Any, path: str) -> list[Problem]:
    """Every problem in a parsed playbook document."""
    checker = _Checker(path)
    if not checker.check_object(doc, "playbook", 1, "playbook"):
        return checker.problems
    _check_levels(checker, doc)
    dims = _check_ids(checker, _items(doc, "dimensions"), "dimension")
    for dim in dims.values():
        if _is_number(dim.get("weight")) and dim["weight"] <= 0:
            checker.add(dim.line_of("weight"), "positive", key="weight")
    questions = _check_ids(checker, _items(doc, "questions"), "question")
    scored_dims = {
        q.get("dimension")
        for q in questions.values()
        if _scored(q) and isinstance(q.get("dimension"), str)
    }
    refs = {"questions": questions, "dimensions": set(dims), "scored_dimensions": scored_dims}
    seen: set[str] = set()
    for _, question in _items(doc, "questions"):
        _check_question(checker, question, dims, set(seen), refs)
        if isinstance(question.get("id"), str):
            seen.add(question["id"])
    goals = _check_goals(checker, doc, dims)
    _check_actions(checker, doc, dims, refs, goals)
    _check_coaching(checker, doc, dims, refs)
    for p in parse_pulse(doc.get("pulse"), doc.line_of("pulse"))[1]:
        checker.add(p.line, p.key, **p.params)
    checker.problems.extend(review_rules.parse(doc, path)[1])
    return checker.problems


# ---- building typed objects ---------------------------------------------------------------------


def _text(value: Any) -> Text | None:
    """An optional text: None when the playbook leaves it out."""
    return _required_text(value) if isinstance(value, dict) else None


def typeset_texts(value: _T) -> _T:
    """`value` with every French text in it typeset (the pulse and review rules build their own)."""
    if isinstance(value, Text):
        return Text(fr=typeset(value.fr, "fr"), en=value.en)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: typeset_texts(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(typeset_texts(v) for v in value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [typeset_texts(v) for v in value]  # type: ignore[return-value]
    return value


def _required_text(value: Any) -> Text:
    """A text the checks have made sure is there, in both languages.

    The one place playbook texts are built: French gets the OQLF spacing here (a
    non-breaking space before the colon and inside « », none before ? ! ;), so plans,
    pages and exports show it whatever the playbook's author typed.
    """
    return Text(fr=typeset(value["fr"], "fr"), en=value["en"])


def _num(value: Any) -> float | None:
    return float(value) if _is_number(value) else None


def _plain(value: Any) -> Any:
    """Conditions keep their shape but lose line bookkeeping (plain dict/list)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _build_question(q: Map) -> Question:
    return Question(
        id=q["id"],
        dimension=q["dimension"],
        type=q["type"],
        text=_required_text(q["text"]),
        help=_text(q.get("help")),
        options=tuple(
            Option(
                id=o["id"],
                label=_required_text(o["label"]),
                score=float(o.get("score", 0.0)),
                reason=_text(o.get("reason")),
            )
            for o in q.get("options") or []
        ),
        show_if=_plain(q.get("show_if")),
        weight=float(q.get("weight", 1.0)),
        unit=_text(q.get("unit")),
        min=_num(q.get("min")),
        max=_num(q.get("max")),
        bands=tuple(
            Band(score=float(b["score"]), min=_num(b.get("min")), max=_num(b.get("max")))
            for b in q.get("bands") or []
        ),
        scale_labels=tuple(_required_text(x) for x in q.get("scale_labels") or []),
        reverse=bool(q.get("reverse", False)),
        score_yes=float(q.get("score_yes", 1.0)),
        score_no=float(q.get("score_no", 0.0)),
        reason_yes=_text(q.get("reason_yes")),
        reason_no=_text(q.get("reason_no")),
        line=q.line,
        counts=bool(q.get("scored", True)),
    )


def _build_action(a: Map) -> Action:
    return Action(
        id=a["id"],
        dimension=a["dimension"],
        level=int(a["level"]),
        title=_required_text(a["title"]),
        why=_required_text(a["why"]),
        how=tuple(_required_text(h) for h in a["how"]),
        effort_hours=float(a["effort_hours"]),
        duration_weeks=int(a["duration_weeks"]),
        starter=_required_text(a["starter"]),
        depends_on=tuple(a.get("depends_on") or ()),
        when=_plain(a.get("when")),
        unless=_plain(a.get("unless")),
        quick_win=bool(a.get("quick_win", False)),
        sets_goals=tuple(
            GoalSetting(
                goal=s["goal"],
                target=_num(s.get("target")),
                delay_weeks=int(s.get("delay_weeks", 0)),
                from_end=bool(s.get("from_end", False)),
            )
            for s in a.get("sets_goals") or []
        ),
        resources=tuple(
            Resource(title=_required_text(r["title"]), url=str(r.get("url", "")))
            for r in a.get("resources") or []
        ),
        line=a.line,
        kind=a.get("kind", "once"),
        recurrence=a.get("recurrence"),
        habit_hours=float(a.get("habit_hours", 0.0)),
        tags=tuple(a.get("tags") or ()),
        replaces=tuple(a.get("replaces") or ()),
    )


def _build_goal(g: Map) -> Goal:
    base, ceiling = g.get("baseline"), g.get("ceiling")
    return Goal(
        id=g["id"],
        title=_required_text(g["title"]),
        description=_required_text(g["description"]),
        metric=g["metric"],
        unit=_required_text(g["unit"]),
        direction=g["direction"],
        targets={int(k): float(v) for k, v in g["targets"].items()},
        dimension=g.get("dimension"),
        baseline=Baseline(
            base["question"], {str(k): float(v) for k, v in (base.get("values") or {}).items()}
        )
        if base
        else None,
        max_change=_num(g.get("max_change")),
        max_change_why=_text(g.get("max_change_why")),
        ceiling=Ceiling(
            float(ceiling["above"]),
            float(ceiling["low"]),
            float(ceiling["high"]),
            _required_text(ceiling["why"]),
        )
        if ceiling
        else None,
        hours_limits=tuple(
            HoursLimit(float(h["hours_below"]), float(h["target"]), _required_text(h["why"]))
            for h in g.get("hours_limits") or []
        ),
        only_with_step=bool(g.get("only_with_step", False)),
        quotes=g.get("quotes"),
        tracked_when=_plain(g.get("tracked_when")),
    )


def _build_coaching(doc: Map) -> dict[str, Any]:
    """Diagnoses, sequence rules, pacing and board asks (all optional sections)."""
    actions = {a["id"]: a for a in doc["actions"]}
    tags = _action_tags(actions)

    def ids(entries: list[Any]) -> tuple[str, ...]:
        found: list[str] = []
        for entry in entries:
            for aid in sorted(_resolve(entry, actions, tags) or ()):
                if aid not in found:
                    found.append(aid)
        return tuple(found)

    pacing = doc.get("pacing") or {}
    defaults = Pacing()
    return {
        "diagnoses": tuple(
            DiagnosisRule(
                d["id"],
                d["dimension"],
                _plain(d["when"]),
                _required_text(d["title"]),
                _required_text(d["why"]),
                tuple(d["actions"]),
                d.line,
            )
            for d in doc.get("diagnoses") or []
        ),
        "sequence": tuple(
            SequenceRule(
                r["id"],
                ids(r["first"]),
                ids(r["then"]),
                _required_text(r["why"]),
                r.line,
                _plain(r.get("when")),
            )
            for r in doc.get("sequence") or []
        ),
        "pacing": Pacing(
            habit_gap_weeks=int(pacing.get("habit_gap_weeks", defaults.habit_gap_weeks)),
            habit_share=float(pacing.get("habit_share", defaults.habit_share)),
            first_month_limit=int(pacing["first_month_limit"])
            if "first_month_limit" in pacing
            else defaults.first_month_limit,
            first_month_hours=float(pacing.get("first_month_hours", defaults.first_month_hours)),
            why_gap=_text(pacing.get("why_gap")),
            why_first_month=_text(pacing.get("why_first_month")),
            quick_win_hours=float(pacing.get("quick_win_hours", defaults.quick_win_hours)),
            max_plan_weeks=int(pacing["max_plan_weeks"])
            if "max_plan_weeks" in pacing
            else defaults.max_plan_weeks,
        ),
        "board_asks": tuple(
            BoardAsk(
                b["id"],
                _required_text(b["text"]),
                _required_text(b["why"]),
                _plain(b.get("when")),
                tuple(b.get("diagnoses") or ()),
                b.line,
            )
            for b in doc.get("board_asks") or []
        ),
    }


def build(doc: Map, path: str = "") -> Playbook:
    """Typed Playbook from a document that passed `check_document`."""
    return Playbook(
        id=doc["id"],
        version=str(doc["version"]),
        languages=tuple(doc["languages"]),
        title=_required_text(doc["title"]),
        description=_required_text(doc["description"]),
        levels=tuple(
            sorted(
                (
                    Level(
                        int(x["level"]),
                        _required_text(x["name"]),
                        _required_text(x["description"]),
                        float(x["min_score"]),
                    )
                    for x in doc["levels"]
                ),
                key=lambda lv: lv.level,
            )
        ),
        dimensions=tuple(
            Dimension(
                d["id"],
                _required_text(d["title"]),
                _required_text(d["description"]),
                float(d.get("weight", 1.0)),
            )
            for d in doc["dimensions"]
        ),
        questions=tuple(_build_question(q) for q in doc["questions"]),
        actions=tuple(_build_action(a) for a in doc["actions"]),
        goals=tuple(_build_goal(g) for g in doc["goals"]),
        sources=tuple(
            Source(
                s["id"],
                str(s["title"]),
                int(s["year"]),
                str(s.get("url", "")),
                _text(s.get("measured")),
            )
            for s in doc.get("sources") or []
        ),
        path=path,
        **_build_coaching(doc),
        pulse=typeset_texts(parse_pulse(doc.get("pulse"))[0]),
        reviews=typeset_texts(review_rules.parse(doc, path)[0]),
    )


# ---- public entry points ------------------------------------------------------------------------


def _read(path: str | os.PathLike[str]) -> tuple[bool, Any, list[Problem]]:
    """(readable, document, problems found while reading)."""
    shown = str(path)
    try:
        doc, soft = load_file(path)
    except YamlProblem as err:
        return False, None, [Problem(shown, err.line, err.key, err.params)]
    return True, doc, [Problem(shown, p.line, p.key, p.params) for p in soft]


def validate_file(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem in a playbook file (empty list: valid)."""
    readable, doc, problems = _read(path)
    if not readable:
        return problems
    return sorted(problems + check_document(doc, str(path)), key=lambda p: p.line)


def load_playbook(path: str | os.PathLike[str]) -> Playbook:
    """The playbook at `path`, or PlaybookInvalid listing every problem."""
    readable, doc, problems = _read(path)
    if readable:
        problems = sorted(problems + check_document(doc, str(path)), key=lambda p: p.line)
    if problems:
        raise PlaybookInvalid(str(path), problems)
    return build(doc, str(path))


def default_playbook_path() -> Path:
    return PLAYBOOKS_DIR / f"{DEFAULT_PLAYBOOK}.yaml"


def list_playbooks(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """The YAML files in the playbooks folder, sorted."""
    base = Path(folder) if folder else PLAYBOOKS_DIR
    return sorted(p for p in base.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def find_playbook(playbook_id: str, folder: str | os.PathLike[str] | None = None) -> Path | None:
    """The file whose `id:` is playbook_id (file name first, then content)."""
    candidates = list_playbooks(folder)
    for path in candidates:
        if path.stem == playbook_id:
            return path
    pattern = re.compile(rf"^id:\s*['\"]?{re.escape(playbook_id)}['\"]?\s*$", re.M)
    for path in candidates:
        try:
            if pattern.search(path.read_text(encoding="utf-8", errors="replace")[:4000]):
                return path
        except OSError:
            continue
    return None


# ---- JSON Schema --------------------------------------------------------------------------------


def _schema_for(kind: str) -> dict[str, Any]:
    if kind.startswith("list:"):
        return {"type": "array", "items": _schema_for(kind[5:])}
    if kind.startswith("enum:"):
        return {"enum": kind[5:].split("|")}
    if kind in SPEC:
        return {"$ref": f"#/$defs/{kind}"}
    schemas: dict[str, dict[str, Any]] = {
        "id": {"type": "string", "pattern": ID_PATTERN},
        "str": {"type": ["string", "number"]},
        "int": {"type": "integer"},
        "number": {"type": "number"},
        "bool": {"type": "boolean"},
        "text": {"$ref": "#/$defs/text"},
        "condition": {"$ref": "#/$defs/condition"},
        "pulse": {"$ref": "#/$defs/pulse"},
        "reviews": {"type": "array", "items": {"$ref": "#/$defs/review"}},
        "languages": {
            "type": "array",
            "items": {"enum": list(LANGS)},
            "minItems": 2,
            "uniqueItems": True,
        },
        "number_map": {"type": "object", "additionalProperties": {"type": "number"}},
        "targets": {
            "type": "object",
            "properties": {str(n): {"type": "number", "minimum": 0} for n in range(1, 6)},
            "required": [str(n) for n in range(1, 6)],
            "additionalProperties": False,
        },
    }
    return schemas[kind]


def _object_schema(name: str) -> dict[str, Any]:
    spec = SPEC[name]
    return {
        "type": "object",
        "properties": {key: _schema_for(kind) for key, (kind, _) in spec.items()},
        "required": [key for key, (_, required) in spec.items() if required],
        "additionalProperties": False,
    }


def _condition_schema() -> dict[str, Any]:
    comparators: dict[str, dict[str, Any]] = {op: {} for op in conditions.COMPARATORS}
    comparators["in"] = {"type": "array"}
    comparators["answered"] = {"type": "boolean"}

    def leaf(subject: str, subject_schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {subject: subject_schema, **comparators},
            "required": [subject],
            "additionalProperties": False,
        }

    ref = {"$ref": "#/$defs/condition"}
    return {
        "oneOf": [
            {
                "type": "object",
                "properties": {"all": {"type": "array", "items": ref}},
                "required": ["all"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {"any": {"type": "array", "items": ref}},
                "required": ["any"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {"not": ref},
                "required": ["not"],
                "additionalProperties": False,
            },
            leaf("answer", {"type": "string"}),
            leaf("score", {"type": "string"}),
            leaf("level", {"type": "string"}),
            leaf("fact", {"enum": list(conditions.FACTS)}),
        ]
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of playbook format v1, generated from SPEC."""
    defs = {name: _object_schema(name) for name in SPEC if name != "playbook"}
    defs["text"] = {
        "type": "object",
        "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGS},
        "required": list(LANGS),
        "additionalProperties": False,
    }
    defs["condition"] = _condition_schema()
    defs.update(pulse_schema_defs())
    defs.update(review_rules.schema_defs())
    root = _object_schema("playbook")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.invalid/coach/playbook.schema.json",
        "title": "Digital-identity coach playbook (format v1)",
        "description": "A maturity self-assessment, actions and goals, in French and English. See playbooks/README.md.",
        **root,
        "$defs": defs,
    }


def problems_text(problems: Iterable[Problem], lang: str) -> str:
    return "\n".join(p.render(lang) for p in problems)
