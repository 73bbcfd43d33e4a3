"""Check-ins -> goal status: rolling value, status, trend, grade, streak, habit strength.

How a goal is judged, week by week (weeks are ISO weeks, Monday start):

- The *evaluated week* is the current week when it already has a check-in, else
  the week before (a manager usually checks in for the week that just ended).
- `actual` is the rolling value over the 4 weeks ending at the evaluated week:
  the mean of the weekly figures; the median of the weekly medians for response
  time; replies / received pooled over the 4 weeks for the response rate (a
  busy week weighs more than a quiet one); the latest figure for followers (an
  audience size, not a weekly count). Weeks without figures are left out.
- `grade` is the OKR-style score of *Measure What Matters*, 0.0 to 1.0:
  `actual / target` capped at 1 for "at least" goals, `target / actual` capped
  at 1 for "at most" goals (24 h wanted, 48 h measured: 0.5).
- `status` follows the OKR colours: grade >= 0.7 on track (green),
  0.4 <= grade < 0.7 at risk (yellow), below 0.4 off track (red).
- `trend` compares the rolling value of the last 4 weeks with the 4 weeks
  before: within ±10 % of the earlier value it is flat.
- `streak` counts the weeks meeting the target, going back from the evaluated
  week; one missed week (or a week without check-in) is forgiven once, the
  second one ends the streak. A check-in that leaves a figure empty (nothing
  received, follower count not given) neither meets nor misses.
- `habit_strength` is Loop Habit Tracker's score, see `HABIT_MULTIPLIER`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from coach import clock
from coach.checkin import CheckIn, parse_week, week_of
from coach.model import AssessmentResult, PlanGoal

WINDOW_WEEKS = 4
ON_TRACK_GRADE = 0.7
AT_RISK_GRADE = 0.4
TREND_TOLERANCE = 0.10
# Loop Habit Tracker: score = prev * m + done * (1 - m), m = 0.5 ** (sqrt(freq) / 13),
# stepped daily, with freq in repetitions per day. A weekly habit has freq = 1/7, so
# its half-life is 13 / sqrt(1/7) = 13 * sqrt(7) ≈ 34.4 days ≈ 4.9 weeks. We step once
# a week with that same half-life: m = 0.5 ** (7 / (13 * sqrt(7))) = 0.5 ** (sqrt(7) / 13)
# ≈ 0.868. After 4.9 weeks without meeting the goal, the strength has halved; sixteen
# good weeks in a row from nothing bring it to about 0.90.
HABIT_HALF_LIFE_WEEKS = 13 * math.sqrt(7) / 7
HABIT_MULTIPLIER = 0.5 ** (math.sqrt(7) / 13)
CHART_WEEKS = 16  # weekly values in `profile_status` (GoalStatus.weekly keeps them all)
# Counts of rare events (results tied to the purpose): the window's total, "per 4 weeks".
SUMMED = ("outcomes",)


@dataclass(frozen=True)
class GoalStatus:
    id: str
    title: str
    metric: str
    unit: str
    direction: str
    target: float
    actual: float | None  # rolling 4-week value
    status: str  # "on_track" | "at_risk" | "off_track" | "no_data" | "not_started"
    trend: str  # "improving" | "flat" | "worsening" | "no_data"
    grade: float | None  # 0.0 .. 1.0
    streak: int  # weeks meeting the goal, one miss forgiven once
    habit_strength: float  # 0..1
    weekly: list[tuple[str, float | None]]  # (week, value) for charts
    starts: date | None = None  # the goal counts from this date (its step's start)
    low: float | None = None  # between: the range is low..target
    baseline: float | None = None

    def as_dict(self, chart_weeks: int | None = CHART_WEEKS) -> dict[str, Any]:
        """JSON-safe dict; `weekly` limited to the last `chart_weeks` weeks (None: all)."""
        weekly = self.weekly if chart_weeks is None else self.weekly[-chart_weeks:]
        return {
            "id": self.id,
            "title": self.title,
            "metric": self.metric,
            "unit": self.unit,
            "direction": self.direction,
            "target": self.target,
            "actual": _round(self.actual),
            "status": self.status,
            "trend": self.trend,
            "grade": self.grade,
            "streak": self.streak,
            "habit_strength": self.habit_strength,
            "weekly": [{"week": w, "value": _round(v)} for w, v in weekly],
            "starts": self.starts.isoformat() if self.starts else None,
            "low": self.low,
            "baseline": self.baseline,
        }


@dataclass(frozen=True)
class PlanCompletion:
    steps_total: int  # steps of the plan, skipped ones left out
    steps_done: int
    steps_doing: int
    steps_skipped: int
    steps_due: int  # steps (not skipped) whose due date has passed: what "on schedule" asks
    effort_total_hours: float
    effort_done_hours: float
    effort_due_hours: float
    late: tuple[str, ...]  # step ids past their due date and not done, in plan order
    steps_percent: float  # done / total, 0..100
    effort_percent: float

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["late"] = list(self.late)
        return data


# ---- one goal -----------------------------------------------------------------------------------


def metric_value(checkin: CheckIn, metric: str) -> float | None:
    """One week's figure for `metric` (None when the check-in leaves it empty)."""
    if metric == "response_rate":
        return checkin.response_rate
    value = getattr(checkin, metric, None)
    return None if value is None else float(value)


