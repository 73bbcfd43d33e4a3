"""The store as one signed-in user may use it: every profile checked, every change audited.

`ScopedStore` is a `Store` (same methods, same signatures, so every use case of
coach/service.py takes it unchanged) sharing the open database, working in the
name of one `access.User`:

- every method that touches a profile finds its row through `_profile_row`,
  which here asks `access.require(user, action, …)` inside the same transaction,
  before anything is read or written: a refused call raises `Forbidden` and
  writes nothing;
- the action is the method's (read, change, export, import, replace, delete);
  a method not listed is a read in a read transaction and a change in a write
  one, so nothing slips through unchecked;
- `list_profiles` lists only the profiles the user may read (the portfolio);
- audited changes (step states, goals, check-ins, imports, deletions, profile
  creation and changes) queue their audit row in the change's own transaction;
  exports, which change nothing, get a row of their own.

Names are looked up in the user's organisation only, new profiles belong to the user.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, and_, select

from coach import access
from coach.access import Action, Forbidden, Identity, ProfileAccess, User
from coach.profile import Profile
from coach.records import ProfileRef
from coach.store import Store
from coach.store.people import audit
from coach.store.rows import is_write, profile_from_row
from coach.store.schema import coach_assignments_t, profiles_t

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Intent:
    action: Action
    audit: str | None  # the audit log's action, for a change worth recording


_INTENT: ContextVar[Intent | None] = ContextVar("coach_store_intent", default=None)


def _as(action: Action, audit_action: str | None = None) -> Callable[[F], F]:
    """Run a Store method under this intent (what `_authorize` checks and records)."""

    def wrap(method: F) -> F:
        @functools.wraps(method)
        def run(self: ScopedStore, *args: Any, **kwargs: Any) -> Any:
            token = _INTENT.set(Intent(action, audit_action))
            try:
                return method(self, *args, **kwargs)
            finally:
                _INTENT.reset(token)

        return run  # type: ignore[return-value]

    return wrap


class ScopedStore(Store):
    """A Store in the name of `user` (see the module's docstring)."""

    def __init__(self, store: Store, user: User, user_id: int, organisation_id: int) -> None:
        super().__init__(db=store.db)
        self.user = user
        self.user_id = user_id
        self.organisation_id = organisation_id

    def close(self) -> None:
        """The database belongs to the Store this handle was made from."""

    # ---- the one check ------------------------------------------------------------------------

    def _access(self, conn: Connection, row: Row[Any]) -> ProfileAccess:
        assigned = conn.execute(
            select(coach_assignments_t.c.profile_id).where(
                coach_assignments_t.c.profile_id == row.id,
                coach_assignments_t.c.coach_user_id == self.user_id,
            )
        ).first()
        return self._facts(row, assigned is not None)

    def _authorize(self, conn: Connection, row: Row[Any]) -> None:
        write = is_write(conn)
        intent = _INTENT.get() or Intent(Action.CHANGE if write else Action.READ, None)
        access.require(self.user, intent.action, self._access(conn, row))
        if write and intent.audit:
            done = conn.info.setdefault("coach_audited", set())
            if int(row.id) not in done:
                done.add(int(row.id))
                audit(
                    conn,
                    organisation_id=int(row.organisation_id),
                    actor_user_id=self.user_id,
                    action=intent.audit,
                    profile_id=int(row.id),
                    profile_label=str(row.name),
                )

    def _authorize_rows(self, conn: Connection, rows: list[Row[Any]]) -> None:
        """Reads of several profiles (a portfolio): one query for this user's assignments."""
        if is_write(conn) or len(rows) < 2:
            super()._authorize_rows(conn, rows)
            return
        intent = _INTENT.get() or Intent(Action.READ, None)
        ids = sorted({int(r.id) for r in rows})
        mine: set[int] = set()
        for start in range(0, len(ids), 500):
            query = select(coach_assignments_t.c.profile_id).where(
                coach_assignments_t.c.coach_user_id == self.user_id,
                coach_assignments_t.c.profile_id.in_(ids[start : start + 500]),
            )
            mine.update(int(pid) for pid in conn.execute(query).scalars())
        for row in rows:
            access.require(self.user, intent.action, self._facts(row, int(row.id) in mine))

    def _facts(self, row: Row[Any], assigned: bool) -> ProfileAccess:
        mine = int(row.organisation_id) == self.organisation_id
        organisation = self.user.organisation if mine else f"#{row.organisation_id}"
        owner = (
            self.user.identity
            if int(row.owner_user_id) == self.user_id
            else Identity("#user", str(row.owner_user_id))
        )
        coaches = frozenset({self.user.identity}) if assigned else frozenset()
        return ProfileAccess(organisation, owner, coaches)

    def _replacing(self, conn: Connection, pid: int) -> None:
        row = conn.execute(select(profiles_t).where(profiles_t.c.id == pid)).one()
        access.require(self.user, Action.REPLACE, self._access(conn, row))

    # ---- lists --------------------------------------------------------------------------------

    def list_profiles(self) -> list[Profile]:
        """The profiles of the organisation this user may read, by name (one query)."""
        return self._visible(Action.READ)

    def assignable_profiles(self) -> list[Profile]:
        """The organisation's profiles an admin sees to assign coaches (not their content)."""
        return self._visible(Action.ASSIGN)

    def _visible(self, action: Action) -> list[Profile]:
        assigned = coach_assignments_t.alias("mine")
        query = (
            select(profiles_t, assigned.c.coach_user_id.label("assigned"))
            .outerjoin(
                assigned,
                and_(
                    assigned.c.profile_id == profiles_t.c.id,
                    assigned.c.coach_user_id == self.user_id,
                ),
            )
            .where(profiles_t.c.organisation_id == self.organisation_id)
            .order_by(profiles_t.c.name)
        )
        rows = self._read(lambda c: c.execute(query).all())
        me = self.user.identity
        out = []
        for r in rows:
            owner = (
                me
                if int(r.owner_user_id) == self.user_id
                else Identity("#user", str(r.owner_user_id))
            )
            coaches = frozenset({me}) if r.assigned is not None else frozenset()
            if access.decide(
                self.user, action, ProfileAccess(self.user.organisation, owner, coaches)
            ):
                out.append(profile_from_row(r))
        return out

    # ---- profiles -----------------------------------------------------------------------------

    def create_profile(self, name: str, **fields: Any) -> Profile:
        """A new profile of this user's; only managers (and the local user) have one."""
        local = self.user.identity == access.LOCAL_USER.identity
        if not (local or self.user.has(access.Role.MANAGER)):
            raise Forbidden("access.error.not_manager")
        token = _INTENT.set(Intent(Action.CHANGE, "profile.create"))
        try:
            return super().create_profile(name, **fields)
        finally:
            _INTENT.reset(token)

    def export_profile(self, profile: ProfileRef) -> dict[str, Any]:
        token = _INTENT.set(Intent(Action.EXPORT, None))
        try:
            doc = super().export_profile(profile)
        finally:
            _INTENT.reset(token)
        self.record_export(profile, "export.profile", {"format": "json"})
        return doc

    def record_export(
        self, profile: ProfileRef, action: str = "export.pack", detail: dict[str, Any] | None = None
    ) -> None:
        """Check the user may export the profile, and say in the audit log that they did."""

        def write(conn: Connection) -> None:
            token = _INTENT.set(Intent(Action.EXPORT, None))
            try:
                row = self._profile_row(conn, profile)
            finally:
                _INTENT.reset(token)
            conn.info.get("coach_touched", set()).discard(int(row.id))  # an export changes nothing
            audit(
                conn,
                organisation_id=int(row.organisation_id),
                actor_user_id=self.user_id,
                action=action,
                profile_id=int(row.id),
                profile_label=str(row.name),
                detail=detail,
            )

        self._run(write)

    get_profile = _as(Action.READ)(Store.get_profile)
    profile_data = _as(Action.READ)(Store.profile_data)
    profile_revision = _as(Action.READ)(Store.profile_revision)
    update_profile = _as(Action.CHANGE, "profile.change")(Store.update_profile)
    delete_profile = _as(Action.DELETE, "profile.delete")(Store.delete_profile)
    import_profile = _as(Action.CHANGE, "import.profile")(Store.import_profile)
    # assessment and plan
    get_draft = _as(Action.READ)(Store.get_draft)
    list_assessments = _as(Action.READ)(Store.list_assessments)
    get_plan = _as(Action.READ)(Store.get_plan)
    complete_assessment = _as(Action.CHANGE, "assessment.complete")(Store.complete_assessment)
    add_assessment = _as(Action.CHANGE, "assessment.complete")(Store.add_assessment)
    save_plan = _as(Action.CHANGE, "plan.save")(Store.save_plan)
    set_step_state = _as(Action.CHANGE, "step.state")(Store.set_step_state)
    # goals
    goal_targets = _as(Action.READ)(Store.goal_targets)
    goal_target_history = _as(Action.READ)(Store.goal_target_history)
    set_goal_target = _as(Action.CHANGE, "goal.target")(Store.set_goal_target)
    # check-ins
    list_checkins = _as(Action.READ)(Store.list_checkins)
    get_checkin = _as(Action.READ)(Store.get_checkin)
    save_checkins = _as(Action.CHANGE, "checkin.save")(Store.save_checkins)
    merge_checkin = _as(Action.CHANGE, "checkin.save")(Store.merge_checkin)
    delete_checkin = _as(Action.CHANGE, "checkin.delete")(Store.delete_checkin)
    save_checkins_rechecked = _as(Action.IMPORT, "import.apply")(Store.save_checkins_rechecked)
    # administration (audited by the repository, which knows the target)
    set_assignment = _as(Action.ASSIGN)(Store.set_assignment)
    # Before you post: the never-say list and saved drafts
    never_say = _as(Action.READ)(Store.never_say)
    add_never_say = _as(Action.CHANGE, "never_say.change")(Store.add_never_say)
    remove_never_say = _as(Action.CHANGE, "never_say.change")(Store.remove_never_say)
    post_drafts = _as(Action.READ)(Store.post_drafts)
    get_post_draft = _as(Action.READ)(Store.get_post_draft)
    save_post_draft = _as(Action.CHANGE, "draft.save")(Store.save_post_draft)
    delete_post_draft = _as(Action.CHANGE, "draft.delete")(Store.delete_post_draft)
