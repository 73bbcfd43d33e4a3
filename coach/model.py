"""Typed domain objects shared by every area (playbook, scoring, planner, tracking).

Frozen dataclasses: the loader builds them once, everything else reads them.
Bilingual texts are `Text` values ({"fr": ..., "en": ...}); use `Text.get(lang)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from coach.review.rules import ReviewRule  # the review rules a playbook carries

QuestionType = Literal["single", "multiple", "scale", "number", "yesno", "text"]
Direction = Literal["at_least", "at_most", "between"]
StepKind = Literal["once", "habit"]
# Check-in figures a goal can follow (see coach/checkin.py).
METRICS = (
    "posts",
    "median_response_hours",
    "response_rate",
    "monitoring_sessions",
    "employee_touchpoints",
    "followers",
    "mentions",
    "pulse_score",
    "positive_mentions_pct",
    "outcomes",
)


@dataclass(frozen=True)
class Text:
    """A user-facing text in French and English."""

    fr: str
    en: str

    def get(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en

    def as_dict(self) -> dict[str, str]:
        return {"fr": self.fr, "en": self.en}


@dataclass(frozen=True)
class Level:
    level: int  # 1..5
    name: Text
    description: Text
    min_score: float  # a score >= min_score reaches this level


@dataclass(frozen=True)
class Dimension:
    id: str
    title: Text
    description: Text
    weight: float = 1.0


@dataclass(frozen=True)
class Option:
    id: str
    label: Text
    score: float  # 0..1
    reason: Text | None = None  # "that you rarely reply to comments": used in plan reasons


@dataclass(frozen=True)
class Band:
    """Scoring band for number questions: min <= value < max gives score."""

    score: float
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Question:
    id: str
    dimension: str
    type: QuestionType
    text: Text
    help: Text | None = None
    options: tuple[Option, ...] = ()
    show_if: Any = None  # a condition (see coach/conditions/), or None
    weight: float = 1.0
    unit: Text | None = None  # number
    min: float | None = None  # number bounds
    max: float | None = None
    bands: tuple[Band, ...] = ()  # number scoring
    scale_labels: tuple[Text, ...] = ()  # scale: labels for 1..5 (empty or five)
    reverse: bool = False  # scale: 5 is the weakest answer
    score_yes: float = 1.0  # yesno
    score_no: float = 0.0
    reason_yes: Text | None = None  # yesno reasons for plans
    reason_no: Text | None = None
    line: int = 0
    counts: bool = True  # `scored: false` in the playbook: a context question (role, size...)

    @property
    def scored(self) -> bool:
        """Text questions, number questions without bands and `scored: false` only give context."""
        if not self.counts or self.type == "text":
            return False
        return self.type != "number" or bool(self.bands)

    def option(self, option_id: object) -> Option | None:
        return (
            next((o for o in self.options if o.id == option_id), None)
            if isinstance(option_id, str)
            else None
        )


@dataclass(frozen=True)
class GoalSetting:
    goal: str
    target: float | None = None  # None: the goal's default for the manager's level
    # When the goal starts counting: `delay_weeks` after the step starts, or after it ends
    # (`from_end`: the first monthly count gives the baseline, then the goal counts).
    delay_weeks: int = 0
    from_end: bool = False


@dataclass(frozen=True)
class Resource:
    title: Text
    url: str = ""


@dataclass(frozen=True)
class Action:
    id: str
    dimension: str
    level: int
    title: Text
    why: Text
    how: tuple[Text, ...]
    effort_hours: float
    duration_weeks: int
    starter: Text
    depends_on: tuple[str, ...] = ()
    when: Any = None  # condition; None means always
    unless: Any = None
    quick_win: bool = False
    sets_goals: tuple[GoalSetting, ...] = ()
    resources: tuple[Resource, ...] = ()
    line: int = 0
    kind: StepKind = "once"
    recurrence: str | None = None  # habits: RRULE text (python-dateutil), e.g. FREQ=WEEKLY;BYDAY=FR
    habit_hours: float = 0.0  # habits: hours a week the habit keeps costing once set up
    tags: tuple[str, ...] = ()  # what the step does, for sequence rules ("reacts", "posts"...)
    replaces: tuple[str, ...] = ()  # habits this habit takes over: their weekly cost moves to it
    opens: str | None = None  # the app page where the step is done (one of APP_PAGES)


# Pages of the app a step can point to, where the manager does it: Before you post, the team
# pulse, the question box, the weekly check-in.
APP_PAGES = ("review", "pulse", "inbox", "progress")


@dataclass(frozen=True)
class Baseline:
    """Where a goal's current value is read from: an answer (options mapped to values)."""

    question: str
    values: dict[str, float] = field(default_factory=dict)  # single: option id -> value