def rolling_value(checkins: Sequence[CheckIn], metric: str) -> float | None:
    """The goal's value over a window of check-ins (see the module docstring)."""
    if metric == "response_rate":
        received = sum(c.received for c in checkins)
        if not received:
            return None
        return 100.0 * sum(min(c.replies, c.received) for c in checkins) / received
    values = [v for v in (metric_value(c, metric) for c in checkins) if v is not None]
    if not values:
        return None
    if metric == "median_response_hours":
        return float(statistics.median(values))
    if metric == "followers":
        return values[-1]
    if metric in SUMMED:
        return float(sum(values))
    return sum(values) / len(values)


def meets(value: float, target: float, direction: str, low: float | None = None) -> bool:
    """A week meets the goal; `between` goals meet inside [low, target]."""
    if direction == "between":
        return (low if low is not None else 0.0) <= value <= target
    return value <= target if direction == "at_most" else value >= target


def grade(
    actual: float | None, target: float, direction: str, low: float | None = None
) -> float | None:
    """OKR grade 0.0–1.0, rounded to 2 decimals; None without data.

    A `between` goal (low..target) grades 1 inside the range, like at_least below
    it and like at_most above it: posting too much is off the goal too.
    """
    if actual is None:
        return None
    if direction == "between":
        if actual > target:
            return grade(actual, target, "at_most")
        return grade(actual, low if low is not None else 0.0, "at_least")
    if direction == "at_most":
        score = 1.0 if actual <= target else (target / actual if actual > 0 else 1.0)
    else:
        score = 1.0 if target <= 0 else actual / target
    return round(min(max(score, 0.0), 1.0), 2)


def status_for(grade_value: float | None) -> str:
    if grade_value is None:
        return "no_data"
    if grade_value >= ON_TRACK_GRADE:
        return "on_track"
    if grade_value >= AT_RISK_GRADE:
        return "at_risk"
    return "off_track"


def trend(recent: float | None, previous: float | None, direction: str) -> str:
    """ "improving", "flat", "worsening" (the goal's direction decides which way is better)."""
    if recent is None or previous is None:
        return "no_data"
    if previous == 0:
        change = 0.0 if recent == 0 else math.copysign(1.0, recent)
    else:
        change = (recent - previous) / abs(previous)
    if abs(change) <= TREND_TOLERANCE:
        return "flat"
    better = change > 0 if direction != "at_most" else change < 0
    return "improving" if better else "worsening"


