"""Use cases that write: the self-assessment, profile changes and the plan that follows,
weeks, steps, goal targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Concatenate, ParamSpec, TypeVar

from coach import planner, scoring
from coach.model import Plan, Playbook
from coach.profile import CLOSED_STATES, Profile, check_name
from coach.records import ProfileRef, Store, StoredAssessment, StoredPlan
from coach.service import common
from coach.service.common import today_for
from coach.service.profiles import check_name_free

P = ParamSpec("P")
R = TypeVar("R")


def plan_start(profile: Profile, today: date) -> date:
    """A new plan starts on the profile's start date, or today when that date is past."""
    return max(profile.start_date, today)


def complete_assessment(
    store: Store,
    profile: ProfileRef,
    playbook: Playbook,
    answers: dict[str, Any],
    lang: str,
    today: date | None = None,
) -> tuple[StoredAssessment, Plan]:
    """Score the answers, build the plan, keep both and clear the draft: one transaction."""
    found = store.get_profile(profile)
    kept = {k: v for k, v in answers.items() if playbook.question(k) is not None}
    result = scoring.score(playbook, kept, found.facts)
    start = plan_start(found, today or today_for(found))
    plan = planner.build_plan(
        playbook, kept, result, start, found.hours_per_week, lang, found.facts
    )
    stored = store.complete_assessment(found, playbook, kept, result, plan)
    return stored, plan


def save_answers(store: Store, profile: ProfileRef, answers: dict[str, Any]) -> dict[str, Any]:
    """Merge the answers given into the draft (others stay); None removes an answer."""
    draft: dict[str, Any] = store.merge_draft(profile, answers)
    removed = [k for k, v in answers.items() if v is None]
    if removed:
        draft = {k: v for k, v in draft.items() if k not in removed}
        store.save_draft(profile, draft)
    return draft


@dataclass(frozen=True)
class ProfileChange:
    profile: Profile
    rescheduled: bool  # the plan's remaining steps moved


def change_profile(
    store: Store,
    profile: ProfileRef,
    today: date | None = None,
    playbook: Playbook | None = None,
    **changes: Any,
) -> ProfileChange:
    """Change profile fields; the plan follows in the same transaction.

    New hours or a new sector change the facts the playbook's conditions read: the
    plan is built again from the latest assessment (`planner.replan`, with `playbook`,
    the profile's by default); done steps keep their state and dates. A new start date
    reschedules the steps left (done and skipped steps keep their dates).
    """
    moved: list[bool] = []
    found = store.get_profile(profile)
    if isinstance(changes.get("new_name"), str):  # "marie" when "Marie" exists is taken
        check_name_free(store, check_name(changes["new_name"]), keep=found)
    rebuild: tuple[Playbook, StoredAssessment] | None = None
    if any(
        key in changes and changes[key] != getattr(found, key)
        for key in ("regulated_sector", "hours_per_week")
    ):
        assessments = store.list_assessments(found)
        book = playbook or common.find_playbook(found)
        # Rebuild only from an assessment taken on this playbook; otherwise reschedule.
        if book is not None and assessments and assessments[-1].playbook_id == book.id:
            rebuild = (book, assessments[-1])

    def replan(before: Profile, after: Profile, stored: StoredPlan) -> Plan | None:
        facts_moved = (before.regulated_sector, before.hours_per_week) != (
            after.regulated_sector,
            after.hours_per_week,
        )
        if not facts_moved and before.start_date == after.start_date:
            return None
        day = today or today_for(after)
        plan = stored.plan
        if rebuild is not None and facts_moved:
            # The coach's judgement depends on hours and sector: actions trigger again,
            # reasons say the new hours, done steps keep their dates (planner.replan).
            book, latest = rebuild
            result = scoring.score(book, latest.answers, after.facts)
            plan = planner.replan(
                book,
                latest.answers,
                result,
                plan,
                dict(stored.states),
                after.hours_per_week,
                plan.lang,
                after.facts,
                day,
            )
            if before.start_date == after.start_date:
                moved.append(plan != stored.plan)
                return plan
        kept = {s.id for s in plan.steps}
        fixed = {
            step.id: (step.start, step.due)
            for step in stored.plan.steps
            if step.id in kept and stored.states[step.id].state in CLOSED_STATES
        }
        plan = planner.reschedule(plan, fixed, after.start_date, after.hours_per_week, today=day)
        moved.append(plan != stored.plan)
        return plan

    updated = store.update_profile(found, replan=replan, **changes)
    return ProfileChange(updated, any(moved))


def save_week(
    store: Store,
    profile: ProfileRef,
    week: str,
    changes: dict[str, Any],
    today: date | None = None,
) -> str:
    """Save the figures given for `week`, keeping the others: "created" or "updated".

    The same for the app and the CLI: read and write in one transaction, so a figure
    saved elsewhere after a form was opened is kept unless this form changed it.
    """
    return str(store.merge_checkin(profile, week, dict(changes), today=today))


def _store_method(
    method: Callable[Concatenate[Store, P], R], doc: str
) -> Callable[Concatenate[Store, P], R]:
    """A use case that is the store's method of the same name, called on the store given (a
    ScopedStore checks access first): its parameters are the `Store` protocol's, written once
    in coach/records.py."""
    name = method.__name__

    def use_case(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        result: R = getattr(store, name)(*args, **kwargs)
        return result

    use_case.__name__ = use_case.__qualname__ = name
    use_case.__doc__ = doc
    return use_case


set_step_state = _store_method(
    Store.set_step_state,
    """Change a step's state and/or its note; what is not given stays as stored.

    `seen_revision` (the profile's revision the page showed, `store.profile_revision`)
    refuses the change when someone else changed the profile meanwhile.
    """,
)

set_goal_target = _store_method(
    Store.set_goal_target,
    """Set a new target for a goal; the previous ones stay in the history.

    `seen_revision`: as for `set_step_state`, a change made meanwhile is not overwritten.
    """,
)
