"""The board pack: everything the formats print, already translated and plain.

`BoardPack` is built once from the store (`build_pack`) and rendered by one
module per format. Renderers never read the database and never translate
domain data; they only lay out what the pack holds (headings come from
`pack.text(key)`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from coach.checkin import CheckIn, shift_week, today_in, week_of
from coach.errors import CoachError
from coach.i18n import fmt_number, normalize_lang, t, unit_for
from coach.model import Playbook
from coach.tracking import (
    assessment_delta,
    evaluated_week,
    goal_statuses,
    metric_value,
    plan_completion,
    week_range,
)

FORMATS = ("pdf", "html", "md", "csv", "ics")
STATUSES = ("on_track", "at_risk", "off_track", "no_data")
STEP_STATES = ("todo", "doing", "done", "skipped")
CHART_METRICS = ("posts", "median_response_hours", "response_rate")  # weekly charts, in order


@dataclass(frozen=True)
class DimensionLine:
    id: str
    title: str
    score: float | None  # 0..100
    level: int | None  # 1..5
    level_name: str
    target_level: int | None
    target_level_name: str
    delta: float | None  # score points since the previous assessment


@dataclass(frozen=True)
class Maturity:
    assessed_on: date
    overall_score: float | None
    overall_level: int | None
    overall_level_name: str
    target_level: int | None
    target_level_name: str
    overall_delta: float | None  # None: first assessment
    previous_on: date | None
    coverage: float  # 0..1
    dimensions: tuple[DimensionLine, ...]


@dataclass(frozen=True)
class GoalLine:
    id: str
    title: str
    metric: str
    unit: str
    direction: str  # at_least | at_most
    target: float
    actual: float | None  # rolling 4-week value
    status: str  # one of STATUSES
    status_label: str  # words, never only a colour
    trend: str
    trend_label: str
    grade: float | None  # 0..1
    streak: int


@dataclass(frozen=True)
class StepLine:
    id: str
    order: int
    title: str
    dimension: str  # dimension title
    phase: str  # one of coach.model.PHASES
    phase_label: str
    start: date
    due: date
    effort_hours: float
    state: str  # one of STEP_STATES
    state_label: str
    changed_on: date | None
    note: str  # typed by the manager
    why: tuple[str, ...]
    starter: str
    quick_win: bool
    late: bool


@dataclass(frozen=True)
class CheckInLine:
    week: str
    posts: int
    received: int
    replies: int
    median_response_hours: float | None
    response_rate: float | None  # percent
    followers: int | None
    mentions: int | None
    monitoring_sessions: int | None
    employee_touchpoints: int | None
    note: str  # typed by the manager
    source: str


@dataclass(frozen=True)
class Series:
    """One weekly figure for a chart, with the goal's target when there is one."""

    metric: str  # posts | median_response_hours | response_rate
    title: str
    unit: str
    target: float | None
    direction: str | None
    points: tuple[tuple[str, float | None], ...]  # (ISO week, value), oldest first

    @property
    def has_data(self) -> bool:
        return any(value is not None for _, value in self.points)


@dataclass(frozen=True)
class BurnupPoint:
    week: str
    planned: float  # effort hours due by the end of this week, cumulative
    done: float | None  # effort hours of steps done by then; None for weeks to come


@dataclass(frozen=True)
class Completion:
    steps_done: int
    steps_total: int  # skipped steps do not count
    hours_done: float
    hours_total: float
    late: int


