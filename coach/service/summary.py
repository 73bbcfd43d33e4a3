"""One profile, one language, one date: `ProfileSnapshot` and how it is read."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from coach import planner, progress, tracking
from coach.checkin import CheckIn, week_of
from coach.errors import CoachError
from coach.i18n import normalize_lang
from coach.model import Plan, Playbook, Step
from coach.profile import Profile
from coach.records import ProfileData, ProfileRef, Store, StoredAssessment, StoredPlan
from coach.service import common
from coach.service.common import today_for
from coach.service.employees import with_employee_side


@dataclass(frozen=True)
class ProfileSnapshot:
    profile: Profile
    lang: str
    today: date
    revision: int  # the store's revision the snapshot was read at
    playbook: Playbook | None  # None when missing or broken: the plan keeps its saved words
    assessments: tuple[StoredAssessment, ...]  # oldest first
    draft: dict[str, Any]  # the self-assessment in progress
    stored: StoredPlan | None  # the plan with its words in `lang`, and every step's state
    checkins: tuple[CheckIn, ...]  # oldest week first
    targets: dict[str, float]  # goal targets the manager set
    goals: tuple[tracking.GoalStatus, ...]
    completion: tracking.PlanCompletion
    where_to_start: tuple[Step, ...]  # planner.open_steps order
    this_week: Step | None
    burnup: tuple[progress.BurnupPoint, ...]

    @property
    def plan(self) -> Plan | None:
        return self.stored.plan if self.stored else None

    @property
    def latest(self) -> StoredAssessment | None:
        return self.assessments[-1] if self.assessments else None

    @property
    def previous(self) -> StoredAssessment | None:
        return self.assessments[-2] if len(self.assessments) > 1 else None

    @property
    def current_week(self) -> str:
        return week_of(self.today)

    @property
    def this_week_checkin(self) -> CheckIn | None:
        week = self.current_week
        return next((c for c in reversed(self.checkins) if c.week == week), None)

    @property
    def last_checkin(self) -> CheckIn | None:
        return self.checkins[-1] if self.checkins else None

    @property
    def assessment_delta(self) -> dict[str, float] | None:
        return tracking.assessment_delta(list(self.assessments))


def reworded(
    stored: StoredPlan | None,
    playbook: Playbook | None,
    assessments: Sequence[StoredAssessment],
    lang: str,
) -> StoredPlan | None:
    """The stored plan with its words in `lang` (plans keep the language they were made in)."""
    if stored is None or stored.plan.lang == lang or playbook is None or not assessments:
        return stored
    latest = assessments[-1]
    try:
        plan = planner.reword(stored.plan, playbook, latest.answers, latest.result, lang)
    except (CoachError, KeyError, ValueError, TypeError, AttributeError):
        return stored  # the saved wording is better than nothing
    return dataclasses.replace(stored, plan=plan)


def snapshot(
    store: Store,
    profile: ProfileRef,
    lang: str | None = None,
    today: date | None = None,
    playbook: Playbook | None = None,
) -> ProfileSnapshot:
    """Everything shown about `profile` in `lang` (its own by default) on `today` (its own).

    `playbook` defaults to the profile's own (the app passes the one it has cached). The
    records are read in one transaction (`store.profile_data`): one moment, one view.
    """
    return snapshot_of(store.profile_data([profile])[0], lang, today, playbook, store)


def snapshot_of(
    data: ProfileData,
    lang: str | None = None,
    today: date | None = None,
    playbook: Playbook | None = None,
    store: Store | None = None,
) -> ProfileSnapshot:
    """The snapshot of records already read (`snapshot`, and `snapshots` for many).

    With `store`, the employee side (pulse rounds, question box) is added to the
    check-ins; the portfolio's many snapshots leave it out to stay one query per table.
    """
    found = data.profile
    playbook = playbook or common.find_playbook(found)
    lang = normalize_lang(lang or found.language)
    today = today or today_for(found)
    stored = reworded(data.stored, playbook, data.assessments, lang)
    checkins = (
        with_employee_side(store, found, data.checkins, today)
        if store is not None
        else data.checkins
    )
    plan_goals = stored.plan.goals if stored else ()
    goals = tracking.goal_statuses(playbook, plan_goals, data.targets, list(checkins), lang, today)
    plan = stored.plan if stored else None
    states = stored.states if stored else {}
    return ProfileSnapshot(
        profile=found,
        lang=lang,
        today=today,
        revision=data.revision,
        playbook=playbook,
        assessments=data.assessments,
        draft=data.draft,
        stored=stored,
        checkins=checkins,
        targets=data.targets,
        goals=tuple(goals),
        completion=tracking.plan_completion(stored, today),
        where_to_start=progress.where_to_start(plan, states) if plan else (),
        this_week=progress.this_week(plan, states, today) if plan else None,
        burnup=progress.burnup(plan, states, today) if plan else (),
    )


def status_report(snap: ProfileSnapshot) -> dict[str, Any]:
    """What `coach status --format json` prints: goals, completion, where to start, change."""
    checkins = snap.checkins
    return {
        "profile": snap.profile.name,
        "language": snap.lang,
        "today": snap.today.isoformat(),
        "evaluated_week": tracking.evaluated_week(list(checkins), snap.today),
        "checkins": {
            "count": len(checkins),
            "first_week": checkins[0].week if checkins else None,
            "last_week": checkins[-1].week if checkins else None,
        },
        "goals": [g.as_dict() for g in snap.goals],
        "plan_completion": snap.completion.as_dict(),
        "where_to_start": [s.id for s in snap.where_to_start],
        "this_week": snap.this_week.id if snap.this_week else None,
        "assessment_delta": snap.assessment_delta,
    }
