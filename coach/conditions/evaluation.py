"""What a condition looks at (`Context`) and whether it holds (`evaluate`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeGuard

from coach.model import AssessmentResult

COMPARATORS = ("equals", "in", "contains", "gt", "gte", "lt", "lte", "answered")
NUMERIC = ("gt", "gte", "lt", "lte")
SUBJECTS = ("all", "any", "not", "answer", "score", "level", "fact")


@dataclass
class Context:
    """What a condition can look at."""

    answers: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    result: AssessmentResult | None = None


def compare(value: Any, op: str, expected: Any) -> bool:
    """`value op expected`; a missing value meets only `answered: false`."""
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
    if not is_number(value):
        return False
    return bool(
        {
            "gt": value > expected,
            "gte": value >= expected,
            "lt": value < expected,
            "lte": value <= expected,
        }[op]
    )


def operator_of(cond: dict[str, Any]) -> tuple[str, Any]:
    """The condition's comparison and its value (none: `answered: true`)."""
    ops = [k for k in cond if k in COMPARATORS]
    return (ops[0], cond[ops[0]]) if ops else ("answered", True)


def subject_value(cond: dict[str, Any], ctx: Context) -> Any:
    """The answer, fact, score or level the condition looks at (None: not known)."""
    if "answer" in cond:
        return ctx.answers.get(cond["answer"])
    if "fact" in cond:
        return ctx.facts.get(cond["fact"])
    if ctx.result is None:
        return None
    if "level" in cond and cond["level"] == "overall":
        return ctx.result.overall_level
    dim = ctx.result.score_of(dimension_of(cond))
    if dim is None:
        return None
    return dim.score if "score" in cond else dim.level


def dimension_of(cond: dict[str, Any]) -> str:
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
    op, expected = operator_of(cond)
    return compare(subject_value(cond, ctx), op, expected)


def is_number(value: Any) -> TypeGuard[float]:
    """An int or a float, never a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)
