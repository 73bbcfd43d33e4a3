"""What the store gives back, and the `Store` protocol the domain and the service type against.

The store package implements the protocol with SQLAlchemy; nothing here imports it,
so the domain can name a store without loading the database layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

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


@dataclass(frozen=True)
class GoalTarget:
    goal_id: str
    target: float
    set_on: date


class Store(Protocol):
    """The store's public methods, as the domain and the application layer use them."""

    url: str

    def revision(self) -> int: ...
    def get_profile(self, profile: ProfileRef) -> Profile: ...
    def list_profiles(self) -> list[Profile]: ...
    def create_profile(self, name: str, **fields: Any) -> Profile: ...
    def update_profile(self, profile: ProfileRef, **changes: Any) -> Profile: ...
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
        note: str | None = None,
        on: date | None = None,
    ) -> None: ...
    def goal_targets(self, profile: ProfileRef) -> dict[str, float]: ...
    def set_goal_target(
        self, profile: ProfileRef, goal_id: str, target: float, on: date | None = None
    ) -> None: ...
    def list_checkins(self, profile: ProfileRef) -> list[CheckIn]: ...
    def get_checkin(self, profile: ProfileRef, week: str) -> CheckIn | None: ...
    def save_checkins(
        self, profile: ProfileRef, checkins: list[CheckIn], today: date | None = None
    ) -> dict[str, str]: ...
    def merge_checkin(
        self,
        profile: ProfileRef,
        week: str,
        changes: dict[str, Any],
        today: date | None = None,
    ) -> str: ...
