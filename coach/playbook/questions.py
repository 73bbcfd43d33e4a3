"""Semantic checks of the maturity levels, the dimensions and the questions."""

from __future__ import annotations

from typing import Any

from coach.playbook.structure import Checker, as_list, as_seq, is_number, items
from coach.yamlsafe import Map, Seq


def check_levels(checker: Checker, doc: Map) -> None:
    """Five levels, 1 to 5, whose minimum scores rise from 0 within 0..100."""
    levels = items(doc, "levels")
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
        if not is_number(score):
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


def check_dimensions(checker: Checker, doc: Map) -> dict[str, Map]:
    dims = checker.check_ids(items(doc, "dimensions"), "dimension")
    for dim in dims.values():
        checker.check_limit(dim, "weight", "positive")
    return dims


def scored(q: Map) -> bool:
    """Whether a question counts towards its dimension's score."""
    if q.get("scored") is False or q.get("type") == "text":
        return False
    return q.get("type") != "number" or bool(q.get("bands"))


def check_questions(checker: Checker, doc: Map, dims: dict[str, Map], refs: dict[str, Any]) -> None:
    """Each question; a `show_if` may only name the questions before it."""
    seen: set[str] = set()
    for _, question in items(doc, "questions"):
        _check_question(checker, question, dims, set(seen), refs)
        if isinstance(question.get("id"), str):
            seen.add(question["id"])


def _check_question(
    checker: Checker,
    q: Map,
    dims: dict[str, Map],
    questions_so_far: set[str],
    refs: dict[str, Any],
) -> None:
    checker.check_dimension(q, dims)
    qtype = q.get("type")
    _check_options(checker, q, qtype)
    for key in ("score_yes", "score_no"):
        checker.check_limit(q, key, "score")
    if qtype == "number":
        _check_number_question(checker, q)
    if qtype == "scale" and "scale_labels" in q and len(as_list(q.get("scale_labels"))) != 5:
        checker.add(q.line_of("scale_labels"), "five_scale_labels")
    checker.check_limit(q, "weight", "positive")
    qid = q.get("id")
    checker.check_condition(
        q,
        "show_if",
        refs,
        allow_scores=False,
        before=lambda ref: ref in questions_so_far and ref != qid,
    )


def _check_options(checker: Checker, q: Map, qtype: Any) -> None:
    """Choice questions need two options or more, with scores from 0 to 1; others, none."""
    options = as_seq(q.get("options"))
    if qtype in ("single", "multiple"):
        if len(options) < 2:
            checker.add(q.line, "need_options", id=q.get("id"))
        if q.get("scored", True):
            for option in options:
                if isinstance(option, Map) and "score" not in option:
                    checker.add(
                        option.line, "missing_key", key="score", where=f"option {option.get('id')}"
                    )
        checker.check_ids([(0, o) for o in options if isinstance(o, Map)], "option")
    elif "options" in q:
        checker.add(q.line_of("options"), "options_not_allowed", type=qtype)
    for option in options:
        if isinstance(option, Map):
            checker.check_limit(option, "score", "score")


def _check_number_question(checker: Checker, q: Map) -> None:
    for key in ("unit", "min", "max"):
        if key not in q:
            checker.add(q.line, "number_needs", key=key, id=q.get("id"))
    if is_number(q.get("min")) and is_number(q.get("max")) and q["min"] >= q["max"]:
        checker.add(q.line_of("max"), "min_below_max")
    for band in as_list(q.get("bands")):
        if isinstance(band, Map):
            checker.check_limit(band, "score", "score")
