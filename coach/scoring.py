"""Answers -> dimension scores (0-100), maturity levels (1-5), strengths and gaps.

A question scores between 0 and 1; a dimension score is the weighted mean of
its answered, visible, scored questions times 100. Hidden and unanswered
questions do not count against the manager; `coverage` says how much of what
was shown got an answer.
"""

from __future__ import annotations

import math
from typing import Any

from coach.conditions import Context, evaluate
from coach.errors import InvalidInput
from coach.i18n import t
from coach.model import AssessmentResult, DimensionScore, Playbook, Question

STRENGTH_MIN = 60.0  # a dimension at or above this score is a strength
GAP_MAX = 50.0  # a dimension below this score is a gap
SHOWN = 3  # how many strengths and gaps are named
THIN_COVERAGE = 0.5  # below this share of shown questions answered, scores come with a caveat


def visible_questions(
    playbook: Playbook, answers: dict[str, Any], facts: dict[str, Any] | None = None
) -> list[Question]:
    """The questions a manager sees, in order; answers to hidden questions are ignored."""
    kept: dict[str, Any] = {}
    shown: list[Question] = []
    for question in playbook.questions:
        if evaluate(question.show_if, Context(answers=kept, facts=facts or {})):
            shown.append(question)
            if question.id in answers:
                kept[question.id] = answers[question.id]
    return shown


