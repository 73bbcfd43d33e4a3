"""What the app's pages ask for: Home and Plan focus, the portfolio's rows, the draft review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from coach import progress, tracking
from coach.model import Playbook, Step
from coach.records import ProfileRef, Store
from coach.service import common
from coach.service.admin import snapshots
from coach.service.summary import ProfileSnapshot

if TYPE_CHECKING:
    from coach.review import Review


@dataclass(frozen=True)
class StepFocus:
    """What to work on, as of the snapshot's day: the same rules for every front."""

    this_week: Step | None  # the open step covering today, else the most overdue, else the next
    where_to_start: tuple[Step, ...]  # the planner's top open steps, numbered in date order
    reasons: tuple[str, ...]  # one distinct "why" line per where_to_start step
    late: tuple[Step, ...]  # open steps past their due date, the most overdue first

    def is_late(self, step: Step) -> bool:
        return any(s.id == step.id for s in self.late)


def step_focus(snap: ProfileSnapshot) -> StepFocus:
    """Home's and Plan's cards: this week's step, where to start, what is late."""
    plan = snap.plan
    if plan is None or snap.stored is None:
        return StepFocus(None, (), (), ())
    states = snap.stored.states
    start = progress.where_to_start(plan, states)
    return StepFocus(
        this_week=progress.this_week(plan, states, snap.today),
        where_to_start=start,
        reasons=progress.distinct_reasons(start),
        late=progress.late_steps(plan, states, snap.today),
    )


@dataclass(frozen=True)
class Deferred:
    """What the plan leaves for later, as step titles in the snapshot's language."""

    left_out: tuple[str, ...]  # no room for another habit within the manager's hours
    later: tuple[str, ...]  # beyond the plan's horizon: for the next plan
    horizon_weeks: int


def deferred(snap: ProfileSnapshot) -> Deferred:
    """The plan's set-aside steps, so the Plan page says what waits and why."""
    plan, book = snap.plan, snap.playbook
    if plan is None or book is None:
        return Deferred((), (), 0)

    def titles(ids: Sequence[str]) -> tuple[str, ...]:
        return tuple(a.title.get(snap.lang) for i in ids if (a := book.action(i)) is not None)

    return Deferred(titles(plan.left_out), titles(plan.later), book.pacing.max_plan_weeks or 0)


@dataclass(frozen=True)
class PortfolioRow:
    """One executive, as an advisor who coaches several sees them at a glance."""

    profile_id: int
    name: str
    language: str
    last_checkin: str | None  # ISO week of the latest check-in
    weeks_since_checkin: int | None  # 0: this week is in; None: never
    goals_at_risk: int  # goals at risk or off track
    goals_total: int
    late_steps: int
    level: int | None  # overall level of the latest self-assessment
    top_level: int | None  # the playbook's highest level (5)
    score_change: float | None  # overall points since the previous self-assessment
    trend: str  # "improving" | "flat" | "worsening" | "no_data": goals' trends, on balance
    has_plan: bool


def _trend(goals: Sequence[tracking.GoalStatus]) -> str:
    up = sum(1 for g in goals if g.trend == "improving")
    down = sum(1 for g in goals if g.trend == "worsening")
    if not any(g.trend != "no_data" for g in goals):
        return "no_data"
    return "improving" if up > down else "worsening" if down > up else "flat"


def portfolio_row(snap: ProfileSnapshot) -> PortfolioRow:
    """One row of the portfolio, from the profile's snapshot."""
    last = snap.last_checkin
    weeks_since = None
    if last is not None:
        from coach.checkin import parse_week

        weeks_since = max(0, (parse_week(snap.current_week) - parse_week(last.week)).days // 7)
    latest = snap.latest
    focus = step_focus(snap)
    levels = snap.playbook.levels if snap.playbook is not None else ()
    change = None
    if latest is not None and snap.previous is not None:
        now, before = latest.result.overall_score, snap.previous.result.overall_score
        change = None if now is None or before is None else round(now - before, 1)
    return PortfolioRow(
        profile_id=snap.profile.id,
        name=snap.profile.name,
        language=snap.profile.language,
        last_checkin=last.week if last else None,
        weeks_since_checkin=weeks_since,
        goals_at_risk=sum(1 for g in snap.goals if g.status in ("at_risk", "off_track")),
        goals_total=len(snap.goals),
        late_steps=len(focus.late),
        level=latest.result.overall_level if latest else None,
        top_level=max((lv.level for lv in levels), default=None),
        score_change=change,
        trend=_trend(snap.goals),
        has_plan=snap.stored is not None,
    )


def portfolio(
    store: Store,
    lang: str,
    today: date | None = None,
    playbook: Any = None,
) -> list[PortfolioRow]:
    """One row per profile the store lists (the roll-out scopes the store per user), by name.

    `today`: one date for every row (each profile's own day by default); `playbook`: a
    function from a profile to its playbook (`find_playbook` by default; the app passes its
    cached loader).
    """
    # One read for all (roll-out): `snapshots` reads every profile in one query per table.
    rows = [
        portfolio_row(snap)
        for snap in snapshots(store, store.list_profiles(), lang, today, playbook)
    ]
    return sorted(rows, key=lambda row: row.name.casefold())


def review_draft(
    store: Store,
    profile: ProfileRef | None,
    text: str,
    network: str,
    lang: str,
    never_say: Sequence[str] = (),
    playbook: Playbook | None = None,
) -> Review:
    """ "Before you post": a draft reviewed against the playbook's rules; writes nothing.

    With a profile, its playbook and facts (the sector); without one, the default playbook.
    InvalidInput for a draft that cannot be reviewed, NotFound without a playbook.
    """
    from coach.errors import NotFound
    from coach.playbook import default_playbook_path
    from coach.review import review

    found = store.get_profile(profile) if profile is not None else None
    book = playbook
    if book is None:
        book = (
            common.find_playbook(found)
            if found is not None
            else common.load_cached(default_playbook_path())
        )
    if book is None:
        raise NotFound("ui.error.playbook_missing", playbook=found.playbook_id if found else "")
    facts = dict(found.facts) if found is not None else {}
    result: Review = review(
        text, book.reviews, network=network, lang=lang, facts=facts, never_say=never_say
    )
    return result
