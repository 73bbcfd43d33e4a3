"""The board pack: the domain objects one pack shows, plus the few sentences written for the board.

The application layer (`coach.service.build_pack`) reads one `ProfileSnapshot`,
the same the app and `status` read, and hands its domain objects to this module:

- `make_pack(...)` is pure: from domain objects (`Profile`, `Playbook`,
  `StoredAssessment`, `Plan`, `StepStatus`, `CheckIn`, `GoalStatus`,
  `PlanCompletion`, `Step`, `BurnupPoint`) to a `BoardPack`. It computes no
  domain figure; it only writes the bottom line, the asks, what changed and the
  risks in the reader's language.

The formats only format what the pack holds; headings come from `pack.text(key)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from coach.checkin import CheckIn, parse_week, shift_week, week_of
from coach.i18n import fmt_number, normalize_lang, pick, t, tp, unit_for
from coach.model import Diagnosis, Plan, Playbook, Step
from coach.progress import BurnupPoint
from coach.tracking import GoalStatus, PlanCompletion, evaluated_week, metric_value, week_range
from coach.typography import typeset

# The app's Board pack page offers FORMATS; slides join them when its label exists (round two).
FORMATS = ("pdf", "html", "md", "csv", "ics")
ALL_FORMATS = ("pdf", "html", "pptx", "md", "csv", "ics")
STATUSES = ("on_track", "at_risk", "off_track", "no_data", "not_started")
CHART_METRICS = ("posts", "median_response_hours", "response_rate")  # weekly charts, in order
CHART_WEEKS = 52  # at most one year drawn; earlier years are summed up in one line
CHANGE_WINDOW_DAYS = 28  # "what changed": the last four weeks
MAX_RISKS = 4
MAX_ASKS = 3
DEFAULT_REPLY_HOURS = 24.0  # the response-time ask when the plan has no such goal


_Day = date  # BoardPack has a `date` method; annotations inside it use this name


@dataclass(frozen=True)
class Series:
    """One weekly figure for a chart, over the chart window, with the goal's target."""

    metric: str  # posts | median_response_hours | response_rate
    unit: str
    goal: GoalStatus | None
    points: tuple[tuple[str, float | None], ...]  # (ISO week, value), oldest first

    @property
    def has_data(self) -> bool:
        return any(value is not None for _, value in self.points)

    @property
    def target(self) -> float | None:
        return self.goal.target if self.goal else None


