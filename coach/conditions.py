"""The small, safe condition language used by `show_if`, `when` and `unless`.

A condition is plain data (never code, never eval):

    {all: [c, ...]}  {any: [c, ...]}  {not: c}
    {answer: QID, equals|in|contains|gt|gte|lt|lte|answered: V}
    {score: DIM, gt|gte|lt|lte|equals: N}        dimension score 0-100
    {level: DIM|overall, gt|gte|lt|lte|equals|in: N}
    {fact: hours_per_week|regulated_sector, ...: V}

`evaluate` answers true/false, `explain` turns the parts that made a condition
true into sentences for a manager, and `check` lists what is wrong in one
(for the playbook validator).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from coach.i18n import fmt_number, t, tp
from coach.model import AssessmentResult, Playbook, Question
from coach.profile import FACTS as FACTS

COMPARATORS = ("equals", "in", "contains", "gt", "gte", "lt", "lte", "answered")
NUMERIC = ("gt", "gte", "lt", "lte")
SUBJECTS = ("all", "any", "not", "answer", "score", "level", "fact")


@dataclass
class Context:
    """What a condition can look at."""

    answers: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    result: AssessmentResult | None = None


# ---- evaluation ---------------------------------------------------------------------------------


def _compare(value: Any, op: str, expected: Any) -> bool:
    if op == "answered":
        return (value is not None) == bool(expected)
    if value is None:
        return False
    if op == "equals":
        return bool(value == expected)
    if op == "in":
        return bool(value in expected)
    if op == "contains":
        return isinstance(value, list | tuple) and expected in value
    if not _is_number(value):
        return False
    return bool(
        {
            "gt": value > expected,
            "gte": value >= expected,
            "lt": value < expected,
            "lte": value <= expected,
        }[op]
    )


def _operator(cond: dict[str, Any]) -> tuple[str, Any]:
    ops = [k for k in cond if k in COMPARATORS]
    return (ops[0], cond[ops[0]]) if ops else ("answered", True)


def _subject_value(cond: dict[str, Any], ctx: Context) -> Any:
    if "answer" in cond:
        return ctx.answers.get(cond["answer"])
    if "fact" in cond:
        return ctx.facts.get(cond["fact"])
    if ctx.result is None:
        return None
    if "level" in cond and cond["level"] == "overall":
        return ctx.result.overall_level
    dim = ctx.result.score_of(_dimension_of(cond))
    if dim is None:
        return None
    return dim.score if "score" in cond else dim.level


def _dimension_of(cond: dict[str, Any]) -> str:
    """The dimension a score or level condition names ("overall": the overall level)."""
    subject = cond.get("score") or cond.get("level")
    return subject if isinstance(subject, str) else ""


def evaluate(cond: Any, ctx: Context) -> bool:
    """True when the condition holds; None (no condition) always holds."""
    if cond is None:
        return True
    if "all" in cond:
        return all(evaluate(c, ctx) for c in cond["all"])
    if "any" in cond:
        return any(evaluate(c, ctx) for c in cond["any"])
    if "not" in cond:
        return not evaluate(cond["not"], ctx)
    op, expected = _operator(cond)
    return _compare(_subject_value(cond, ctx), op, expected)


# ---- explanation --------------------------------------------------------------------------------


def explain(cond: Any, ctx: Context, playbook: Playbook, lang: str) -> list[str]:
    """Sentences for the parts of a true condition that a manager would recognise."""
    return check_and_explain(cond, ctx, playbook, lang)[1]


def check_and_explain(
    cond: Any, ctx: Context, playbook: Playbook, lang: str
) -> tuple[bool, list[str]]:
    """Evaluate and explain in one pass: (holds, reasons). Reasons are empty when it fails."""
    holds, reasons = _walk(cond, ctx, playbook, lang)
    return holds, _unique(r for r in reasons if r) if holds else []


def _walk(cond: Any, ctx: Context, playbook: Playbook, lang: str) -> tuple[bool, list[str]]:
    if cond is None:
        return True, []
    if "all" in cond:
        reasons: list[str] = []
        for sub in cond["all"]:
            holds, more = _walk(sub, ctx, playbook, lang)
            if not holds:
                return False, []
            reasons.extend(more)
        return True, reasons
    if "any" in cond:
        # The first branch that holds is the reason; listing every one reads like a form.
        for sub in cond["any"]:
            holds, more = _walk(sub, ctx, playbook, lang)
            if holds:
                return True, more
        return False, []
    if "not" in cond:
        # "because you did not..." reads badly; the action's own why covers it.
        return not evaluate(cond["not"], ctx), []
    op, expected = _operator(cond)
    if not _compare(_subject_value(cond, ctx), op, expected):
        return False, []
    if "answer" in cond:
        return True, _explain_answer(cond, ctx, playbook, lang)
    if "fact" in cond:
        return True, _explain_fact(cond, ctx, lang)
    return True, _explain_score(cond, ctx, playbook, lang)


def _unique(items: Any) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def answered_that(reason: str, lang: str) -> str:
    """'Because you answered that ...'; French elides « que » before a vowel (« qu’il »)."""
    if lang == "fr" and reason[:1].lower() in "aeiouyéèêàâîôû":
        return t("engine.reason.answered_that_elided", lang, reason=reason)
    return t("engine.reason.answered_that", lang, reason=reason)


def _quote(question: Question, answer: str, lang: str) -> str:
    return t("engine.reason.quoted", lang, question=question.text.get(lang), answer=answer)


def _explain_answer(cond: dict[str, Any], ctx: Context, playbook: Playbook, lang: str) -> list[str]:
    question = playbook.question(cond["answer"])
    value: Any = ctx.answers.get(cond["answer"])  # the condition holds: it is answered
    op, expected = _operator(cond)
    if question is None or op == "answered" or question.type == "text":
        return []
    if question.type == "single":
        return [_option_reason(question, question.option(value), lang)]
    if question.type == "multiple":
        chosen = [expected] if op == "contains" else [v for v in value if v in (expected or [])]
        return [_option_reason(question, question.option(v), lang) for v in chosen]
    if question.type == "yesno":
        reason = question.reason_yes if value else question.reason_no
        if reason is not None:
            return [answered_that(reason.get(lang), lang)]
        return [_quote(question, t("engine.word_yes" if value else "engine.word_no", lang), lang)]
    if question.type == "scale" and question.scale_labels and _is_scale_point(value):
        # Quote the words the manager chose (« Assez flou »), not the point on the scale.
        return [_quote(question, question.scale_labels[int(value) - 1].get(lang), lang)]
    unit = f" {question.unit.get(lang)}" if question.unit else ""
    return [_quote(question, f"{fmt_number(value, lang)}{unit}", lang)]


def _is_scale_point(value: Any) -> bool:
    return isinstance(value, int | float) and float(value).is_integer() and 1 <= value <= 5


def _option_reason(question: Question, option: Any, lang: str) -> str:
    if option is None:
        return ""
    if option.reason is not None:
        return answered_that(option.reason.get(lang), lang)
    return _quote(question, option.label.get(lang), lang)


def _explain_fact(cond: dict[str, Any], ctx: Context, lang: str) -> list[str]:
    value: Any = ctx.facts.get(cond["fact"])
    if cond["fact"] == "regulated_sector":
        return [t("engine.reason.regulated" if value else "engine.reason.not_regulated", lang)]
    return [tp("engine.reason.hours", lang, value)]


def _explain_score(cond: dict[str, Any], ctx: Context, playbook: Playbook, lang: str) -> list[str]:
    subject = _dimension_of(cond)
    value = _subject_value(cond, ctx)
    if "level" in cond:
        name = playbook.level(int(value)).name.get(lang)
        if subject == "overall":
            return [t("engine.reason.overall_level", lang, level=value, name=name)]
        title = playbook.dimension(subject).title.get(lang)
        return [t("engine.reason.level", lang, dimension=title, level=value, name=name)]
    title = playbook.dimension(subject).title.get(lang)
    return [t("engine.reason.score", lang, dimension=title, score=round(value))]


# ---- static checks (for the validator) ----------------------------------------------------------


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


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


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
    elif not _is_number(value):
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
    ok = isinstance(cond[op], bool) if kind == "bool" else _is_number(cond[op])
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
    if not all(_is_number(v) for v in values):
        out.append(CondProblem(line, "cond.expect_number", {"op": op}))


# ---- can it ever be true? -----------------------------------------------------------------------


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
    if bounds is None or op not in ("gt", "gte", "lt", "lte", "equals") or not _is_number(expected):
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
        if _is_number(low) and _is_number(high):
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
