"""The board pack: everything the formats print, already translated and plain.

`BoardPack` is built once from the store (`build_pack`) and rendered by one
module per format. Renderers never read the database and never translate
domain data; they only lay out what the pack holds (headings come from
`pack.text(key)`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from coach.i18n import fmt_number, normalize_lang, t

FORMATS = ("pdf", "html", "md", "csv", "ics")
STATUSES = ("on_track", "at_risk", "off_track", "no_data")
STEP_STATES = ("todo", "doing", "done", "skipped")


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
    return f"{number} {unit}".strip()


def fmt_grade(grade: float | None, lang: str) -> str:
    return "—" if grade is None else fmt_number(round(grade, 1), lang, 1)


def fmt_delta(delta: float | None, lang: str) -> str:
    if delta is None:
        return "—"
    rounded = round(delta)
    if rounded == 0:
        return "="
    sign = "+" if rounded > 0 else "−"
    return f"{sign}{fmt_number(abs(rounded), lang, 0)}"
