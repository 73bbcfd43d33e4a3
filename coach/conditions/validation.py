"""Static checks of a condition, for the playbook validator.

`check` lists what is wrong in one (shape, references, comparisons that fit the
question type); `satisfiable` and `tautology` say, conservatively, whether it can
never hold or always holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coach.conditions.evaluation import COMPARATORS, NUMERIC, SUBJECTS, is_number
from coach.profile import FACTS


@dataclass(frozen=True)
class CondProblem:
    line: int
    key: str
    params: dict[str, Any]


Problems = list[CondProblem]
Before = Callable[[str], bool] | None  # may a condition look at this question (show_if)?


def check(
    cond: Any,
    playbook_refs: dict[str, Any],
    *,
    allow_scores: bool,
    line: int,
    before: Before = None,
) -> Problems:
    """Every problem in a condition: shape, references, comparisons that fit the question type.

    `playbook_refs` holds `questions` (id -> raw mapping), `dimensions` (set of ids)
    and `scored_dimensions` (set). `before(qid)` says whether a question may be used
    (show_if can only look at earlier questions).
    """
    scope = _Scope(playbook_refs, allow_scores, before, [])
    _check(cond, line, scope)
    return scope.out


@dataclass(frozen=True)
class _Scope:
    """What one `check` call looks at and where it writes its problems."""

    refs: dict[str, Any]
    allow_scores: bool
    before: Before
    out: Problems


def _line(value: Any, default: int) -> int:
    return getattr(value, "line", 0) or default


def _check(cond: Any, line: int, scope: _Scope) -> None:
    out = scope.out
    line = _line(cond, line)
    if not isinstance(cond, dict):
        out.append(CondProblem(line, "cond.not_mapping", {}))
        return
    subjects = [k for k in cond if k in SUBJECTS]
    if len(subjects) != 1:
        out.append(
            CondProblem(line, "cond.one_subject", {"found": ", ".join(map(str, subjects)) or "—"})
        )
        return
    subject = subjects[0]
    if subject in ("all", "any"):
        _check_group(cond, subject, line, scope)
    elif subject == "not":
        _check_keys(cond, {"not"}, line, out)
        _check(cond["not"], line, scope)
    elif subject == "answer":
        _check_answer(cond, line, scope)
    elif subject == "fact":
        _check_fact(cond, line, out)
    else:
        _check_score(cond, subject, line, scope)


def _key_line(cond: Any, key: str, default: int) -> int:
    lines = getattr(cond, "lines", None)
    return lines.get(key, default) if isinstance(lines, dict) else default


def _check_keys(cond: dict[str, Any], allowed: set[str], line: int, out: Problems) -> None:
    for key in cond:
        if key not in allowed:
            out.append(CondProblem(_key_line(cond, key, line), "cond.unknown_key", {"key": key}))


def _check_group(cond: dict[str, Any], subject: str, line: int, scope: _Scope) -> None:
    out = scope.out
    _check_keys(cond, {subject}, line, out)
    items = cond[subject]
    if not isinstance(items, list):
        out.append(CondProblem(_key_line(cond, subject, line), "cond.group_list", {"op": subject}))
        return
    for index, item in enumerate(items):
        item_line = items.line_of(index) if hasattr(items, "line_of") else line
        _check(item, item_line, scope)


def _one_comparator(
    cond: dict[str, Any], allowed: tuple[str, ...], line: int, out: Problems
) -> str | None:
    ops = [k for k in cond if k in COMPARATORS]
    if len(ops) != 1:
        out.append(CondProblem(line, "cond.one_comparator", {"allowed": ", ".join(allowed)}))
        return None
    if ops[0] not in allowed:
        out.append(
            CondProblem(line, "cond.bad_comparator", {"op": ops[0], "allowed": ", ".join(allowed)})
        )
        return None
    return ops[0]


ANSWER_COMPARATORS = {
    "single": ("equals", "in", "answered"),
    "multiple": ("contains", "answered"),
    "scale": ("equals", "in", "gt", "gte", "lt", "lte", "answered"),
    "number": ("equals", "in", "gt", "gte", "lt", "lte", "answered"),
    "yesno": ("equals", "answered"),
    "text": ("answered",),
}


def _check_answer(cond: dict[str, Any], line: int, scope: _Scope) -> None:
    out, before = scope.out, scope.before
    _check_keys(cond, {"answer", *COMPARATORS}, line, out)
    qid = cond["answer"]
    question = scope.refs["questions"].get(qid) if isinstance(qid, str) else None
    if question is None:
        out.append(CondProblem(line, "cond.unknown_question", {"id": qid}))
        return
    if before is not None and not before(qid):
        out.append(CondProblem(line, "cond.question_later", {"id": qid}))
    qtype = question.get("type") if isinstance(question.get("type"), str) else None
    op = _one_comparator(cond, ANSWER_COMPARATORS.get(qtype or "", COMPARATORS), line, out)
    if op is None:
        return
    expected = cond[op]
    values = expected if op == "in" else [expected]
    if op == "in" and not isinstance(expected, list):
        out.append(CondProblem(line, "cond.in_list", {}))
        return
    if op == "answered":
        if not isinstance(expected, bool):
            out.append(CondProblem(line, "cond.expect_bool", {"op": op}))
        return
    options = question.get("options") if isinstance(question.get("options"), list) else []
    option_ids: set[str] = {
        o["id"] for o in options if isinstance(o, dict) and isinstance(o.get("id"), str)
    }
    for value in values:
        _check_answer_value(qid, qtype, op, value, option_ids, line, out)


def _check_answer_value(
    qid: str, qtype: str | None, op: str, value: Any, option_ids: set[str], line: int, out: Problems
) -> None:
    if qtype in ("single", "multiple"):
        if not isinstance(value, str) or value not in option_ids:
            out.append(CondProblem(line, "cond.unknown_option", {"id": qid, "option": value}))
    elif qtype == "yesno":
        if not isinstance(value, bool):
            out.append(CondProblem(line, "cond.expect_bool", {"op": op}))
    elif not is_number(value):
        out.append(CondProblem(line, "cond.expect_number", {"op": op}))


def _check_fact(cond: dict[str, Any], line: int, out: Problems) -> None:
    _check_keys(cond, {"fact", *COMPARATORS}, line, out)
    fact = cond["fact"]
    kind = FACTS.get(fact) if isinstance(fact, str) else None
    if kind is None:
        out.append(
            CondProblem(line, "cond.unknown_fact", {"fact": fact, "known": ", ".join(FACTS)})
        )
        return
    allowed = ("equals",) if kind == "bool" else ("equals", "gt", "gte", "lt", "lte")
    op = _one_comparator(cond, allowed, line, out)
    if op is None:
        return
    ok = isinstance(cond[op], bool) if kind == "bool" else is_number(cond[op])
    if not ok:
        out.append(
            CondProblem(
                line, "cond.expect_bool" if kind == "bool" else "cond.expect_number", {"op": op}
            )
        )


def _check_score(cond: dict[str, Any], subject: str, line: int, scope: _Scope) -> None:
    out, refs = scope.out, scope.refs
    _check_keys(cond, {subject, *COMPARATORS}, line, out)
    if not scope.allow_scores:
        out.append(CondProblem(line, "cond.no_scores_here", {}))
        return
    target = cond[subject]
    if not (subject == "level" and target == "overall"):
        if not isinstance(target, str) or target not in refs["dimensions"]:
            out.append(CondProblem(line, "cond.unknown_dimension", {"id": target}))
            return
        if target not in refs["scored_dimensions"]:
            out.append(CondProblem(line, "cond.unscored_dimension", {"id": target}))
            return
    allowed = ("equals", "in", "gt", "gte", "lt", "lte") if subject == "level" else NUMERIC
    op = _one_comparator(cond, allowed, line, out)
    if op is None:
        return
    values = cond[op] if op == "in" and isinstance(cond[op], list) else [cond[op]]
    if not all(is_number(v) for v in values):
        out.append(CondProblem(line, "cond.expect_number", {"op": op}))


def _range_ok(op: str, value: float, low: float, high: float) -> bool:
    """Can some x in [low, high] satisfy `x op value`?"""
    return {
        "gt": high > value,
        "gte": high >= value,
        "lt": low < value,
        "lte": low <= value,
        "equals": low <= value <= high,
    }.get(op, True)


def satisfiable(cond: Any, questions: dict[str, dict[str, Any]]) -> bool:
    """False only when the condition can certainly never hold (conservative)."""
    if cond is None or not isinstance(cond, dict):
        return True
    if "all" in cond:
        items = cond["all"] if isinstance(cond["all"], list) else []
        if not all(satisfiable(c, questions) for c in items):
            return False
        plain = [repr(_plain(c)) for c in items]
        negated = {repr(_plain(c["not"])) for c in items if isinstance(c, dict) and "not" in c}
        return not any(p in negated for p in plain)
    if "any" in cond:
        items = cond["any"] if isinstance(cond["any"], list) else []
        return any(satisfiable(c, questions) for c in items)
    if "not" in cond:
        return not tautology(cond["not"])
    op = next((k for k in cond if k in COMPARATORS), None)
    if op is None:
        return True
    expected = cond[op]
    if op == "in":
        return bool(expected)
    bounds = _bounds(cond, questions)
    if bounds is None or op not in ("gt", "gte", "lt", "lte", "equals") or not is_number(expected):
        return True
    return _range_ok(op, expected, *bounds)


def _bounds(
    cond: dict[str, Any], questions: dict[str, dict[str, Any]]
) -> tuple[float, float] | None:
    if "score" in cond:
        return (0.0, 100.0)
    if "level" in cond:
        return (1.0, 5.0)
    if cond.get("fact") == "hours_per_week":
        return (0.0, 168.0)
    qid = cond.get("answer")
    question = questions.get(qid) if isinstance(qid, str) else None
    if question and question.get("type") == "scale":
        return (1.0, 5.0)
    if question and question.get("type") == "number":
        low, high = question.get("min"), question.get("max")
        if is_number(low) and is_number(high):
            return (float(low), float(high))
    return None


def tautology(cond: Any) -> bool:
    """True only when the condition certainly always holds (conservative)."""
    if not isinstance(cond, dict):
        return False
    if "all" in cond and isinstance(cond["all"], list):
        return all(tautology(c) for c in cond["all"])
    if "any" in cond and isinstance(cond["any"], list):
        return any(tautology(c) for c in cond["any"])
    return False


def _plain(value: Any) -> Any:
    """Comparable plain structure (drops line bookkeeping)."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    return value
