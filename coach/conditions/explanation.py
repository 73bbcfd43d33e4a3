"""The parts of a true condition as sentences a manager recognises ("Because you answered …")."""

from __future__ import annotations

from typing import Any

from coach.conditions.evaluation import (
    Context,
    compare,
    dimension_of,
    evaluate,
    operator_of,
    subject_value,
)
from coach.i18n import fmt_number, t, tp
from coach.model import Playbook, Question


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
    op, expected = operator_of(cond)
    if not compare(subject_value(cond, ctx), op, expected):
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
    op, expected = operator_of(cond)
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
    subject = dimension_of(cond)
    value = subject_value(cond, ctx)
    if "level" in cond:
        name = playbook.level(int(value)).name.get(lang)
        if subject == "overall":
            return [t("engine.reason.overall_level", lang, level=value, name=name)]
        title = playbook.dimension(subject).title.get(lang)
        return [t("engine.reason.level", lang, dimension=title, level=value, name=name)]
    title = playbook.dimension(subject).title.get(lang)
    return [t("engine.reason.score", lang, dimension=title, score=round(value))]