@dataclass(frozen=True)
class Ceiling:
    """Above `above` (the baseline), an at-least goal becomes a range: less, better."""

    above: float
    low: float
    high: float
    why: Text


@dataclass(frozen=True)
class HoursLimit:
    """Below `hours_below` hours a week, the target is never tighter than `target`."""

    hours_below: float
    target: float
    why: Text


@dataclass(frozen=True)
class Goal:
    id: str
    title: Text
    description: Text
    metric: str  # one of METRICS
    unit: Text
    direction: Direction
    targets: dict[int, float]  # default target per maturity level 1..5
    dimension: str | None = None  # the level of this dimension picks the default target
    baseline: Baseline | None = None
    max_change: float | None = None  # a plan moves the target from the baseline by at most this
    max_change_why: Text | None = None  # said when `max_change` holds the target back
    ceiling: Ceiling | None = None
    hours_limits: tuple[HoursLimit, ...] = ()
    only_with_step: bool = False  # in a plan only when a step sets it or a baseline is known
    quotes: str | None = None  # a text question whose answer the goal quotes (the purpose)
    tracked_when: Any = None  # condition: in the plan from the start (the manager measures it)


@dataclass(frozen=True)
class DiagnosisRule:
    """A central issue a coach names first: when it holds, its actions lead the plan."""

    id: str
    dimension: str
    when: Any
    title: Text
    why: Text
    actions: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True)
class SequenceRule:
    """Steps matching `first` come before steps matching `then` (ids or "tag:x")."""

    id: str
    first: tuple[str, ...]
    then: tuple[str, ...]
    why: Text
    line: int = 0
    when: Any = None  # condition: the rule applies only to managers it holds for


@dataclass(frozen=True)
class Pacing:
    """How fast new things start: habits spaced, a cap in the first month for short budgets.

    The defaults pace nothing (a playbook without a `pacing` section plans as before).
    """

    habit_gap_weeks: int = 0
    habit_share: float = 1.0  # running habits take at most this share of the weekly hours
    first_month_limit: int | None = None  # new steps (habits included) in the first 30 days ...
    first_month_hours: float = 0.0  # ... for managers giving this many hours a week or fewer
    why_gap: Text | None = None
    why_first_month: Text | None = None
    quick_win_hours: float = 0.0  # quick wins this short never count in the first-month limit
    max_plan_weeks: int | None = None  # the plan's horizon: later steps wait for the next plan


@dataclass(frozen=True)
class BoardAsk:
    """What a board can grant, in the manager's words."""

    id: str
    text: Text
    why: Text
    when: Any = None
    diagnoses: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    year: int
    url: str = ""
    measured: Text | None = None  # what the source measured, so it is cited for that


