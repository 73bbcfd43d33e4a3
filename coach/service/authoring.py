"""Use cases without a profile, for playbook authors and trials: `assess` and `plan` on files.

The command line reads the files and prints; scoring a set of answers and planning from them
happen here, like every other use case, so the CLI never assembles domain results itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import Any

from coach import clock
from coach.errors import InvalidInput
from coach.model import AssessmentResult, Plan, Playbook
from coach.planner import build_plan
from coach.scoring import check_answers, score
from coach.service.common import load_cached

DEFAULT_TRIAL_HOURS = 2.0  # a plan tried from a file without an hours figure


@dataclass(frozen=True)
class Assessed:
    """Answers scored against a playbook; `result` is None when some answers do not fit it."""

    playbook: Playbook
    answers: dict[str, Any]
    facts: dict[str, Any]
    problems: tuple[InvalidInput, ...]
    result: AssessmentResult | None


def assess_answers(
    playbook_path: str | os.PathLike[str], answers: dict[str, Any], facts: dict[str, Any]
) -> Assessed:
    """Score `answers` against the playbook at `playbook_path` (PlaybookInvalid if it is broken)."""
    playbook = load_cached(playbook_path)
    problems = tuple(check_answers(playbook, answers))
    result = None if problems else score(playbook, answers, facts)
    return Assessed(playbook, answers, facts, problems, result)


def plan_from_answers(
    assessed: Assessed, lang: str, start: date | None = None, hours: float | None = None
) -> Plan | None:
    """The plan those answers lead to (None when they did not score); today by default, and the
    hours from the answers' facts unless given."""
    if assessed.result is None:
        return None
    if hours is None:
        hours = assessed.facts.get("hours_per_week", DEFAULT_TRIAL_HOURS)
    return build_plan(
        assessed.playbook,
        assessed.answers,
        assessed.result,
        start or clock.today_in(None),
        hours,
        lang,
        assessed.facts,
    )
