"""Every problem in a parsed playbook document, in the order the checks find them."""

from __future__ import annotations

from typing import Any

from coach.playbook.actions import check_actions
from coach.playbook.coaching import check_coaching, check_goals
from coach.playbook.questions import check_dimensions, check_levels, check_questions, scored
from coach.playbook.sections import check_sections
from coach.playbook.structure import Checker, items
from coach.problems import Problem


def check_document(doc: Any, path: str) -> list[Problem]:
    """Every problem in a parsed playbook document: its shape first, then what it means."""
    checker = Checker(path)
    if not checker.check_object(doc, "playbook", 1, "playbook"):
        return checker.problems
    check_levels(checker, doc)
    dims = check_dimensions(checker, doc)
    questions = checker.check_ids(items(doc, "questions"), "question")
    scored_dims = {
        q.get("dimension")
        for q in questions.values()
        if scored(q) and isinstance(q.get("dimension"), str)
    }
    refs = {"questions": questions, "dimensions": set(dims), "scored_dimensions": scored_dims}
    check_questions(checker, doc, dims, refs)
    goals = check_goals(checker, doc, dims)
    check_actions(checker, doc, dims, refs, goals)
    check_coaching(checker, doc, dims, refs)
    check_sections(checker, doc, path)
    return checker.problems
