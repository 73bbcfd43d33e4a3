"""Golden plans for three personas: their plans differ the way a coach would expect.

The golden Markdown files sit beside the answer files and are reviewed by reading
them. Regenerate after a deliberate playbook change with:
    UPDATE_GOLDEN=1 python -m pytest tests/test_personas.py
"""

from __future__ import annotations

import os
from datetime import date

import pytest

from coach.commands.engine import read_answers
from coach.planner import build_plan
from coach.playbook import default_playbook_path, load_playbook
from coach.scoring import score
from coach.textreport import plan_markdown
from tests.conftest import FIXTURES

PERSONAS = FIXTURES / "personas"
START = date(2026, 1, 5)
PLAYBOOK = load_playbook(default_playbook_path())


def plan_for(name: str, lang: str = "en"):
    answers, facts = read_answers(str(PERSONAS / f"{name}.yaml"), lang)
    result = score(PLAYBOOK, answers, facts)
    return result, build_plan(
        PLAYBOOK, answers, result, START, facts.get("hours_per_week", 2), lang, facts
    )


@pytest.mark.parametrize("name", ["never-posted", "posts-never-replies", "advanced"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_golden_plan(name, lang):
    _, plan = plan_for(name, lang)
    text = plan_markdown(PLAYBOOK, plan, lang)
    golden = PERSONAS / f"{name}.plan.{lang}.md"
    if os.environ.get("UPDATE_GOLDEN") or not golden.exists():
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_the_beginner_starts_with_foundations():
    result, plan = plan_for("never-posted")
    first = [plan.step(s) for s in plan.where_to_start]
    assert all(step.level <= 2 for step in first)
    assert {"identity", "content", "listening", "governance"} & {s.dimension for s in first}
    assert result.overall_level <= 2


def test_the_poster_who_never_replies_starts_with_responsiveness():
    result, plan = plan_for("posts-never-replies")
    assert "responsiveness" in result.gaps
    assert all(plan.step(s).dimension == "responsiveness" for s in plan.where_to_start)
    assert any("reply" in reason.lower() for reason in plan.step(plan.this_week).why)


def test_the_advanced_manager_gets_a_short_plan_of_advanced_steps():
    result, advanced = plan_for("advanced")
    _, beginner = plan_for("never-posted")
    assert result.overall_level >= 4
    assert len(advanced.steps) < len(beginner.steps)
    assert min(step.level for step in advanced.steps) >= 3
    targets = {g.id: g.target for g in advanced.goals}
    beginner_targets = {g.id: g.target for g in beginner.goals}
    assert targets["posts-per-week"] > beginner_targets["posts-per-week"]