@dataclass(frozen=True)
class BoardPack:
    lang: str
    today: date
    profile: Any  # coach.store.Profile
    playbook: Playbook | None
    latest: Any  # StoredAssessment | None: no pack for the board without one
    previous: Any  # StoredAssessment | None
    plan: Plan | None  # in the pack's language
    states: Mapping[str, Any]  # step id -> StepStatus
    checkins: tuple[CheckIn, ...]  # oldest first, every week
    goals: tuple[GoalStatus, ...]
    completion: PlanCompletion | None
    where_to_start: tuple[Step, ...]
    burnup: tuple[BurnupPoint, ...]
    bottom_line: tuple[str, ...]  # three first-person sentences
    asks: tuple[str, ...]
    changes: tuple[str, ...]
    risks: tuple[str, ...]
    window_start: str | None  # first ISO week of the charts and the check-in table
    series: tuple[Series, ...] = field(default=())
    perception: Any = None  # coach.exports.perception.Perception, added by the service

    # ---- who and what ----------------------------------------------------------------------------
    @property
    def has_assessment(self) -> bool:
        return self.latest is not None

    @property
    def profile_name(self) -> str:
        return self.profile.name

    @property
    def profile_id(self) -> int | None:
        return getattr(self.profile, "id", None)

    @property
    def timezone(self) -> str:
        return self.profile.timezone

    @property
    def generated_on(self) -> date:
        return self.today

    @property
    def hours_per_week(self) -> float:
        return self.profile.hours_per_week

    @property
    def playbook_id(self) -> str:
        return self.plan.playbook_id if self.plan else self.profile.playbook_id

    @property
    def playbook_title(self) -> str:
        return pick(self.playbook.title, self.lang) if self.playbook else self.playbook_id

    @property
    def playbook_version(self) -> str:
        if self.plan is not None:
            return self.plan.playbook_version
        if self.latest is not None:
            return self.latest.playbook_version
        return self.playbook.version if self.playbook else "—"

    @property
    def plan_start(self) -> date | None:
        return self.plan.start if self.plan else None

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.plan.steps if self.plan else ()

    @property
    def posting_target(self) -> float | None:
        return next((g.target for g in self.goals if g.metric == "posts"), None)

    @property
    def window_checkins(self) -> tuple[CheckIn, ...]:
        if self.window_start is None:
            return self.checkins
        return tuple(c for c in self.checkins if c.week >= self.window_start)

    @property
    def earlier_checkins(self) -> tuple[CheckIn, ...]:
        if self.window_start is None:
            return ()
        return tuple(c for c in self.checkins if c.week < self.window_start)

    # ---- words -----------------------------------------------------------------------------------
    def text(self, key: str, **params: object) -> str:
        """A fixed string of the pack (headings, labels) in the pack's language."""
        return t(f"exports.{key}", self.lang, **params)

    def plural(self, key: str, count: float, **params: object) -> str:
        return tp(f"exports.{key}", self.lang, count, **params)

    def num(self, value: float | None, digits: int = 1) -> str:
        return fmt_number(None if value is None else round(value, digits), self.lang, digits)

    def date(self, day: date | datetime | None, long: bool = False) -> str:
        """'1er décembre 2026' (long) or '1er déc. 2026': dates are always in words."""
        return fmt_date(day, self.lang, long=long)

    def value(self, value: float | None, unit: str) -> str:
        """A figure with its unit: '2,5 publications', '90 %', '—'."""
        return fmt_value(value, unit, self.lang)

    def target(self, goal: GoalStatus) -> str:
        return target_text(goal, self.lang)

    def state(self, step: Step) -> str:
        status = self.states.get(step.id)
        return getattr(status, "state", None) or "todo"

    def note(self, step: Step) -> str:
        return getattr(self.states.get(step.id), "note", "") or ""

    def changed_on(self, step: Step) -> _Day | None:
        return getattr(self.states.get(step.id), "changed_on", None)

    def late(self, step: Step) -> bool:
        if self.completion is not None:
            return step.id in self.completion.late
        return step.due < self.today and self.state(step) not in ("done", "skipped")

    def phases(self) -> list[tuple[str, list[Step]]]:
        """Steps grouped by phase label, in plan order."""
        groups: dict[str, list[Step]] = {}
        for step in self.steps:
            groups.setdefault(self.text(f"phase.{step.phase}"), []).append(step)
        return list(groups.items())

    def dimension_title(self, dim_id: str) -> str:
        return dimension_title(self.playbook, dim_id, self.lang)

    def level_name(self, level: int | None) -> str:
        return level_name(self.playbook, level, self.lang)


# ---- formatting helpers shared by every format ----------------------------------------------------


def week_monday(week: str) -> date:
    """The Monday of an ISO week written 'YYYY-Www'."""
    return parse_week(week)


def fmt_date(day: date | datetime | None, lang: str, long: bool = False) -> str:
    """'1er décembre 2026' / 'December 1, 2026' (long) or '1er déc. 2026' / 'Dec 1, 2026'."""
    if day is None:
        return "—"
    if isinstance(day, datetime):
        day = day.date()
    month = t(f"exports.month{'' if long else '_short'}.{day.month}", lang)
    if normalize_lang(lang) == "fr":
        first = "1er" if day.day == 1 else str(day.day)
        return f"{first}\u00a0{month} {day.year}"
    return f"{month}\u00a0{day.day}, {day.year}"


