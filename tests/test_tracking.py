"""Goal status from check-ins: rolling value, grade, status, trend, streak, habit strength."""

from __future__ import annotations

import math
import sys
from dataclasses import replace as _replace
from datetime import date, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "store"))

from store_builders import TODAY, engine_plan, goal, hand_plan, series, step, weeks_back

from coach.checkin import CheckIn, parse_week
from coach.model import AssessmentResult, DimensionScore
from coach.store import StepStatus, Store, StoredPlan
from coach.tracking import (
    HABIT_HALF_LIFE_WEEKS,
    HABIT_MULTIPLIER,
    assessment_delta,
    evaluated_week,
    goal_statuses,
    grade,
    habit_strength,
    meets,
    plan_completion,
    profile_status,
    status_for,
    streak,
    trend,
)

POSTS = goal("posts", "posts", 2)


def one(checkins, g=POSTS, targets=None, today=TODAY):
    return goal_statuses(None, [g], targets or {}, checkins, "en", today)[0]


# ---- rolling value ------------------------------------------------------------------------------


def test_actual_is_the_mean_of_the_last_four_weeks() -> None:
    status = one(series([0, 0, 0, 0, 1, 2, 3, 2]))
    assert status.actual == 2.0
    assert status.grade == 1.0 and status.status == "on_track"
    assert status.trend == "improving"
    assert [v for _, v in status.weekly] == [0, 0, 0, 0, 1, 2, 3, 2]


def test_weeks_without_a_checkin_are_left_out_of_the_mean() -> None:
    status = one(series([2, None, None, 4]))
    assert status.actual == 3.0
    assert [v for _, v in status.weekly] == [2, None, None, 4]


def test_the_current_week_counts_once_it_has_a_checkin() -> None:
    past = series([1, 1, 1, 1])
    assert evaluated_week(past, TODAY) == "2026-W47"
    now = [*past, CheckIn("2026-W48", posts=5)]
    assert evaluated_week(now, TODAY) == "2026-W48"
    assert one(now).actual == 2.0  # weeks 45, 46, 47, 48: 1, 1, 1, 5


def test_old_checkins_only_give_no_data() -> None:
    status = one(series([3, 3, 3], end=TODAY - timedelta(weeks=10)))
    assert status.actual is None
    assert (status.status, status.trend, status.grade) == ("no_data", "no_data", None)


def test_no_checkins_at_all() -> None:
    status = one([])
    assert (status.status, status.streak, status.habit_strength, status.weekly) == (
        "no_data",
        0,
        0.0,
        [],
    )


def test_response_time_is_the_median_of_weekly_medians() -> None:
    weeks = weeks_back(4)
    hours = [10.0, 30.0, 2.0, 50.0]
    checkins = [CheckIn(w, median_response_hours=h) for w, h in zip(weeks, hours, strict=True)]
    status = one(checkins, goal("rt", "median_response_hours", 24, "at_most"))
    assert status.actual == 20.0
    assert status.grade == 1.0


def test_response_rate_pools_the_four_weeks() -> None:
    weeks = weeks_back(2)
    checkins = [
        CheckIn(weeks[0], received=10, replies=10),
        CheckIn(weeks[1], received=2, replies=0),
    ]
    status = one(checkins, goal("rate", "response_rate", 90))
    assert status.actual == pytest.approx(100 * 10 / 12)  # not the mean of 100 % and 0 %
    assert status.weekly == [(weeks[0], 100.0), (weeks[1], 0.0)]


def test_followers_use_the_latest_count() -> None:
    weeks = weeks_back(3)
    checkins = [CheckIn(w, followers=f) for w, f in zip(weeks, [100, 130, 120], strict=True)]
    assert one(checkins, goal("f", "followers", 200)).actual == 120


