"""What to work on now: this week's step, late steps, where to start in date order, and
one distinct "why" per step (coach/progress.py, through service.step_focus)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from coach import planner, progress, scoring
from coach.playbook import load_playbook
from tests.ui_kit import ANSWERS, MINI

FACTS = {"regulated_sector": True, "hours_per_week": 2.0}
TODAY = date(2026, 12, 1)  # a Tuesday


@pytest.fixture
def plan():
    """Three steps: reply (2 Nov → 22 Nov), compliance (23 → 29 Nov), first post (30 Nov → 13 Dec)."""
    book = load_playbook(MINI)
    result = scoring.score(book, ANSWERS, FACTS)
    built = planner.build_plan(book, ANSWERS, result, date(2026, 11, 2), 2.0, "en", FACTS)
    assert [(s.start, s.due) for s in built.steps] == [
        (date(2026, 11, 2), date(2026, 11, 22)),
        (date(2026, 11, 23), date(2026, 11, 29)),
        (date(2026, 11, 30), date(2026, 12, 13)),
    ]
    return built


REPLY, COMPLIANCE, POST = (
    "responsiveness.reply-within-a-day",
    "governance.compliance",
    "presence.first-post",
)


def test_this_week_is_the_open_step_that_covers_today(plan):
    assert progress.this_week(plan, {}, TODAY).id == POST


def test_once_it_is_done_this_week_is_the_most_overdue_step(plan):
    # not next week's step, nor the one the planner put first
    assert progress.this_week(plan, {POST: "done"}, TODAY).id == REPLY
    assert progress.this_week(plan, {POST: "done", REPLY: "done"}, TODAY).id == COMPLIANCE


def test_before_the_plan_starts_this_week_is_the_first_step_to_start(plan):
    assert progress.this_week(plan, {}, date(2026, 10, 20)).id == REPLY
    assert progress.this_week(plan, {s.id: "done" for s in plan.steps}, TODAY) is None


def test_late_steps_are_open_steps_past_their_due_date_most_overdue_first(plan):
    assert [s.id for s in progress.late_steps(plan, {}, TODAY)] == [REPLY, COMPLIANCE]
    assert [s.id for s in progress.late_steps(plan, {REPLY: "done"}, TODAY)] == [COMPLIANCE]
    assert progress.late_steps(plan, {}, date(2026, 11, 22)) == ()  # due today is not late
    assert not progress.is_late(plan.steps[0], {REPLY: "skipped"}, TODAY)


def test_where_to_start_is_numbered_in_date_order(plan):
    # the planner's priority puts the first post first; numbering follows the dates
    reordered = dataclasses.replace(
        plan,
        steps=tuple(
            dataclasses.replace(s, order={POST: 0, REPLY: 1, COMPLIANCE: 2}[s.id])
            for s in plan.steps
        ),
    )
    assert [s.id for s in progress.where_to_start(reordered, {})] == [REPLY, COMPLIANCE, POST]


def test_each_step_shows_its_own_reason(plan):
    shared = "Because your score in Presence is 20/100."
    steps = [
        dataclasses.replace(s, why=(shared, *s.why)) if i < 3 else s
        for i, s in enumerate(plan.steps)
    ]
    reasons = progress.distinct_reasons(steps)
    assert reasons[0] == shared
    assert len(set(reasons)) == 3  # never the same sentence twice
    assert all(reason in step.why for reason, step in zip(reasons, steps, strict=True))