def streak(outcomes: Sequence[bool | None]) -> int:
    """Weeks meeting the goal counted back from the last one; one miss forgiven once.

    `outcomes` is oldest first: True met, False missed, None neither (no figure to judge).
    """
    count, forgiven = 0, False
    for outcome in reversed(outcomes):
        if outcome is None:
            continue
        if outcome:
            count += 1
        elif not forgiven:
            forgiven = True
        else:
            break
    return count


def habit_strength(outcomes: Iterable[bool | None]) -> float:
    """Loop Habit Tracker's score over weekly outcomes (oldest first), 0..1."""
    score = 0.0
    for outcome in outcomes:
        if outcome is None:
            continue
        score = score * HABIT_MULTIPLIER + (1.0 if outcome else 0.0) * (1 - HABIT_MULTIPLIER)
    return round(score, 3)


# ---- all goals ----------------------------------------------------------------------------------


def evaluated_week(checkins: Sequence[CheckIn], today: date) -> str:
    """The current week when it has a check-in, else the week before."""
    current = week_of(today)
    if any(c.week == current for c in checkins):
        return current
    return week_of(today - timedelta(days=7))


def week_range(first: str, last: str) -> list[str]:
    """Every ISO week from `first` to `last`, both included."""
    monday, end = parse_week(first), parse_week(last)
    weeks = []
    while monday <= end:
        weeks.append(week_of(monday))
        monday += timedelta(days=7)
    return weeks


def goal_statuses(
    playbook: Any,
    plan_goals: Sequence[PlanGoal],
    targets: dict[str, float],
    checkins: Sequence[CheckIn],
    lang: str,
    today: date | None = None,
) -> list[GoalStatus]:
    """The status of every goal of the plan.

    `targets` (goal id -> target the manager set) override the plan's targets.
    `playbook` may be None; when given, goal titles and units come from it in `lang`.
    """
    today = today or clock.today_in(None)
    end = evaluated_week(checkins, today)
    by_week = {c.week: c for c in checkins if c.week <= end}
    weeks = week_range(min(by_week), end) if by_week else []
    window = [by_week[w] for w in weeks[-WINDOW_WEEKS:] if w in by_week]
    before = [by_week[w] for w in weeks[-2 * WINDOW_WEEKS : -WINDOW_WEEKS] if w in by_week]
    in_order = [by_week.get(w) for w in weeks]
    return [
        _goal_status(playbook, g, targets, weeks, in_order, window, before, lang, today)
        for g in plan_goals
    ]


def _goal_status(
    playbook: Any,
    goal: PlanGoal,
    targets: dict[str, float],
    weeks: list[str],
    in_order: list[CheckIn | None],
    window: list[CheckIn],
    before: list[CheckIn],
    lang: str,
    today: date | None = None,
) -> GoalStatus:
    target = float(targets.get(goal.id, goal.target))
    metric, low = goal.metric, getattr(goal, "low", None)
    starts = getattr(goal, "starts", None)
    values = [None if c is None else metric_value(c, metric) for c in in_order]
    # No check-in: the habit was not kept that week; an empty figure: nothing to judge.
    # Weeks before the goal starts (its step has not begun) are neither met nor missed.
    outcomes = [
        None
        if starts is not None and parse_week(w) < starts - timedelta(days=starts.weekday())
        else False
        if c is None
        else None
        if v is None
        else meets(v, target, goal.direction, low)
        for w, c, v in zip(weeks, in_order, values, strict=True)
    ]
    weekly = list(zip(weeks, values, strict=True))
    actual = rolling_value(window, goal.metric)
    goal_grade = grade(actual, target, goal.direction, low)
    started = starts is None or today is None or today >= starts
    title, unit = goal.title, goal.unit
    source = playbook.goal(goal.id) if playbook is not None else None
    if source is not None:
        title, unit = source.title.get(lang), source.unit.get(lang)
    return GoalStatus(
        id=goal.id,
        title=title,
        metric=goal.metric,
        unit=unit,
        direction=goal.direction,
        target=target,
        actual=actual,
        status=status_for(goal_grade) if started else "not_started",
        trend=trend(actual, rolling_value(before, goal.metric), goal.direction),
        grade=goal_grade if started else None,
        streak=streak(outcomes),
        habit_strength=habit_strength(outcomes),
        weekly=weekly,
        starts=starts,
        low=low,
        baseline=getattr(goal, "baseline", None),
    )


