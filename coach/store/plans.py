"""The assessment in progress, completed assessments, the plan, step states, goal targets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, Unpack

from sqlalchemy import Connection, delete, insert, select

from coach import clock
from coach.checkin import MAX_NOTE_CHARS
from coach.errors import InvalidInput, NotFound
from coach.model import AssessmentResult, Plan
from coach.planner import plan_from_dict, plan_to_dict
from coach.profile import check_step_state
from coach.records import (
    TODO,
    Draft,
    GoalTarget,
    ProfileRef,
    Stamp,
    StepStatus,
    StoredAssessment,
    StoredPlan,
)
from coach.scoring import result_from_dict, result_to_dict
from coach.store.db import AUDIT_DETAIL
from coach.store.rows import Repository, assessment_from_row, check_revision
from coach.store.schema import assessments_t, drafts_t, goal_targets_t, plans_t, step_states_t
from coach.store.upsert import upsert


def _valid_target(target: Any) -> float:
    ok = isinstance(target, int | float) and not isinstance(target, bool)
    if not ok or not (target == target and abs(target) != float("inf")) or target < 0:
        raise InvalidInput("tracking.error.goal_target", value=target)
    return float(target)


class PlanRepository(Repository):
    # ---- draft assessment -----------------------------------------------------------------------

    def save_draft(self, profile: ProfileRef, answers: dict[str, Any]) -> None:
        """Keep the answers of an assessment in progress (replaces the previous draft)."""
        self._write_draft(profile, lambda _old: dict(answers))

    def merge_draft(self, profile: ProfileRef, answers: dict[str, Any]) -> dict[str, Any]:
        """Add or change some answers of the draft, keeping the others; returns the draft."""
        return self._write_draft(profile, lambda old: {**old, **answers})

    def _write_draft(
        self, profile: ProfileRef, change: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> dict[str, Any]:
        def write(conn: Connection) -> dict[str, Any]:
            pid = self._profile_id(conn, profile)
            old = self._draft(conn, pid)
            new = change(dict(old.answers) if old else {})
            row = {"profile_id": pid, "answers": new, "updated_at": clock.now()}
            upsert(conn, drafts_t, [row], keys=("profile_id",))
            return new

        return self._run(write)

    def _draft(self, conn: Connection, pid: int) -> Draft | None:
        row = conn.execute(select(drafts_t).where(drafts_t.c.profile_id == pid)).first()
        return None if row is None else Draft(dict(row.answers or {}), row.updated_at)

    def get_draft(self, profile: ProfileRef) -> dict[str, Any]:
        """The answers of the assessment in progress ({} when none)."""

        def read(conn: Connection) -> dict[str, Any]:
            draft = self._draft(conn, self._profile_id(conn, profile))
            return dict(draft.answers) if draft else {}

        return self._read(read)

    def clear_draft(self, profile: ProfileRef) -> None:
        def write(conn: Connection) -> None:
            pid = self._profile_id(conn, profile)
            conn.execute(delete(drafts_t).where(drafts_t.c.profile_id == pid))

        self._run(write)

    # ---- assessments ----------------------------------------------------------------------------

    def _assessment_values(
        self,
        playbook: Any,
        answers: dict[str, Any],
        result: AssessmentResult,
        taken_at: datetime | None,
    ) -> dict[str, Any]:
        taken_at = taken_at or clock.now()
        if taken_at.tzinfo is None:
            taken_at = taken_at.replace(tzinfo=UTC)
        return {
            "taken_at": taken_at,
            "playbook_id": getattr(playbook, "id", None) or result.playbook_id,
            "playbook_version": str(getattr(playbook, "version", None) or result.playbook_version),
            "answers": dict(answers),
            "result": result_to_dict(result),
        }

    def _insert_assessment(
        self, conn: Connection, pid: int, values: dict[str, Any]
    ) -> StoredAssessment:
        key = conn.execute(
            insert(assessments_t).values(profile_id=pid, **values)
        ).inserted_primary_key
        return StoredAssessment(
            id=int(key[0]) if key else 0,
            taken_at=values["taken_at"].astimezone(UTC),
            playbook_id=values["playbook_id"],
            playbook_version=values["playbook_version"],
            answers=dict(values["answers"]),
            result=result_from_dict(values["result"]),  # as stored: what list_assessments gives
        )

    def add_assessment(
        self,
        profile: ProfileRef,
        playbook: Any,
        answers: dict[str, Any],
        result: AssessmentResult,
        taken_at: datetime | None = None,
    ) -> StoredAssessment:
        """Record a completed assessment (`playbook` may be None: the result's ids are used)."""
        values = self._assessment_values(playbook, answers, result, taken_at)

        def write(conn: Connection) -> StoredAssessment:
            return self._insert_assessment(conn, self._profile_id(conn, profile), values)

        return self._run(write)

    def complete_assessment(
        self,
        profile: ProfileRef,
        playbook: Any,
        answers: dict[str, Any],
        result: AssessmentResult,
        plan: Plan,
        taken_at: datetime | None = None,
    ) -> StoredAssessment:
        """Record the assessment, make `plan` the current plan and clear the draft: one transaction."""
        values = self._assessment_values(playbook, answers, result, taken_at)

        def write(conn: Connection) -> StoredAssessment:
            pid = self._profile_id(conn, profile)
            stored = self._insert_assessment(conn, pid, values)
            self._replace_plan(conn, pid, plan)
            conn.execute(delete(drafts_t).where(drafts_t.c.profile_id == pid))
            return stored

        return self._run(write)

    def _assessments(self, conn: Connection, pid: int) -> list[StoredAssessment]:
        by_date = (assessments_t.c.taken_at, assessments_t.c.id)
        return [
            assessment_from_row(r) for r in self._owned_rows(conn, assessments_t, pid, *by_date)
        ]

    def list_assessments(self, profile: ProfileRef) -> list[StoredAssessment]:
        """Every assessment of the profile, oldest first."""
        return self._read(lambda c: self._assessments(c, self._profile_id(c, profile)))

    # ---- plan -----------------------------------------------------------------------------------

    def _replace_plan(
        self, conn: Connection, pid: int, plan: Plan, created_at: datetime | None = None
    ) -> None:
        step_ids = {s.id for s in plan.steps}
        conn.execute(delete(plans_t).where(plans_t.c.profile_id == pid))
        conn.execute(
            insert(plans_t).values(
                profile_id=pid, plan=plan_to_dict(plan), created_at=created_at or clock.now()
            )
        )
        known = conn.execute(
            select(step_states_t.c.step_id).where(step_states_t.c.profile_id == pid)
        ).scalars()
        gone = [sid for sid in known if sid not in step_ids]
        if gone:
            conn.execute(
                delete(step_states_t).where(
                    step_states_t.c.profile_id == pid, step_states_t.c.step_id.in_(gone)
                )
            )

    def save_plan(self, profile: ProfileRef, plan: Plan) -> None:
        """Make `plan` the current plan; steps with the same id keep their state."""
        self._run(lambda conn: self._replace_plan(conn, self._profile_id(conn, profile), plan))

    def _load_plan(self, conn: Connection, pid: int) -> StoredPlan | None:
        row = conn.execute(select(plans_t).where(plans_t.c.profile_id == pid)).first()
        if row is None:
            return None
        plan = plan_from_dict(row.plan)
        states = {s.id: TODO for s in plan.steps}
        for r in self._owned_rows(conn, step_states_t, pid):
            if r.step_id in states:
                states[r.step_id] = StepStatus(r.state, r.changed_on, r.note)
        return StoredPlan(plan=plan, states=states, created_at=row.created_at)

    def get_plan(self, profile: ProfileRef) -> StoredPlan | None:
        """The current plan with the state of every step, or None."""
        return self._read(lambda c: self._load_plan(c, self._profile_id(c, profile)))

    def set_step_state(
        self,
        profile: ProfileRef,
        step_id: str,
        state: str | None = None,
        note: str | None = None,
        on: date | None = None,
        *,
        seen_revision: int | None = None,
    ) -> None:
        """Change a step's state and/or note; what is not given (None) stays as stored.

        The date moves (to `on`, else today in the profile's zone) when a state is given.
        `seen_revision`, the profile's revision the person was shown, refuses the change
        (CoachError "changed meanwhile", nothing written) when someone changed it since.
        """
        if state is not None:
            check_step_state(state)
        if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE_CHARS):
            raise InvalidInput("tracking.error.note_too_long", max=MAX_NOTE_CHARS)

        def write(conn: Connection) -> None:
            row = self._profile_row(conn, profile)
            check_revision(row, seen_revision)
            stored = self._load_plan(conn, row.id)
            if stored is None:
                raise NotFound("tracking.error.no_plan", name=row.name)
            if step_id not in stored.states:
                raise NotFound("tracking.error.unknown_step", step=step_id)
            old = stored.states[step_id]
            new_state = old.state if state is None else state
            moved = state is not None or on is not None
            day = (on or clock.today_in(row.timezone)) if moved else old.changed_on
            values = {
                "profile_id": row.id,
                "step_id": step_id,
                "state": new_state,
                "changed_on": day,
                "note": old.note if note is None else note,
            }
            upsert(conn, step_states_t, [values], keys=("profile_id", "step_id"))
            conn.info.setdefault(AUDIT_DETAIL, {}).update(
                target=step_id, before=old.state, after=new_state
            )

        self._run(write)

    # ---- goal targets ---------------------------------------------------------------------------

    def _targets(self, conn: Connection, pid: int) -> list[GoalTarget]:
        rows = self._owned_rows(conn, goal_targets_t, pid, goal_targets_t.c.id)
        return [GoalTarget(r.goal_id, float(r.target), r.set_on) for r in rows]

    def _profile_targets(self, profile: ProfileRef) -> list[GoalTarget]:
        """Every target set for the profile's goals, oldest first."""
        return self._read(lambda c: self._targets(c, self._profile_id(c, profile)))

    def goal_targets(self, profile: ProfileRef) -> dict[str, float]:
        """The targets the manager set (goal id -> latest target); plan defaults are not included."""
        return {g.goal_id: g.target for g in self._profile_targets(profile)}

    def set_goal_target(
        self, profile: ProfileRef, goal_id: str, target: float, **stamp: Unpack[Stamp]
    ) -> None:
        """Set a new target for a goal from `on` (default: today); the previous ones stay in
        the history. `seen_revision`: as for `set_step_state`, a change made meanwhile is
        not overwritten.
        """
        value = _valid_target(target)

        def write(conn: Connection) -> None:
            row = self._profile_row(conn, profile)
            check_revision(row, stamp.get("seen_revision"))
            plan_row = conn.execute(
                select(plans_t.c.plan).where(plans_t.c.profile_id == row.id)
            ).first()
            if plan_row is not None:
                goals = {g["id"] for g in plan_row.plan.get("goals", [])}
                if goal_id not in goals:
                    raise NotFound("tracking.error.unknown_goal", goal=goal_id)
            conn.execute(
                insert(goal_targets_t).values(
                    profile_id=row.id,
                    goal_id=goal_id,
                    target=value,
                    set_on=stamp.get("on") or clock.today_in(row.timezone),
                )
            )
            conn.info.setdefault(AUDIT_DETAIL, {}).update(target=goal_id, after=value)

        self._run(write)

    def goal_target_history(self, profile: ProfileRef, goal_id: str) -> list[tuple[date, float]]:
        """Every target set for the goal, oldest first, as (date, target)."""
        return [
            (g.set_on, g.target) for g in self._profile_targets(profile) if g.goal_id == goal_id
        ]