def _is_number(value: Any) -> bool:
    """A real, finite number (NaN and infinity are not answers)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def answer_problem(question: Question, value: Any) -> InvalidInput | None:
    """Why `value` is not a valid answer to `question`, or None."""
    qid = question.id
    if value is None:
        return None
    if question.type == "single":
        if not isinstance(value, str) or question.option(value) is None:
            return InvalidInput(
                "engine.answer.unknown_option", question=qid, value=value, options=_ids(question)
            )
    elif question.type == "multiple":
        if not isinstance(value, list):
            return InvalidInput("engine.answer.expect_list", question=qid)
        unknown = [v for v in value if not isinstance(v, str) or question.option(v) is None]
        if unknown:
            return InvalidInput(
                "engine.answer.unknown_option",
                question=qid,
                value=unknown[0],
                options=_ids(question),
            )
    elif question.type == "scale":
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            return InvalidInput("engine.answer.scale", question=qid, value=value)
    elif question.type == "number":
        if not _is_number(value):
            return InvalidInput("engine.answer.expect_number", question=qid, value=value)
        if (question.min is not None and value < question.min) or (
            question.max is not None and value > question.max
        ):
            return InvalidInput(
                "engine.answer.out_of_bounds",
                question=qid,
                value=value,
                min=question.min,
                max=question.max,
            )
    elif question.type == "yesno":
        if not isinstance(value, bool):
            return InvalidInput("engine.answer.expect_bool", question=qid, value=value)
    elif not isinstance(value, str):
        return InvalidInput("engine.answer.expect_text", question=qid)
    return None


def _ids(question: Question) -> str:
    return ", ".join(o.id for o in question.options)


def check_answers(playbook: Playbook, answers: dict[str, Any]) -> list[InvalidInput]:
    """Every invalid answer: unknown question, unknown option, wrong type, out of bounds."""
    problems: list[InvalidInput] = []
    if not isinstance(answers, dict):
        return [InvalidInput("engine.answer.not_mapping")]
    for qid, value in answers.items():
        question = playbook.question(qid)
        if question is None:
            problems.append(InvalidInput("engine.answer.unknown_question", question=qid))
            continue
        problem = answer_problem(question, value)
        if problem is not None:
            problems.append(problem)
    return problems


def question_score(question: Question, value: Any) -> float | None:
    """0..1 for a valid answer to a scored question; None otherwise."""
    if value is None or not question.scored or answer_problem(question, value) is not None:
        return None
    if question.type == "single":
        option = question.option(value)
        return option.score if option is not None else None
    if question.type == "multiple":
        chosen = (question.option(v) for v in set(value))
        total: float = sum(o.score for o in chosen if o is not None)
        return min(1.0, total)
    if question.type == "scale":
        step: float = (value - 1) / 4
        return 1.0 - step if question.reverse else step
    if question.type == "yesno":
        return question.score_yes if value else question.score_no
    for band in question.bands:
        if (band.min is None or value >= band.min) and (band.max is None or value < band.max):
            return band.score
    return None


def score(
    playbook: Playbook, answers: dict[str, Any], facts: dict[str, Any] | None = None
) -> AssessmentResult:
    """Score the answers; raises InvalidInput (the first problem) on an invalid answer."""
    problems = check_answers(playbook, answers)
    if problems:
        raise problems[0]
    shown = visible_questions(playbook, answers, facts)
    dims = [_dimension_score(playbook, d.id, shown, answers) for d in playbook.dimensions]
    scores = {d.dimension: d.score for d in dims if d.score is not None}
    assessed = [(value, playbook.dimension(dim).weight) for dim, value in scores.items()]
    total_weight = sum(w for _, w in assessed)
    overall = sum(value * w for value, w in assessed) / total_weight if total_weight else None
    answered = sum(1 for q in shown if answers.get(q.id) not in (None, "", []))
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return AssessmentResult(
        playbook_id=playbook.id,
        playbook_version=playbook.version,
        dimensions=tuple(dims),
        overall_score=round(overall, 1) if overall is not None else None,
        overall_level=playbook.level_for(overall) if overall is not None else None,
        coverage=answered / len(shown) if shown else 0.0,
        strengths=tuple(dim for dim, value in ranked if value >= STRENGTH_MIN)[:SHOWN],
        gaps=tuple(dim for dim, value in reversed(ranked) if value < GAP_MAX)[:SHOWN],
        visible_questions=tuple(q.id for q in shown),
    )


def _dimension_score(
    playbook: Playbook, dim_id: str, shown: list[Question], answers: dict[str, Any]
) -> DimensionScore:
    mine = [q for q in shown if q.dimension == dim_id and q.scored]
    each = [(question_score(q, answers.get(q.id)), q.weight) for q in mine]
    scored = [(s, w) for s, w in each if s is not None]
    weight = sum(w for _, w in scored)
    value = round(100 * sum(s * w for s, w in scored) / weight, 1) if weight else None
    return DimensionScore(
        dimension=dim_id,
        score=value,
        level=playbook.level_for(value) if value is not None else None,
        answered=len(scored),
        visible=len(mine),
    )


def describe(playbook: Playbook, result: AssessmentResult, lang: str) -> dict[str, list[str]]:
    """Strengths and gaps in plain words."""

    def line(dim_id: str, key: str) -> str:
        d = result.score_of(dim_id)
        if d is None or d.score is None or d.level is None:
            # Strengths and gaps are always scored dimensions of the result.
            raise LookupError(f"dimension {dim_id} has no score in this result")
        return t(
            key,
            lang,
            dimension=playbook.dimension(dim_id).title.get(lang),
            score=round(d.score),
            level=d.level,
            name=playbook.level(d.level).name.get(lang),
            description=playbook.dimension(dim_id).description.get(lang),
        )

    strengths = [line(d, "engine.result.strength") for d in result.strengths]
    gaps = [line(d, "engine.result.gap") for d in result.gaps]
    if not strengths:
        strengths = [t("engine.result.no_strength", lang)]
    if not gaps:
        gaps = [t("engine.result.no_gap", lang)]
    words = {"strengths": strengths, "gaps": gaps}
    if result.overall_score is not None and result.coverage < THIN_COVERAGE:
        words["caveat"] = [t("engine.result.thin", lang, percent=round(result.coverage * 100))]
    return words


def compare(
    previous: AssessmentResult | None, current: AssessmentResult
) -> dict[str, float | None]:
    """Change per dimension (and 'overall') since a previous assessment."""
    if previous is None:
        return {}
    delta: dict[str, float | None] = {}
    for dim in current.dimensions:
        before = previous.score_of(dim.dimension)
        if before is not None and before.score is not None and dim.score is not None:
            delta[dim.dimension] = round(dim.score - before.score, 1)
        else:
            delta[dim.dimension] = None
    if previous.overall_score is not None and current.overall_score is not None:
        delta["overall"] = round(current.overall_score - previous.overall_score, 1)
    return delta


def result_to_dict(result: AssessmentResult) -> dict[str, Any]:
    """JSON-safe form of a result (for the CLI and the store)."""
    return {
        "playbook_id": result.playbook_id,
        "playbook_version": result.playbook_version,
        "overall_score": result.overall_score,
        "overall_level": result.overall_level,
        "coverage": round(result.coverage, 3),
        "dimensions": [
            {
                "id": d.dimension,
                "score": d.score,
                "level": d.level,
                "answered": d.answered,
                "visible": d.visible,
            }
            for d in result.dimensions
        ],
        "strengths": list(result.strengths),
        "gaps": list(result.gaps),
        "visible_questions": list(result.visible_questions),
    }


def result_from_dict(doc: dict[str, Any]) -> AssessmentResult:
    return AssessmentResult(
        playbook_id=doc["playbook_id"],
        playbook_version=doc["playbook_version"],
        dimensions=tuple(
            DimensionScore(d["id"], d["score"], d["level"], d["answered"], d["visible"])
            for d in doc["dimensions"]
        ),
        overall_score=doc["overall_score"],
        overall_level=doc["overall_level"],
        coverage=doc["coverage"],
        strengths=tuple(doc["strengths"]),
        gaps=tuple(doc["gaps"]),
        visible_questions=tuple(doc.get("visible_questions", ())),
    )