# ---- grade, status, trend -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "target", "direction", "expected"),
    [
        (1.5, 2, "at_least", 0.75),
        (3, 2, "at_least", 1.0),
        (0, 2, "at_least", 0.0),
        (0, 0, "at_least", 1.0),
        (48, 24, "at_most", 0.5),
        (12, 24, "at_most", 1.0),
        (96, 24, "at_most", 0.25),
        (5, 0, "at_most", 0.0),
        (None, 2, "at_least", None),
    ],
)
def test_okr_grade(actual, target, direction, expected) -> None:
    assert grade(actual, target, direction) == expected


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (1.0, "on_track"),
        (0.7, "on_track"),
        (0.69, "at_risk"),
        (0.4, "at_risk"),
        (0.39, "off_track"),
        (0.0, "off_track"),
        (None, "no_data"),
    ],
)
def test_status_follows_okr_colours(value, status) -> None:
    assert status_for(value) == status


def test_status_end_to_end_for_each_colour() -> None:
    assert one(series([1, 2, 1, 2])).status == "on_track"  # 1.5 of 2: 0.75
    assert one(series([1, 1, 1, 1])).status == "at_risk"  # 0.5
    assert one(series([0, 1, 0, 0])).status == "off_track"  # 0.125


def test_trend_is_flat_within_ten_percent_and_knows_which_way_is_better() -> None:
    assert trend(2.1, 2.0, "at_least") == "flat"
    assert trend(2.5, 2.0, "at_least") == "improving"
    assert trend(1.5, 2.0, "at_least") == "worsening"
    assert trend(12, 24, "at_most") == "improving"
    assert trend(30, 24, "at_most") == "worsening"
    assert trend(1, 0, "at_least") == "improving"
    assert trend(0, 0, "at_least") == "flat"
    assert trend(None, 2, "at_least") == "no_data"


def test_trend_compares_with_the_four_weeks_before() -> None:
    assert one(series([3, 3, 3, 3, 1, 1, 1, 1])).trend == "worsening"
    assert one(series([2, 2, 2, 2, 2, 2, 2, 2])).trend == "flat"
    assert one(series([2, 2, 2, 2])).trend == "no_data"  # nothing to compare with


def test_a_target_set_by_the_manager_wins_over_the_plans() -> None:
    status = one(series([2, 2, 2, 2]), targets={"posts": 4})
    assert status.target == 4.0 and status.grade == 0.5 and status.status == "at_risk"


# ---- streak and habit strength ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([True, True, True], 3),
        ([True, True, False, True, True], 4),  # one miss forgiven
        ([True, False, False, True], 1),  # the second miss ends it
        ([True, True, True, False], 3),  # the latest week missed, forgiven
        ([True, False, True, False, True], 2),
        ([False], 0),
        ([True, None, True], 2),  # nothing to judge that week
        ([], 0),
    ],
)
def test_streak_forgives_one_missed_week_once(outcomes, expected) -> None:
    assert streak(outcomes) == expected


def test_a_week_without_checkin_is_a_miss_for_the_streak() -> None:
    assert one(series([2, 2, None, 2, 2])).streak == 4
    assert one(series([2, 2, None, None, 2])).streak == 1
    assert one(series([2, 2, 1, 2, 2])).streak == 4


def test_empty_figures_neither_meet_nor_miss() -> None:
    weeks = weeks_back(3)
    checkins = [
        CheckIn(weeks[0], received=4, replies=4),
        CheckIn(weeks[1], received=0, replies=0),  # nothing to reply to
        CheckIn(weeks[2], received=5, replies=5),
    ]
    assert one(checkins, goal("rate", "response_rate", 90)).streak == 2


def test_habit_strength_half_life_is_about_five_weeks() -> None:
    assert math.isclose(HABIT_MULTIPLIER, 0.5 ** (math.sqrt(7) / 13), rel_tol=1e-6)
    assert math.isclose(HABIT_MULTIPLIER**HABIT_HALF_LIFE_WEEKS, 0.5, rel_tol=1e-6)
    assert 4.8 < HABIT_HALF_LIFE_WEEKS < 5.0
    strong = habit_strength([True] * 16)
    assert 0.88 < strong < 0.92
    faded = habit_strength([True] * 16 + [False] * 5)
    assert faded == pytest.approx(strong * HABIT_MULTIPLIER**5, abs=1e-3)
    assert habit_strength([]) == 0.0
    assert habit_strength([True, None, None]) == habit_strength([True])