# ---- plan and assessments -----------------------------------------------------------------------


def plan_completion(stored_plan: Any, today: date | None = None) -> PlanCompletion:
    """Steps and effort done against what was planned by `today`; late steps."""
    today = today or clock.today_in(None)
    if stored_plan is None:
        return PlanCompletion(0, 0, 0, 0, 0, 0.0, 0.0, 0.0, (), 0.0, 0.0)
    steps = sorted(stored_plan.plan.steps, key=lambda s: s.order)
    state = {
        s.id: stored_plan.states[s.id].state if s.id in stored_plan.states else "todo"
        for s in steps
    }
    active = [s for s in steps if state[s.id] != "skipped"]
    done = [s for s in active if state[s.id] == "done"]
    due = [s for s in active if s.due < today]
    total_effort = sum(s.effort_hours for s in active)
    done_effort = sum(s.effort_hours for s in done)
    return PlanCompletion(
        steps_total=len(active),
        steps_done=len(done),
        steps_doing=sum(1 for s in active if state[s.id] == "doing"),
        steps_skipped=len(steps) - len(active),
        steps_due=len(due),
        effort_total_hours=round(total_effort, 2),
        effort_done_hours=round(done_effort, 2),
        effort_due_hours=round(sum(s.effort_hours for s in due), 2),
        late=tuple(s.id for s in due if state[s.id] != "done"),
        steps_percent=round(100.0 * len(done) / len(active), 1) if active else 0.0,
        effort_percent=round(100.0 * done_effort / total_effort, 1) if total_effort else 0.0,
    )


def assessment_delta(assessments: Sequence[Any]) -> dict[str, float] | None:
    """Score change per dimension between the last two assessments (None with fewer than two).

    Accepts StoredAssessment values (oldest first) or AssessmentResult values; dimensions
    without a score in either assessment are left out.
    """
    if len(assessments) < 2:
        return None
    old, new = (_result(a) for a in assessments[-2:])
    delta: dict[str, float] = {}
    for dim in new.dimensions:
        before = old.score_of(dim.dimension)
        if dim.score is not None and before is not None and before.score is not None:
            delta[dim.dimension] = round(dim.score - before.score, 1)
    return delta


def _result(item: Any) -> AssessmentResult:
    return item if isinstance(item, AssessmentResult) else item.result


def profile_status(
    store: Any,
    profile_name: str,
    today: date | None = None,
    *,
    lang: str | None = None,
    playbook: Any = None,
) -> dict[str, Any]:
    """What `coach status` prints as JSON: goals, plan completion, assessment change."""
    profile = store.get_profile(profile_name)
    today = today or clock.today_in(profile.timezone)
    lang = lang or profile.language
    stored = store.get_plan(profile_name)
    checkins = store.list_checkins(profile_name)
    plan_goals = stored.plan.goals if stored is not None else ()
    goals = goal_statuses(
        playbook, plan_goals, store.goal_targets(profile_name), checkins, lang, today
    )
    return {
        "profile": profile.name,
        "language": lang,
        "today": today.isoformat(),
        "evaluated_week": evaluated_week(checkins, today),
        "checkins": {
            "count": len(checkins),
            "first_week": checkins[0].week if checkins else None,
            "last_week": checkins[-1].week if checkins else None,
        },
        "goals": [g.as_dict() for g in goals],
        "plan_completion": plan_completion(stored, today).as_dict(),
        "assessment_delta": assessment_delta(store.list_assessments(profile_name)),
    }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