@dataclass(frozen=True)
class BoardPack:
    lang: str
    profile_name: str  # typed by the manager: escape it in markup
    profile_id: int | None
    timezone: str
    generated_on: date
    playbook_id: str
    playbook_version: str
    playbook_title: str
    hours_per_week: float
    maturity: Maturity | None  # None: no assessment yet
    priorities: tuple[StepLine, ...]  # where to start (three steps)
    goals: tuple[GoalLine, ...]
    changes: tuple[str, ...]  # sentences
    risks: tuple[str, ...]
    asks: tuple[str, ...]
    plan_start: date | None  # None: no plan yet
    steps: tuple[StepLine, ...]
    completion: Completion | None
    series: tuple[Series, ...]
    burnup: tuple[BurnupPoint, ...]
    checkins: tuple[CheckInLine, ...]  # oldest first
    method: tuple[str, ...]  # paragraphs
    posting_target: float | None = None  # posts per week, for the calendar reminder

    def text(self, key: str, **params: object) -> str:
        """A fixed string of the pack (headings, labels) in the pack's language."""
        return t(f"exports.{key}", self.lang, **params)

    def num(self, value: float | None, digits: int = 1) -> str:
        return fmt_number(None if value is None else round(value, digits), self.lang, digits)

    def date(self, day: date | datetime | None, long: bool = False) -> str:
        return fmt_date(day, self.lang, long=long)

    def value(self, value: float | None, unit: str) -> str:
        """A figure with its unit: '2,5 publications', '90 %', '—'."""
        return fmt_value(value, unit, self.lang)

    def target(self, goal: GoalLine) -> str:
        sign = "≥" if goal.direction == "at_least" else "≤"
        return f"{sign} {self.value(goal.target, goal.unit)}"

    def phases(self) -> list[tuple[str, list[StepLine]]]:
        """Steps grouped by phase label, in plan order."""
        groups: dict[str, list[StepLine]] = {}
        for step in sorted(self.steps, key=lambda s: s.order):
            groups.setdefault(step.phase_label, []).append(step)
        return list(groups.items())


def week_monday(week: str) -> date:
    """The Monday of an ISO week written 'YYYY-Www'."""
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def fmt_date(day: date | datetime | None, lang: str, long: bool = False) -> str:
    """ISO dates in tables; 'le 12 février 2026' style for headings when long."""
    if day is None:
        return "—"
    if isinstance(day, datetime):
        day = day.date()
    if not long:
        return day.isoformat()
    month = t(f"exports.month.{day.month}", lang)
    if normalize_lang(lang) == "fr":
        first = "1er" if day.day == 1 else str(day.day)
        return f"{first} {month} {day.year}"
    return f"{month} {day.day}, {day.year}"