def test_habit_strength_grows_with_kept_weeks() -> None:
    weak = one(series([2, 0, 0, 2])).habit_strength
    strong = one(series([2, 2, 2, 2])).habit_strength
    assert 0 < weak < strong < 1


# ---- playbook titles ----------------------------------------------------------------------------


def test_titles_come_from_the_playbook_in_the_users_language() -> None:
    playbook, *_rest, plan = engine_plan(date(2026, 9, 7), lang="en")
    fr = goal_statuses(playbook, plan.goals, {}, series([1, 1]), "fr", TODAY)
    en = goal_statuses(None, plan.goals, {}, series([1, 1]), "fr", TODAY)
    assert fr[0].title == "Publications par semaine" and fr[0].unit == "publications"
    assert en[0].title == "Posts per week"  # without a playbook: the plan's own words


# ---- plan completion ----------------------------------------------------------------------------


def stored(states: dict[str, str]) -> StoredPlan:
    d = date(2026, 10, 5)
    steps = [
        step("a", d, d + timedelta(days=6), effort=2, order=0),
        step("b", d + timedelta(days=7), d + timedelta(days=13), effort=3, order=1),
        step("c", d + timedelta(days=14), d + timedelta(days=20), effort=1, order=2),
        step("d", d + timedelta(days=60), d + timedelta(days=66), effort=4, order=3),
    ]
    return StoredPlan(
        plan=hand_plan(steps),
        states={s.id: StepStatus(states.get(s.id, "todo"), None, "") for s in steps},
        created_at=None,  # type: ignore[arg-type]
    )


def test_plan_completion_counts_steps_effort_and_late_steps() -> None:
    pc = plan_completion(
        stored({"a": "done", "b": "doing", "c": "skipped"}), today=date(2026, 11, 1)
    )
    assert (pc.steps_total, pc.steps_done, pc.steps_doing, pc.steps_skipped) == (3, 1, 1, 1)
    assert (pc.effort_total_hours, pc.effort_done_hours) == (9, 2)
    assert pc.steps_due == 2 and pc.effort_due_hours == 5  # a and b were due by then
    assert pc.late == ("b",)
    assert pc.steps_percent == pytest.approx(33.3) and pc.effort_percent == pytest.approx(22.2)


def test_a_step_due_today_is_not_late_yet() -> None:
    pc = plan_completion(stored({}), today=date(2026, 10, 11))
    assert pc.late == ()
    assert plan_completion(stored({}), today=date(2026, 10, 12)).late == ("a",)


def test_no_plan_means_zero_completion() -> None:
    pc = plan_completion(None)
    assert pc.steps_total == 0 and pc.late == ()


# ---- assessments --------------------------------------------------------------------------------


def result(scores: dict[str, float | None]) -> AssessmentResult:
    dims = tuple(DimensionScore(d, s, None if s is None else 1, 1, 1) for d, s in scores.items())
    return AssessmentResult("p", "1", dims, 50.0, 3, 1.0, (), (), ())


def test_assessment_delta_between_the_last_two() -> None:
    history = [
        result({"presence": 10, "responsiveness": 40}),
        result({"presence": 20, "responsiveness": 50, "listening": None}),
        result({"presence": 45.5, "responsiveness": 35, "listening": 60}),
    ]
    assert assessment_delta(history) == {"presence": 25.5, "responsiveness": -15.0}
    assert assessment_delta(history[:1]) is None


# ---- the status report --------------------------------------------------------------------------


