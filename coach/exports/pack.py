"""The board pack: the domain objects one pack shows, plus the few sentences written for the board.

The application layer (`coach.service.build_pack`) reads one `ProfileSnapshot`,
the same the app and `status` read, and hands its domain objects to this module:

- `make_pack(...)` is pure: from domain objects (`Profile`, `Playbook`,
  `StoredAssessment`, `Plan`, `StepStatus`, `CheckIn`, `GoalStatus`,
  `PlanCompletion`, `Step`, `BurnupPoint`) to a `BoardPack`. It computes no
  domain figure; it only writes the bottom line, the asks, what changed and the
  risks in the reader's language.

The sentences are written by `coach.exports.sentences`; how dates and figures read, by
`coach.exports.formatting`. The formats only format what the pack holds; headings come
from `pack.text(key)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from coach.checkin import CheckIn, shift_week, week_of
from coach.exports import sentences
from coach.exports.formatting import (
    dimension_title,
    fmt_date,
    fmt_delta,
    fmt_value,
    level_name,
    target_text,
    week_monday,
)
from coach.exports.sentences import CHANGE_WINDOW_DAYS, DEFAULT_REPLY_HOURS, MAX_RISKS, diagnosis
from coach.i18n import fmt_number, normalize_lang, pick, t, tp
from coach.model import Plan, Playbook, Step
from coach.progress import BurnupPoint
from coach.tracking import GoalStatus, PlanCompletion, evaluated_week, metric_value, week_range

# Names the formats and the service import from here (they live in formatting and sentences).
__all__ = [
    "ALL_FORMATS",
    "CHANGE_WINDOW_DAYS",
    "CHART_METRICS",
    "CHART_WEEKS",
    "DEFAULT_REPLY_HOURS",
    "FORMATS",
    "MAX_ASKS",
    "MAX_RISKS",
    "STATUSES",
    "BoardPack",
    "Series",
    "diagnosis",
    "dimension_title",
    "fmt_date",
    "fmt_delta",
    "fmt_value",
    "level_name",
    "make_pack",
    "target_text",
    "week_monday",
]

# The app's Board pack page offers FORMATS; slides join them when its label exists (round two).
FORMATS = ("pdf", "html", "md", "csv", "ics")
ALL_FORMATS = ("pdf", "html", "pptx", "md", "csv", "ics")
STATUSES = ("on_track", "at_risk", "off_track", "no_data", "not_started")
CHART_METRICS = ("posts", "median_response_hours", "response_rate")  # weekly charts, in order
CHART_WEEKS = 52  # at most one year drawn; earlier years are summed up in one line
MAX_ASKS = 3


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
    window_start: str | None = None  # first ISO week of the charts and the check-in table
    bottom_line: tuple[str, ...] = ()  # three first-person sentences
    asks: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
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
    pack = BoardPack(  # the sentences are written below, from this pack
        lang=normalize_lang(lang),
        today=today,
        profile=profile,
        playbook=playbook,
        plan=plan,
        states=dict(states),
        latest=latest,
        previous=previous,
        checkins=tuple(checkins),
        goals=tuple(goals),
        completion=completion if completion and completion.steps_total else None,
        where_to_start=tuple(where_to_start),
        burnup=tuple(burnup),
        window_start=_window_start(plan, checkins, today),
    )
    pack = replace(pack, series=_series(pack))
    asks = tuple(board_asks or ()) or sentences.default_asks(pack)
    return replace(
        pack,
        asks=asks[:MAX_ASKS],
        bottom_line=sentences.bottom_line(pack, asks),
        changes=sentences.changes(pack, goals_before),
        risks=sentences.risks(pack),
    )


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
