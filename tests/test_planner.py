"""The planner: dependencies respected, weekly budget never exceeded, stable order, reasons present."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta

import pytest
import yaml

from bench.generate import synthetic_answers, synthetic_playbook
from coach.errors import InvalidInput
from coach.planner import build_plan, open_steps, plan_from_dict, plan_to_dict, reschedule, reword
from coach.playbook import load_playbook
from coach.scoring import score
from tests.conftest import FIXTURES

MINI = load_playbook(FIXTURES / "engine" / "mini.yaml")
START = date(2026, 1, 5)
MINI_ANSWERS = {
    "presence.account": True,
    "presence.posts": "never",
    "responsiveness.replies": "rarely",
    "responsiveness.hours": 30,
    "presence.comfort": 3,
}


@pytest.fixture(scope="module")
def big():
    doc = synthetic_playbook(actions=300, questions=90)
    path_doc = json.loads(json.dumps(doc))  # plain data, like a parsed file
    from coach.playbook import build, check_document
    from coach.yamlsafe import parse

    parsed, _ = parse(yaml.safe_dump(path_doc))
    assert check_document(parsed, "synthetic") == []
    playbook = build(parsed, "synthetic")
    answers = synthetic_answers(doc)
    return playbook, answers, score(playbook, answers)


def weekly_load(plan):
    load = defaultdict(float)
    for step in plan.steps:
        day = step.start
        while day <= step.due:
            load[day] += step.hours_per_week
            day += timedelta(days=7)
    return load


@pytest.mark.parametrize("hours", [0.5, 1, 2, 3.5, 10])
def test_weekly_budget_is_never_exceeded(big, hours):
    playbook, answers, result = big
    plan = build_plan(playbook, answers, result, START, hours, "en")
    assert len(plan.steps) > 100
    assert max(weekly_load(plan).values()) <= hours + 1e-6
    for step in plan.steps:  # the effort is all there
        weeks = ((step.due - step.start).days + 1) // 7
        assert step.hours_per_week * weeks == pytest.approx(step.effort_hours)


def test_dependencies_come_first(big):
    playbook, answers, result = big
    plan = build_plan(playbook, answers, result, START, 2, "en")
    steps = {s.id: s for s in plan.steps}
    checked = 0
    for step in plan.steps:
        for dep in step.depends_on:
            assert steps[dep].due < step.start, (dep, step.id)
            assert steps[dep].order < step.order
            checked += 1
    assert checked > 50


def test_the_plan_is_deterministic(big):
    playbook, answers, result = big
    first = plan_to_dict(build_plan(playbook, answers, result, START, 2, "fr"))
    second = plan_to_dict(build_plan(playbook, answers, result, START, 2, "fr"))
    assert first == second


def test_steps_explain_themselves_with_the_answers():
    result = score(MINI, MINI_ANSWERS)
    plan = build_plan(MINI, MINI_ANSWERS, result, START, 2, "en", {"regulated_sector": False})
    reply = plan.step("responsiveness.reply-within-a-day")
    assert reply.why[:2] == (
        "Because your score in Responsiveness is 5/100.",
        "Because you answered that you rarely reply to comments.",
    )
    assert reply.why[-1] == "A quick reply shows you listen."
    assert all(step.why for step in plan.steps)
    assert plan.step("governance.compliance") is None  # not a regulated sector


def test_weakest_dimension_first_and_where_to_start():
    result = score(MINI, MINI_ANSWERS)
    plan = build_plan(MINI, MINI_ANSWERS, result, START, 2, "fr", {"regulated_sector": True})
    assert plan.this_week == "responsiveness.reply-within-a-day"  # responsiveness is the weakest
    assert plan.where_to_start == tuple(s.id for s in sorted(plan.steps, key=lambda s: s.order)[:3])
    assert plan.step(plan.this_week).starter == "Répondez au plus vieux commentaire."
    assert plan.steps[0].phase == "days-30"
    assert {g.id: g.target for g in plan.goals} == {"posts-per-week": 1.0, "response-time": 24.0}


def test_a_dependency_that_did_not_trigger_blocks_nothing():
    result = score(MINI, MINI_ANSWERS)
    plan = build_plan(MINI, MINI_ANSWERS, result, START, 2, "en")
    assert plan.step("presence.create-profile") is None  # the manager has an account
    assert plan.step("presence.first-post").depends_on == ()


def test_unless_removes_an_action():
    answers = {
        "presence.account": True,
        "presence.posts": "weekly",
        "responsiveness.replies": "always",
        "responsiveness.hours": 2,
        "presence.comfort": 5,
    }
    result = score(MINI, answers)
    assert result.overall_level >= 3
    assert build_plan(MINI, answers, result, START, 2, "en").step("presence.advanced") is not None
    answers["presence.comfort"] = 2
    result = score(MINI, answers)
    assert build_plan(MINI, answers, result, START, 2, "en").step("presence.advanced") is None


@pytest.mark.parametrize("hours", [0, -1, 500, "two", True])
def test_impossible_budgets_are_refused(hours):
    result = score(MINI, MINI_ANSWERS)
    with pytest.raises(InvalidInput):
        build_plan(MINI, MINI_ANSWERS, result, START, hours, "en")


def test_json_round_trip_and_required_fields():
    result = score(MINI, MINI_ANSWERS)
    plan = build_plan(MINI, MINI_ANSWERS, result, START, 2, "en", {"regulated_sector": True})
    doc = plan_to_dict(plan)
    assert plan_from_dict(json.loads(json.dumps(doc))) == plan
    assert set(doc) >= {"where_to_start", "this_week", "steps", "goals"}
    for step in doc["steps"]:
        assert set(step) >= {
            "id",
            "title",
            "dimension",
            "phase",
            "start",
            "due",
            "effort_hours",
            "depends_on",
            "why",
        }
        assert date.fromisoformat(step["start"]) <= date.fromisoformat(step["due"])
    assert all(set(g) >= {"id", "target", "unit"} for g in doc["goals"])


def test_reschedule_keeps_done_steps_and_fits_the_new_budget(big):
    playbook, answers, result = big
    plan = build_plan(playbook, answers, result, START, 4, "en")
    done = {s.id: (s.start, s.due) for s in plan.steps[:5]}
    today = START + timedelta(days=21)
    later = reschedule(plan, done, START, 1.5, today=today)
    for step_id, dates in done.items():
        assert (later.step(step_id).start, later.step(step_id).due) == dates
    open_steps = [s for s in later.steps if s.id not in done]
    assert all(
        s.start >= today - timedelta(days=6) for s in open_steps
    )  # nothing lands in the past
    load = defaultdict(float)
    for step in open_steps:
        day = step.start
        while day <= step.due:
            load[day] += step.hours_per_week
            day += timedelta(days=7)
    assert max(load.values()) <= 1.5 + 1e-6
    assert later.this_week not in done and later.hours_per_week == 1.5


def test_reword_gives_the_same_plan_in_the_other_language():
    result = score(MINI, MINI_ANSWERS)
    facts = {"regulated_sector": True}
    english = build_plan(MINI, MINI_ANSWERS, result, START, 2, "en", facts)
    french = build_plan(MINI, MINI_ANSWERS, result, START, 2, "fr", facts)
    assert reword(english, MINI, MINI_ANSWERS, result, "fr") == french
    assert reword(french, MINI, MINI_ANSWERS, result, "fr") is french


def test_open_steps_follow_priority_and_skip_finished_ones():
    result = score(MINI, MINI_ANSWERS)
    plan = build_plan(MINI, MINI_ANSWERS, result, START, 2, "en", {"regulated_sector": True})
    first = plan.where_to_start[0]
    remaining = open_steps(plan, {first: "done"})
    assert first not in [s.id for s in remaining]
    assert [s.order for s in remaining] == sorted(s.order for s in remaining)
    assert len(remaining) == len(plan.steps) - 1