def test_profile_status_has_what_the_cli_prints(tmp_path: Path) -> None:
    start = TODAY - timedelta(weeks=10)
    with Store(tmp_path / "coach.db") as store:
        store.create_profile("ana", language="en", start_date=start)
        playbook, answers, _facts, res, plan = engine_plan(start)
        store.add_assessment("ana", playbook, answers, res)
        store.save_plan("ana", plan)
        store.set_step_state("ana", plan.steps[0].id, "done")
        store.set_goal_target("ana", "posts-per-week", 3)
        store.save_checkins(
            "ana",
            [
                CheckIn(
                    w,
                    posts=3,
                    received=10,
                    replies=9,
                    median_response_hours=5,
                    employee_touchpoints=1,
                )
                for w in weeks_back(8)
            ],
        )
        status = profile_status(store, "ana", today=TODAY)
    assert status["evaluated_week"] == "2026-W47"
    goals = {g["id"]: g for g in status["goals"]}
    assert set(goals) == {g.id for g in plan.goals}
    posts = goals["posts-per-week"]
    # The goal counts from the week its setting step starts: earlier weeks are not judged.
    starts = date.fromisoformat(posts["starts"])
    counted = [
        w for w in weeks_back(8) if parse_week(w) >= starts - timedelta(days=starts.weekday())
    ]
    assert 0 < len(counted) < 8
    assert {k: posts[k] for k in ("target", "actual", "status", "grade", "streak", "trend")} == {
        "target": 3.0,
        "actual": 3.0,
        "status": "on_track",
        "grade": 1.0,
        "streak": len(counted),
        "trend": "flat",
    }
    assert goals["response-rate"]["actual"] == 90.0
    assert status["plan_completion"]["steps_done"] == 1
    assert status["assessment_delta"] is None


# ---- goals that start later, ranges, perception and outcomes (issue 9) --------------------------


def test_a_goal_reads_not_started_before_its_step_starts_never_off_track() -> None:
    g = _replace(goal("posts-per-week", "posts", 2), starts=TODAY + timedelta(weeks=3))
    status = goal_statuses(None, [g], {}, series([0, 0, 0, 0]), "en", TODAY)[0]
    assert status.status == "not_started" and status.grade is None
    assert status.streak == 0 and status.habit_strength == 0
    started = goal_statuses(None, [_replace(g, starts=None)], {}, series([0] * 4), "en", TODAY)[0]
    assert started.status == "off_track"


def test_weeks_before_the_start_are_neither_met_nor_missed() -> None:
    starts = parse_week(weeks_back(2)[0])
    g = _replace(goal("posts-per-week", "posts", 1), starts=starts)
    status = goal_statuses(None, [g], {}, series([0, 0, 0, 2, 2]), "en", TODAY)[0]
    assert status.streak == 2 and status.status == "on_track"


def test_a_range_goal_grades_too_much_as_well_as_too_little() -> None:
    assert grade(2.5, 3, "between", low=2) == 1.0
    assert grade(1.0, 3, "between", low=2) == 0.5
    assert grade(6.0, 3, "between", low=2) == 0.5
    assert meets(2, 3, "between", 2) and not meets(5, 3, "between", 2)
    g = _replace(goal("posts-per-week", "posts", 3, "between"), low=2.0)
    broadcasting = goal_statuses(None, [g], {}, series([5, 5, 5, 5]), "en", TODAY)[0]
    assert broadcasting.status == "at_risk" and broadcasting.grade == 0.6
    calmer = goal_statuses(None, [g], {}, series([3, 2, 3, 2]), "en", TODAY)[0]
    assert calmer.status == "on_track"


def test_outcomes_count_over_four_weeks_and_perception_is_a_mean() -> None:
    weeks = weeks_back(4)
    checkins = [
        CheckIn(w, outcomes=o, pulse_score=p)
        for w, o, p in zip(weeks, [0, 1, 0, 1], [60, 70, 80, 70], strict=True)
    ]
    outcome = goal("purpose-outcomes", "outcomes", 2)
    pulse = goal("employee-pulse", "pulse_score", 70)
    got = {s.id: s for s in goal_statuses(None, [outcome, pulse], {}, checkins, "en", TODAY)}
    assert got["purpose-outcomes"].actual == 2.0 and got["purpose-outcomes"].status == "on_track"
    assert got["employee-pulse"].actual == 70.0