@dataclass(frozen=True)
class Playbook:
    id: str
    version: str
    languages: tuple[str, ...]
    title: Text
    description: Text
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    questions: tuple[Question, ...]
    actions: tuple[Action, ...]
    goals: tuple[Goal, ...]
    sources: tuple[Source, ...] = ()
    path: str = ""
    diagnoses: tuple[DiagnosisRule, ...] = ()
    sequence: tuple[SequenceRule, ...] = ()
    pacing: Pacing = field(default_factory=Pacing)
    board_asks: tuple[BoardAsk, ...] = ()
    pulse: Any = None  # a coach.pulse.Pulse when the playbook has a `pulse` section
    reviews: tuple[ReviewRule, ...] = ()  # what "Before you post" checks

    # Built once per playbook: lookups by id are on every hot path (scoring, planning, UI).
    @cached_property
    def _dimensions(self) -> dict[str, Dimension]:
        return {d.id: d for d in self.dimensions}

    @cached_property
    def _questions(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def _actions(self) -> dict[str, Action]:
        return {a.id: a for a in self.actions}

    def dimension(self, dim_id: str) -> Dimension:
        return self._dimensions[dim_id]

    def question(self, qid: object) -> Question | None:
        return self._questions.get(qid) if isinstance(qid, str) else None

    def action(self, aid: object) -> Action | None:
        return self._actions.get(aid) if isinstance(aid, str) else None

    def goal(self, gid: str) -> Goal | None:
        return next((g for g in self.goals if g.id == gid), None)

    def level(self, number: int) -> Level:
        return next(lv for lv in self.levels if lv.level == number)

    def level_for(self, score: float) -> int:
        """The maturity level (1..5) a 0-100 score reaches."""
        reached = [lv.level for lv in self.levels if score >= lv.min_score]
        return max(reached) if reached else 1


# ---- results of scoring -------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    score: float | None  # 0..100, None when nothing was answered
    level: int | None
    answered: int
    visible: int


@dataclass(frozen=True)
class AssessmentResult:
    playbook_id: str
    playbook_version: str
    dimensions: tuple[DimensionScore, ...]
    overall_score: float | None
    overall_level: int | None
    coverage: float  # answered visible questions / visible questions, 0..1
    strengths: tuple[str, ...]  # dimension ids, strongest first
    gaps: tuple[str, ...]  # dimension ids, weakest first
    visible_questions: tuple[str, ...]

    @cached_property
    def _by_dimension(self) -> dict[str, DimensionScore]:
        return {d.dimension: d for d in self.dimensions}

    def score_of(self, dim_id: str) -> DimensionScore | None:
        return self._by_dimension.get(dim_id) if isinstance(dim_id, str) else None


# ---- plans --------------------------------------------------------------------------------------

PHASES = ("days-30", "days-60", "days-90", "beyond")
StepState = Literal["todo", "doing", "done", "skipped"]


@dataclass(frozen=True)
class Step:
    """A triggered, scheduled, explained action."""

    id: str  # the action id
    title: str  # in the plan's language
    dimension: str
    level: int
    phase: str  # one of PHASES
    start: date
    due: date
    effort_hours: float
    hours_per_week: float  # effort spread over the step's weeks
    depends_on: tuple[str, ...]  # only the steps present in this plan
    why: tuple[str, ...]  # plain sentences: reasons from the answers, then the action's why
    how: tuple[str, ...]
    starter: str
    quick_win: bool
    order: int  # position in the plan, 0-based
    duration_weeks: int = 1  # the action's own duration, before any stretching to fit the budget
    kind: StepKind = "once"
    recurrence: str | None = None  # habits: RRULE text, counted from `start`
    # Habits: `hours_per_week` is the recurring cost once set up (after `due`); while it is
    # set up (start..due) the habit costs `effort_hours` spread over those weeks.

    @property
    def setup_weeks(self) -> int:
        return max(1, ((self.due - self.start).days + 1) // 7)

    def hours_in_week(self, monday: date) -> float:
        """What this step costs in the week starting `monday` (habits keep costing)."""
        if monday < self.start:
            return 0.0
        if monday <= self.due:
            return (
                self.effort_hours / self.setup_weeks
                if self.kind == "habit"
                else self.hours_per_week
            )
        return self.hours_per_week if self.kind == "habit" else 0.0


@dataclass(frozen=True)
class Diagnosis:
    """The manager's central issue, in the plan's language."""

    id: str
    dimension: str
    title: str
    why: tuple[str, ...]


@dataclass(frozen=True)
class PlanGoal:
    id: str
    title: str
    metric: str
    target: float
    unit: str
    direction: Direction
    set_by: str | None = None  # action id that set this target, None for the level default
    starts: date | None = None  # the week its setting step starts; None: from the plan's start
    baseline: float | None = None  # the manager's current value, when known
    low: float | None = None  # between: the range
    high: float | None = None
    why: tuple[str, ...] = ()  # how the target was chosen (baseline, ceiling, hours)


@dataclass(frozen=True)
class Plan:
    playbook_id: str
    playbook_version: str
    lang: str
    start: date
    hours_per_week: float
    steps: tuple[Step, ...]
    where_to_start: tuple[str, ...]  # three step ids
    this_week: str | None  # one step id
    goals: tuple[PlanGoal, ...]
    facts: dict[str, Any] = field(default_factory=dict)
    diagnosis: Diagnosis | None = None
    load: tuple[tuple[str, float], ...] = ()  # (ISO week, hours) for the first 26 weeks
    left_out: tuple[str, ...] = ()  # habits with no room left in the hours (action ids)
    later: tuple[str, ...] = ()  # steps beyond the plan's horizon, for the next plan (action ids)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)