def fmt_value(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return "—"
    number = fmt_number(round(value, 1), lang, 1)
    if unit == "%":
        return f"{number}\u00a0%" if normalize_lang(lang) == "fr" else f"{number}%"
    return f"{number} {unit_for(unit, round(value, 1), lang)}".strip()


def fmt_grade(grade: float | None, lang: str) -> str:
    return "—" if grade is None else fmt_number(round(grade, 1), lang, 1)


def fmt_delta(delta: float | None, lang: str) -> str:
    if delta is None:
        return "—"
    rounded = round(delta)
    if rounded == 0:
        return "±0"
    sign = "+" if rounded > 0 else "−"
    return f"{sign}{fmt_number(abs(rounded), lang, 0)}"


# ---- building the pack from the store -------------------------------------------------------------

CHANGE_WINDOW_DAYS = 28  # "what changed": the last four weeks
CHART_WEEKS = 12
MAX_RISKS = 4
MAX_ASKS = 3
ASK_FOR_METRIC = {
    "posts": "content",
    "median_response_hours": "backup",
    "response_rate": "backup",
    "employee_touchpoints": "employees",
    "monitoring_sessions": "listening",
    "mentions": "listening",
}


def build_pack(
    store: Any,
    profile_name: str,
    lang: str | None = None,
    today: date | None = None,
    playbook: Playbook | None = None,
) -> BoardPack:
    """Everything the board pack shows for one profile, in `lang` (default: the profile's).

    Raises NotFound for an unknown profile. A profile without assessment, plan or
    check-ins still gives a pack; the formats print "not yet" where data is missing.
    """
    profile = store.get_profile(profile_name)
    lang = normalize_lang(lang or profile.language)
    today = today or today_in(profile.timezone)
    playbook = playbook or _load_playbook(profile.playbook_id)
    assessments = store.list_assessments(profile.name)
    stored = store.get_plan(profile.name)
    checkins = store.list_checkins(profile.name)
    plan = stored.plan if stored else None

    plan_goals = plan.goals if plan else ()
    targets = store.goal_targets(profile.name)
    statuses = goal_statuses(playbook, plan_goals, targets, checkins, lang, today)
    steps = _steps(playbook, stored, assessments, profile, lang, today)
    goals = tuple(_goal_line(g, lang) for g in statuses)
    open_steps = [s for s in steps if s.state in ("todo", "doing")]
    priorities = tuple(open_steps[:3]) if open_steps else _where_to_start(plan, steps)
    completion = plan_completion(stored, today) if stored else None

    ctx = _Ctx(lang, today, playbook, profile)
    return BoardPack(
        lang=lang,
        profile_name=profile.name,
        profile_id=profile.id,
        timezone=profile.timezone,
        generated_on=today,
        playbook_id=plan.playbook_id if plan else profile.playbook_id,
        playbook_version=_playbook_version(playbook, plan, assessments),
        playbook_title=playbook.title.get(lang) if playbook else profile.playbook_id,
        hours_per_week=profile.hours_per_week,
        maturity=_maturity(ctx, assessments, steps),
        priorities=priorities,
        goals=goals,
        changes=_changes(ctx, steps, assessments, plan_goals, targets, checkins, goals),
        risks=_risks(ctx, goals, steps, checkins, assessments),
        asks=_asks(ctx, goals, steps, plan is not None),
        plan_start=plan.start if plan else None,
        steps=steps,
        completion=_completion(completion),
        series=_series(ctx, checkins, goals),
        burnup=_burnup(steps, plan.start if plan else None, today),
        checkins=tuple(_checkin_line(c) for c in checkins),
        method=_method(ctx, playbook, plan, assessments, profile),
        posting_target=next((g.target for g in goals if g.metric == "posts"), None),
    )


@dataclass(frozen=True)
class _Ctx:
    lang: str
    today: date
    playbook: Playbook | None
    profile: Any

    def text(self, key: str, **params: object) -> str:
        return t(f"exports.{key}", self.lang, **params)

    def dimension_title(self, dim_id: str) -> str:
        dim = _find(self.playbook.dimensions if self.playbook else (), dim_id)
        return dim.title.get(self.lang) if dim else dim_id

    def level_name(self, level: int | None) -> str:
        if level is None or self.playbook is None:
            return ""
        found = next((lv for lv in self.playbook.levels if lv.level == level), None)
        return found.name.get(self.lang) if found else ""


def _find(items: Any, item_id: str) -> Any:
    return next((item for item in items if item.id == item_id), None)


def _load_playbook(playbook_id: str) -> Playbook | None:
    """The profile's playbook, for titles in the pack's language; None when it is gone."""
    from coach.playbook import find_playbook, load_playbook

    path = find_playbook(playbook_id)
    if path is None:
        return None
    try:
        return load_playbook(path)
    except CoachError:
        return None


def _playbook_version(playbook: Playbook | None, plan: Any, assessments: list) -> str:
    if plan is not None:
        return plan.playbook_version
    if assessments:
        return assessments[-1].playbook_version
    return playbook.version if playbook else "—"


# ---- plan steps -----------------------------------------------------------------------------------


def _steps(playbook, stored, assessments, profile, lang: str, today: date) -> tuple[StepLine, ...]:
    if stored is None:
        return ()
    plan = stored.plan
    reasons = _reasons_in(lang, playbook, plan, assessments, profile)
    lines = []
    for order, step in enumerate(plan.steps):
        status = stored.states.get(step.id)
        state = status.state if status else "todo"
        action = playbook.action(step.id) if playbook else None
        translate = action is not None and plan.lang != lang
        lines.append(
            StepLine(
                id=step.id,
                order=order,
                title=action.title.get(lang) if translate else step.title,
                dimension=_Ctx(lang, today, playbook, profile).dimension_title(step.dimension),
                phase=step.phase,
                phase_label=t(f"exports.phase.{step.phase}", lang),
                start=step.start,
                due=step.due,
                effort_hours=step.effort_hours,
                state=state,
                state_label=t(f"exports.state.{state}", lang),
                changed_on=status.changed_on if status else None,
                note=status.note if status else "",
                why=reasons.get(step.id, step.why),
                starter=action.starter.get(lang) if translate else step.starter,
                quick_win=step.quick_win,
                late=step.due < today and state not in ("done", "skipped"),
            )
        )
    return tuple(lines)


def _reasons_in(lang, playbook, plan, assessments, profile) -> dict[str, tuple[str, ...]]:
    """The steps' reasons in `lang`: the stored ones, or the plan explained again."""
    if plan.lang == lang or playbook is None:
        return {}
    if assessments:
        from coach.planner import reword

        last = assessments[-1]
        return {s.id: s.why for s in reword(plan, playbook, last.answers, last.result, lang).steps}
    # No way to explain again: the action's own "why" at least speaks the right language.
    return {s.id: (a.why.get(lang),) for s in plan.steps if (a := playbook.action(s.id))}


def _where_to_start(plan, steps: tuple[StepLine, ...]) -> tuple[StepLine, ...]:
    if plan is None:
        return ()
    by_id = {s.id: s for s in steps}
    return tuple(by_id[i] for i in plan.where_to_start if i in by_id)


def _completion(c: Any) -> Completion | None:
    if c is None or not c.steps_total:
        return None
    return Completion(
        steps_done=c.steps_done,
        steps_total=c.steps_total,
        hours_done=c.effort_done_hours,
        hours_total=c.effort_total_hours,
        late=len(c.late),
    )


# ---- maturity -------------------------------------------------------------------------------------


def _maturity(ctx: _Ctx, assessments: list, steps: tuple[StepLine, ...]) -> Maturity | None:
    if not assessments:
        return None
    last = assessments[-1]
    result = last.result
    previous = assessments[-2] if len(assessments) > 1 else None
    deltas = assessment_delta(assessments) or {}
    dims = []
    # The target of a dimension: the highest level the plan's steps reach there.
    step_levels: dict[str, int] = {}
    for step in steps:
        if step.state != "skipped":
            dim_id = _step_dimension(ctx, step)
            step_levels[dim_id] = max(step_levels.get(dim_id, 0), _step_level(ctx, step))
    for score in result.dimensions:
        target = max(score.level or 0, step_levels.get(score.dimension, 0)) or None
        dims.append(
            DimensionLine(
                id=score.dimension,
                title=ctx.dimension_title(score.dimension),
                score=score.score,
                level=score.level,
                level_name=ctx.level_name(score.level),
                target_level=target,
                target_level_name=ctx.level_name(target),
                delta=deltas.get(score.dimension),
            )
        )
    overall_target = min(5, result.overall_level + 1) if result.overall_level else None
    overall_delta = None
    if previous is not None and previous.result.overall_score is not None:
        if result.overall_score is not None:
            overall_delta = round(result.overall_score - previous.result.overall_score, 1)
    return Maturity(
        assessed_on=last.taken_at.date(),
        overall_score=result.overall_score,
        overall_level=result.overall_level,
        overall_level_name=ctx.level_name(result.overall_level),
        target_level=overall_target,
        target_level_name=ctx.level_name(overall_target),
        overall_delta=overall_delta,
        previous_on=previous.taken_at.date() if previous else None,
        coverage=result.coverage,
        dimensions=tuple(dims),
    )


def _step_dimension(ctx: _Ctx, step: StepLine) -> str:
    action = ctx.playbook.action(step.id) if ctx.playbook else None
    return action.dimension if action else step.dimension


def _step_level(ctx: _Ctx, step: StepLine) -> int:
    action = ctx.playbook.action(step.id) if ctx.playbook else None
    return action.level if action else 0


# ---- goals, changes, risks, asks ------------------------------------------------------------------


def _goal_line(g: Any, lang: str) -> GoalLine:
    return GoalLine(
        id=g.id,
        title=g.title,
        metric=g.metric,
        unit=g.unit,
        direction=g.direction,
        target=g.target,
        actual=g.actual,
        status=g.status,
        status_label=t(f"exports.status.{g.status}", lang),
        trend=g.trend,
        trend_label=t(f"exports.trend.{g.trend}", lang),
        grade=g.grade,
        streak=g.streak,
    )


def _changes(ctx, steps, assessments, plan_goals, targets, checkins, goals) -> tuple[str, ...]:
    since = ctx.today - timedelta(days=CHANGE_WINDOW_DAYS)
    when = fmt_date(since, ctx.lang, long=True)
    out = []
    if steps:
        done = [s for s in steps if s.state == "done" and s.changed_on and s.changed_on >= since]
        titles = ", ".join(f"« {s.title} »" if ctx.lang == "fr" else f"“{s.title}”" for s in done)
        if not done:
            out.append(ctx.text("changes.steps_done_none", since=when))
        elif len(done) == 1:
            out.append(ctx.text("changes.steps_done_one", since=when, titles=titles))
        else:
            out.append(
                ctx.text("changes.steps_done_many", count=len(done), since=when, titles=titles)
            )
    if len(assessments) >= 2:
        out.append(_assessment_change(ctx, assessments))
    elif assessments:
        out.append(
            ctx.text(
                "changes.assessment_first",
                date=fmt_date(assessments[0].taken_at, ctx.lang, long=True),
            )
        )
    before = goal_statuses(ctx.playbook, plan_goals, targets, checkins, ctx.lang, since)
    then = {g.id: g.grade for g in before}
    for goal in goals:
        old = then.get(goal.id)
        if goal.grade is not None and old is not None and abs(goal.grade - old) >= 0.1:
            out.append(
                ctx.text(
                    "changes.grade",
                    goal=goal.title,
                    before=fmt_grade(old, ctx.lang),
                    now=fmt_grade(goal.grade, ctx.lang),
                )
            )
    recent = [c for c in checkins if week_monday(c.week) >= since - timedelta(days=6)]
    if checkins:
        out.append(ctx.text("changes.checkins", count=len(recent)))
    return tuple(out)


def _assessment_change(ctx: _Ctx, assessments: list) -> str:
    old, new = assessments[-2], assessments[-1]
    deltas = assessment_delta(assessments) or {}
    # The three biggest moves say it; the table on the same page has every dimension.
    moved = sorted((d for d in deltas.items() if round(d[1])), key=lambda d: -abs(d[1]))
    details = ", ".join(
        f"{ctx.dimension_title(dim)} {fmt_delta(delta, ctx.lang)}" for dim, delta in moved[:3]
    )
    overall = None
    if new.result.overall_score is not None and old.result.overall_score is not None:
        overall = new.result.overall_score - old.result.overall_score
    return ctx.text(
        "changes.assessment",
        previous=fmt_date(old.taken_at, ctx.lang, long=True),
        overall=fmt_delta(overall, ctx.lang),
        details=details or "—",
    )


def _risks(ctx, goals, steps, checkins, assessments) -> tuple[str, ...]:
    out = []
    for status in ("off_track", "at_risk"):
        for g in goals:
            if g.status == status:
                out.append(
                    ctx.text(
                        f"risk.{status}",
                        goal=g.title,
                        actual=fmt_value(g.actual, g.unit, ctx.lang),
                        target=_target_text(g, ctx.lang),
                    )
                )
    late = [s for s in steps if s.late]
    if len(late) == 1:
        out.append(ctx.text("risk.late_one", title=late[0].title))
    elif late:
        out.append(ctx.text("risk.late_many", count=len(late), title=late[0].title))
    if checkins:
        silent = (ctx.today - week_monday(checkins[-1].week)).days // 7 - 1
        if silent >= 2:
            out.append(ctx.text("risk.no_checkin", weeks=silent))
    if assessments and assessments[-1].result.gaps:
        weakest = assessments[-1].result.score_of(assessments[-1].result.gaps[0])
        if weakest and weakest.level is not None and weakest.level <= 2:
            out.append(
                ctx.text(
                    "risk.gap",
                    dimension=ctx.dimension_title(weakest.dimension),
                    level=weakest.level,
                )
            )
    return tuple(out[:MAX_RISKS]) or (ctx.text("risk.none"),)


def _asks(ctx, goals, steps, has_plan: bool) -> tuple[str, ...]:
    hours = fmt_number(ctx.profile.hours_per_week, ctx.lang)
    asks: list[str] = []
    late = any(s.late for s in steps)
    if has_plan:
        asks.append(ctx.text("ask.time", hours=hours))
    struggling = [g for g in goals if g.status in ("off_track", "at_risk")]
    for goal in sorted(struggling, key=lambda g: g.status != "off_track"):
        kind = ASK_FOR_METRIC.get(goal.metric)
        if kind is None:
            continue
        text = ctx.text(f"ask.{kind}", target=_target_text(goal, ctx.lang))
        if text not in asks:
            asks.append(text)
    if ctx.profile.regulated_sector:
        asks.insert(1 if late else len(asks), ctx.text("ask.compliance"))
    if len(asks) < 2:
        asks.append(ctx.text("ask.feedback"))
    return tuple(asks[:MAX_ASKS])


def _target_text(goal: GoalLine, lang: str) -> str:
    sign = "≥" if goal.direction == "at_least" else "≤"
    return f"{sign} {fmt_value(goal.target, goal.unit, lang)}"


# ---- charts data ----------------------------------------------------------------------------------


def _series(ctx: _Ctx, checkins: list, goals: tuple[GoalLine, ...]) -> tuple[Series, ...]:
    if not checkins:
        return ()
    end = evaluated_week(checkins, ctx.today)
    first = max(checkins[0].week, shift_week(end, -(CHART_WEEKS - 1)))
    weeks = week_range(first, end) if first <= end else [end]
    by_week = {c.week: c for c in checkins}
    out = []
    for metric in CHART_METRICS:
        goal = next((g for g in goals if g.metric == metric), None)
        unit = {"posts": ctx.text("unit.posts"), "median_response_hours": "h"}.get(metric, "%")
        points = tuple(
            (w, metric_value(by_week[w], metric) if w in by_week else None) for w in weeks
        )
        out.append(
            Series(
                metric=metric,
                title=goal.title if goal else ctx.text(f"chart.{metric}"),
                unit=goal.unit if goal and metric == "posts" else unit,
                target=goal.target if goal else None,
                direction=goal.direction if goal else None,
                points=points,
            )
        )
    return tuple(out)


def _burnup(
    steps: tuple[StepLine, ...], start: date | None, today: date
) -> tuple[BurnupPoint, ...]:
    active = [s for s in steps if s.state != "skipped"]
    if not active or start is None:
        return ()
    last = max(max(s.due for s in active), today)
    weeks = week_range(week_of(start), week_of(last))
    now = week_of(today)
    points = []
    for week in weeks:
        sunday = week_monday(week) + timedelta(days=6)
        planned = sum(s.effort_hours for s in active if s.due <= sunday)
        done = None
        if week <= now:
            done = sum(
                s.effort_hours
                for s in active
                if s.state == "done" and (s.changed_on or s.due) <= sunday
            )
        points.append(
            BurnupPoint(week, round(planned, 2), None if done is None else round(done, 2))
        )
    return tuple(points)


def _checkin_line(c: CheckIn) -> CheckInLine:
    return CheckInLine(
        week=c.week,
        posts=c.posts,
        received=c.received,
        replies=c.replies,
        median_response_hours=c.median_response_hours,
        response_rate=c.response_rate,
        followers=c.followers,
        mentions=c.mentions,
        monitoring_sessions=c.monitoring_sessions,
        employee_touchpoints=c.employee_touchpoints,
        note=c.note,
        source=c.source,
    )


def _method(ctx: _Ctx, playbook, plan, assessments, profile) -> tuple[str, ...]:
    version = _playbook_version(playbook, plan, assessments)
    playbook_id = plan.playbook_id if plan else profile.playbook_id
    return (
        ctx.text("method.scores", playbook=playbook_id, version=version),
        ctx.text("method.statuses"),
    )
