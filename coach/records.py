"""What the store gives back, and the `Store` protocol the domain and the service type against.

The store package implements the protocol with SQLAlchemy; nothing here imports it,
so the domain can name a store without loading the database layer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, TypedDict, Unpack

from coach.checkin import CheckIn
from coach.model import AssessmentResult, Plan
from coach.profile import Profile

ProfileRef = str | int | Profile  # a name (label), an id (the key) or a Profile


@dataclass(frozen=True)
class StoredAssessment:
    id: int
    taken_at: datetime
    playbook_id: str
    playbook_version: str
    answers: dict[str, Any]
    result: AssessmentResult


@dataclass(frozen=True)
class StepStatus:
    state: str  # todo | doing | done | skipped
    changed_on: date | None
    note: str


TODO = StepStatus("todo", None, "")


@dataclass(frozen=True)
class StoredPlan:
    plan: Plan
    states: dict[str, StepStatus]  # every step id present, default todo
    created_at: datetime


@dataclass(frozen=True)
class Draft:
    answers: dict[str, Any]
    updated_at: datetime


@dataclass(frozen=True, slots=True)  # one per stored target, read in bulk
class GoalTarget:
    goal_id: str
    target: float
    set_on: date


@dataclass(frozen=True)
class ProfileData:
    """Everything stored about one profile, read in one transaction (one moment)."""

    profile: Profile
    revision: int  # the store's revision at that moment
    assessments: tuple[StoredAssessment, ...]  # oldest first
    stored: StoredPlan | None
    checkins: tuple[CheckIn, ...]  # oldest week first
    targets: dict[str, float]  # goal id -> latest target the manager set
    draft: dict[str, Any]


# (profile before, profile after, its plan) -> the plan to keep, or None to leave it as it is
Replan = Callable[[Profile, Profile, StoredPlan], Plan | None]


class Stamp(TypedDict, total=False):
    """When a change to a profile's plan counts, and what the person saw before making it."""

    on: date | None  # the day it counts for; None: today in the profile's zone
    seen_revision: int | None  # the profile's revision shown: a change since refuses this one


class StepChange(Stamp, total=False):
    note: str | None  # None: the stored note stays


class Store(Protocol):
    """The store's public methods, as the domain and the application layer use them."""

    url: str

    def revision(self) -> int: ...
    def get_profile(self, profile: ProfileRef) -> Profile: ...
    def list_profiles(self) -> list[Profile]: ...
    def create_profile(
        self,
        name: str,
        *,
        language: str = ...,
        timezone: str = ...,
        hours_per_week: float = ...,
        start_date: date | None = ...,
        playbook_id: str = ...,
        regulated_sector: bool = ...,
    ) -> Profile: ...
    def update_profile(
        self, profile: ProfileRef, *, replan: Replan | None = None, **changes: Any
    ) -> Profile: ...
    def complete_assessment(
        self,
        profile: ProfileRef,
        playbook: Any,
        answers: dict[str, Any],
        result: AssessmentResult,
        plan: Plan,
        taken_at: datetime | None = None,
    ) -> StoredAssessment: ...
    def export_profile(self, profile: ProfileRef) -> dict[str, Any]: ...
    def import_profile(self, doc: dict[str, Any], *, replace: bool = False) -> Profile: ...
    def delete_profile(self, profile: ProfileRef) -> None: ...
    def save_draft(self, profile: ProfileRef, answers: dict[str, Any]) -> None: ...
    def merge_draft(self, profile: ProfileRef, answers: dict[str, Any]) -> dict[str, Any]: ...
    def get_draft(self, profile: ProfileRef) -> dict[str, Any]: ...
    def clear_draft(self, profile: ProfileRef) -> None: ...
    def list_assessments(self, profile: ProfileRef) -> list[StoredAssessment]: ...
    def get_plan(self, profile: ProfileRef) -> StoredPlan | None: ...
    def save_plan(self, profile: ProfileRef, plan: Plan) -> None: ...
    def set_step_state(
        self,
        profile: ProfileRef,
        step_id: str,
        state: str | None = None,
        **change: Unpack[StepChange],
    ) -> None: ...
    def goal_targets(self, profile: ProfileRef) -> dict[str, float]: ...
    def set_goal_target(
        self, profile: ProfileRef, goal_id: str, target: float, **stamp: Unpack[Stamp]
    ) -> None: ...
    def profile_revision(self, profile: ProfileRef) -> int: ...
    def profile_revisions(self, ids: list[int]) -> dict[int, int]: ...
    def profile_data(self, profiles: Sequence[ProfileRef]) -> list[ProfileData]: ...
    def save_checkins_rechecked(
        self,
        profile: ProfileRef,
        recheck: Callable[[list[CheckIn]], list[CheckIn]],
        today: date | None = None,
    ) -> dict[str, str]: ...
    def list_checkins(self, profile: ProfileRef) -> list[CheckIn]: ...
    def get_checkin(self, profile: ProfileRef, week: str) -> CheckIn | None: ...
    def save_checkins(
        self, profile: ProfileRef, checkins: list[CheckIn], today: date | None = None
    ) -> dict[str, str]: ...
    def merge_checkin(
        self, profile: ProfileRef, week: str, changes: dict[str, Any], today: date | None = None
    ) -> str: ...