def fmt_value(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return "—"
    number = fmt_number(round(value, 1), lang, 1)
    if unit == "%":
        return f"{number}\u00a0%" if normalize_lang(lang) == "fr" else f"{number}%"
    return typeset(f"{number} {unit_for(unit, round(value, 1), lang)}".strip(), lang)


def fmt_delta(delta: float | None, lang: str) -> str:
    if delta is None:
        return "—"
    rounded = round(delta)
    if rounded == 0:
        return "±0"
    sign = "+" if rounded > 0 else "−"
    return f"{sign}{fmt_number(abs(rounded), lang, 0)}"


def target_text(goal: Any, lang: str) -> str:
    """'≥ 2 publications', '≤ 24 h', or 'entre 1 et 3 publications' for a range goal."""
    low, high = getattr(goal, "low", None), getattr(goal, "high", None)
    if goal.direction == "between" and low is not None and high is not None:
        return t(
            "exports.between",
            lang,
            low=fmt_number(low, lang),
            high=fmt_value(high, goal.unit, lang),
        )
    sign = "≤" if goal.direction == "at_most" else "≥"
    return f"{sign}\u00a0{fmt_value(goal.target, goal.unit, lang)}"


def dimension_title(playbook: Playbook | None, dim_id: str, lang: str) -> str:
    found = next((d for d in (playbook.dimensions if playbook else ()) if d.id == dim_id), None)
    return pick(found.title, lang) if found else dim_id


def level_name(playbook: Playbook | None, level: int | None, lang: str) -> str:
    if level is None or playbook is None:
        return ""
    found = next((lv for lv in playbook.levels if lv.level == level), None)
    return pick(found.name, lang) if found else ""


def _quoted(text: str, lang: str) -> str:
    return typeset(f"« {text} »", lang) if lang == "fr" else f"“{text}”"


def _lower_first(text: str) -> str:
    """An ask as the end of a sentence: 'Protéger…' -> 'protéger…' (not 'LinkedIn')."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


# ---- step (b): domain objects -> pack (pure) ------------------------------------------------------


def make_pack(
    *,
    profile: Any,
    playbook: Playbook | None,
    lang: str,
    today: date,
    latest: Any,
    previous: Any,
    plan: Plan | None,
    states: Mapping[str, Any],
    checkins: Sequence[CheckIn],
    goals: Sequence[GoalStatus],
    completion: PlanCompletion | None,
    where_to_start: Sequence[Step],
    burnup: Sequence[BurnupPoint],
    goals_before: Sequence[GoalStatus] = (),
    board_asks: Sequence[str] | None = None,
) -> BoardPack:
    """The pack from domain objects; `plan` already in `lang`, `goals` as of `today`.

    `goals_before` are the goal statuses four weeks ago (for "what changed");
    `board_asks` are the playbook's asks when the caller has them already.
    """
    lang = normalize_lang(lang)
    pack = BoardPack(
        lang=lang,
        today=today,
        profile=profile,
        playbook=playbook,
        latest=latest,
        previous=previous,
        plan=plan,
        states=dict(states),
        checkins=tuple(checkins),
        goals=tuple(goals),
        completion=completion if completion and completion.steps_total else None,
        where_to_start=tuple(where_to_start),
        burnup=tuple(burnup),
        bottom_line=(),
        asks=(),
        changes=(),
        risks=(),
        window_start=_window_start(plan, checkins, today),
    )
    pack = replace(pack, series=_series(pack))
    asks = tuple(board_asks or ()) or _asks(pack)
    return replace(
        pack,
        asks=asks[:MAX_ASKS],
        bottom_line=_bottom_line(pack, asks),
        changes=_changes(pack, goals_before),
        risks=_risks(pack),
    )


# ---- the plan's central issue ---------------------------------------------------------------------


def diagnosis(pack: BoardPack) -> Diagnosis | None:
    """The plan's central issue (id, dimension, title, why) when the planner names one."""
    return pack.plan.diagnosis if pack.plan is not None else None


# ---- page 1 sentences -----------------------------------------------------------------------------


def _bottom_line(pack: BoardPack, asks: Sequence[str]) -> tuple[str, ...]:
    if pack.latest is None:
        return ()
    result = pack.latest.result
    level = result.overall_level
    central = diagnosis(pack)
    if central is not None:
        stand = pack.text(
            "bottom.stand_diagnosis",
            level=level or "—",
            name=pack.level_name(level),
            diagnosis=pick(central.title, pack.lang),
        )
    elif result.gaps and (weak := result.score_of(result.gaps[0])) and weak.level:
        stand = pack.text(
            "bottom.stand",
            level=level or "—",
            name=pack.level_name(level),
            weakest=pack.dimension_title(weak.dimension),
            weak_level=weak.level,
        )
    else:
        stand = pack.text("bottom.stand_plain", level=level or "—", name=pack.level_name(level))
    return (stand, _trend_sentence(pack), _decision_sentence(pack, asks))


def _trend_sentence(pack: BoardPack) -> str:
    c = pack.completion
    if c is None:
        progress = pack.text("bottom.progress_none")
    else:
        progress = pack.plural("bottom.progress", c.steps_done, total=c.steps_total)
    if pack.previous is None:
        when = pack.date(pack.latest.taken_at, long=True)
        return pack.text("bottom.trend_first", date=when, progress=progress)
    new, old = pack.latest.result.overall_score, pack.previous.result.overall_score
    move = 0 if new is None or old is None else round(new - old)
    when = pack.date(pack.previous.taken_at, long=True)
    kind = "up" if move > 0 else "down" if move < 0 else "flat"
    points = pack.plural("points", abs(move))
    return pack.text(f"bottom.trend_{kind}", date=when, points=points, progress=progress)


def _decision_sentence(pack: BoardPack, asks: Sequence[str]) -> str:
    if not asks:
        return pack.text("bottom.decision_none")
    return pack.text("bottom.decision", ask=_lower_first(asks[0].rstrip(".")))


def _reply_hours(pack: BoardPack) -> str:
    """The response-time target as hours ('24 h'), never the response rate."""
    goal = next((g for g in pack.goals if g.metric == "median_response_hours"), None)
    hours = goal.target if goal else DEFAULT_REPLY_HOURS
    return fmt_value(hours, "h", pack.lang)


def _asks(pack: BoardPack) -> tuple[str, ...]:
    """What a board can grant: time, budget, a mandate, risk appetite, a sponsor, an approval path."""
    if pack.latest is None:
        return ()
    asks = []
    if pack.plan is not None:
        asks.append(pack.text("ask.time", hours=pack.num(pack.hours_per_week)))
    if pack.profile.regulated_sector:
        asks.append(pack.text("ask.approval"))
    replies = next((g for g in pack.goals if g.metric == "median_response_hours"), None)
    rate = next((g for g in pack.goals if g.metric == "response_rate"), None)
    struggling = [g for g in (replies, rate) if g and g.status in ("off_track", "at_risk")]
    if struggling:
        asks.append(pack.text("ask.backup", hours=_reply_hours(pack)))
    level = pack.latest.result.overall_level or 1
    asks.append(pack.text("ask.risk" if level <= 2 else "ask.mandate"))
    asks.append(pack.text("ask.sponsor"))
    return tuple(asks)


# ---- what changed, risks --------------------------------------------------------------------------


def _changes(pack: BoardPack, goals_before: Sequence[GoalStatus]) -> tuple[str, ...]:
    since = pack.today - timedelta(days=CHANGE_WINDOW_DAYS)
    when = pack.date(since, long=True)
    out = []
    if pack.plan is not None:
        done = [
            s
            for s in pack.steps
            if pack.state(s) == "done" and (pack.changed_on(s) or date.min) >= since
        ]
        if done:
            titles = ", ".join(_quoted(s.title, pack.lang) for s in done)
            out.append(pack.plural("changes.steps_done", len(done), since=when, titles=titles))
        else:
            out.append(pack.text("changes.steps_done_none", since=when))
    if pack.previous is not None:
        out.append(_assessment_change(pack))
    elif pack.latest is not None:
        out.append(
            pack.text("changes.assessment_first", date=pack.date(pack.latest.taken_at, True))
        )
    then = {g.id: g for g in goals_before}
    for goal in pack.goals:
        old = then.get(goal.id)
        if (
            goal.actual is not None
            and old is not None
            and old.actual is not None
            and old.status != goal.status
        ):
            out.append(
                pack.text(
                    "changes.goal",
                    goal=goal.title,
                    before=pack.value(old.actual, goal.unit),
                    now=pack.value(goal.actual, goal.unit),
                    status=pack.text(f"status.{goal.status}").lower(),
                )
            )
    if pack.checkins:
        recent = [c for c in pack.checkins if parse_week(c.week) >= since - timedelta(days=6)]
        out.append(pack.plural("changes.checkins", len(recent)))
    return tuple(out)


def _assessment_change(pack: BoardPack) -> str:
    old, new = pack.previous.result, pack.latest.result
    moves = []
    for dim in new.dimensions:
        before = old.score_of(dim.dimension)
        if (
            dim.score is not None
            and before is not None
            and before.score is not None
            and round(dim.score - before.score)
        ):
            moves.append((dim.dimension, dim.score - before.score))
    # The three biggest moves say it; the table on page 1 has every dimension.
    moves.sort(key=lambda d: -abs(d[1]))
    details = ", ".join(
        f"{pack.dimension_title(dim)} {fmt_delta(delta, pack.lang)}" for dim, delta in moves[:3]
    )
    overall = None
    if new.overall_score is not None and old.overall_score is not None:
        overall = new.overall_score - old.overall_score
    return pack.text(
        "changes.assessment",
        previous=pack.date(pack.previous.taken_at, long=True),
        overall=fmt_delta(overall, pack.lang),
        details=details or "—",
    )


def _risks(pack: BoardPack) -> tuple[str, ...]:
    out = []
    for status in ("off_track", "at_risk"):
        for g in pack.goals:
            if g.status == status:
                out.append(
                    pack.text(
                        f"risk.{status}",
                        goal=g.title,
                        actual=pack.value(g.actual, g.unit),
                        target=pack.target(g),
                    )
                )
    late = [s for s in pack.steps if pack.late(s)]
    if late:
        out.append(pack.plural("risk.late", len(late), title=late[0].title))
    if pack.checkins:
        silent = (pack.today - parse_week(pack.checkins[-1].week)).days // 7 - 1
        if silent >= 2:
            out.append(pack.plural("risk.no_checkin", silent))
    result = pack.latest.result if pack.latest else None
    if result is not None and result.gaps:
        weakest = result.score_of(result.gaps[0])
        if weakest and weakest.level is not None and weakest.level <= 2:
            out.append(
                pack.text(
                    "risk.gap",
                    dimension=pack.dimension_title(weakest.dimension),
                    level=weakest.level,
                )
            )
    return tuple(out[:MAX_RISKS]) or (pack.text("risk.none"),)


# ---- chart window ---------------------------------------------------------------------------------


def _window_start(plan: Plan | None, checkins: Sequence[CheckIn], today: date) -> str | None:
    """The plan's start or 52 weeks back, whichever is later (the shorter span)."""
    if not checkins:
        return None
    end = evaluated_week(checkins, today)
    start = shift_week(end, -(CHART_WEEKS - 1))
    if plan is not None:
        start = max(start, week_of(plan.start))
    return min(start, end)


def _series(pack: BoardPack) -> tuple[Series, ...]:
    if pack.window_start is None:
        return ()
    end = evaluated_week(pack.checkins, pack.today)
    weeks = week_range(pack.window_start, end)
    by_week = {c.week: c for c in pack.checkins}
    out = []
    for metric in CHART_METRICS:
        goal = next((g for g in pack.goals if g.metric == metric), None)
        if goal is not None:
            weekly = dict(goal.weekly)
            points = tuple((w, weekly.get(w)) for w in weeks)
        else:
            points = tuple(
                (w, metric_value(by_week[w], metric) if w in by_week else None) for w in weeks
            )
        unit = {"posts": pack.text("unit.posts"), "median_response_hours": "h"}.get(metric, "%")
        out.append(Series(metric, goal.unit if goal and metric == "posts" else unit, goal, points))
    return tuple(out)
