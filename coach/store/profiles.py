"""Profiles: create, read, change (with the caller's re-planning rule), delete."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from coach import clock
from coach.errors import InvalidInput
from coach.planner import plan_to_dict
from coach.profile import (
    DEFAULT_HOURS,
    DEFAULT_PLAYBOOK_ID,
    DEFAULT_TIMEZONE,
    Profile,
    check_fields,
)
from coach.records import ProfileRef, Replan
from coach.store.rows import Repository, profile_from_row
from coach.store.schema import OWNED_TABLES, plans_t, profiles_t, step_states_t

UPDATABLE = frozenset(
    {"new_name", "language", "timezone", "hours_per_week", "start_date"}
    | {"playbook_id", "regulated_sector"}
)


class ProfileRepository(Repository):
    def create_profile(
        self,
        name: str,
        *,
        language: str = "fr",
        timezone: str = DEFAULT_TIMEZONE,
        hours_per_week: float = DEFAULT_HOURS,
        start_date: date | None = None,
        playbook_id: str = DEFAULT_PLAYBOOK_ID,
        regulated_sector: bool = False,
    ) -> Profile:
        """A new profile; InvalidInput when the name is taken or a field is wrong."""
        values = check_fields(
            {
                "name": name,
                "language": language,
                "timezone": timezone,
                "hours_per_week": hours_per_week,
                "start_date": start_date or clock.today_in(timezone),
                "playbook_id": playbook_id,
                "regulated_sector": regulated_sector,
            }
        )
        values["created_at"] = clock.now()

        def write(conn: Connection) -> Profile:
            pid = self._insert_profile(conn, values)
            return profile_from_row(self._profile_row(conn, pid))

        return self._run(write)

    def _name_taken(self, conn: Connection, name: str) -> int | None:
        """The id of this organisation's profile called `name`, if any."""
        found = conn.execute(
            select(profiles_t.c.id).where(
                profiles_t.c.name == name, profiles_t.c.organisation_id == self.organisation_id
            )
        ).first()
        return None if found is None else int(found.id)

    def _insert_profile(self, conn: Connection, values: dict[str, Any]) -> int:
        if self._name_taken(conn, values["name"]) is not None:
            raise InvalidInput("tracking.error.profile_exists", name=values["name"])
        owned = {"organisation_id": self.organisation_id, "owner_user_id": self.user_id}
        key = conn.execute(insert(profiles_t).values(**values, **owned)).inserted_primary_key
        return int(key[0]) if key else 0

    def get_profile(self, profile: ProfileRef) -> Profile:
        """The profile (by name, id or Profile); NotFound otherwise."""
        return self._read(lambda c: profile_from_row(self._profile_row(c, profile)))

    def list_profiles(self) -> list[Profile]:
        """Every profile of the organisation, by name."""
        query = (
            select(profiles_t)
            .where(profiles_t.c.organisation_id == self.organisation_id)
            .order_by(profiles_t.c.name)
        )
        rows = self._read(lambda c: c.execute(query).all())
        return [profile_from_row(r) for r in rows]

    def profile_owner(self, profile: ProfileRef) -> int:
        """The id of the user whose profile it is."""
        return self._read(lambda c: int(self._profile_row(c, profile).owner_user_id))

    def profile_revisions(self, ids: list[int]) -> dict[int, int]:
        """Profile id -> revision, for ids of this organisation (one query per 500)."""

        def read(conn: Connection) -> dict[int, int]:
            out: dict[int, int] = {}
            for start in range(0, len(ids), 500):
                query = select(profiles_t.c.id, profiles_t.c.revision).where(
                    profiles_t.c.id.in_(ids[start : start + 500]),
                    profiles_t.c.organisation_id == self.organisation_id,
                )
                out.update((int(i), int(r)) for i, r in conn.execute(query))
            return out

        return self._read(read)

    def profile_revision(self, profile: ProfileRef) -> int:
        """Bumped by every change to this profile: what a page saw, to refuse a lost update."""
        return self._read(lambda c: int(self._profile_row(c, profile).revision))

    def update_profile(
        self, profile: ProfileRef, *, replan: Replan | None = None, **changes: Any
    ) -> Profile:
        """Change profile fields (`new_name` renames), in one transaction.

        `replan`, when given, is called inside the same transaction with the profile
        before and after and its plan; the plan it returns replaces the stored one.
        """
        unknown = set(changes) - UPDATABLE
        if unknown:
            raise TypeError(f"update_profile: unknown fields {sorted(unknown)}")
        if "new_name" in changes:
            changes["name"] = changes.pop("new_name")
        values = check_fields(changes)

        def write(conn: Connection) -> Profile:
            row = self._profile_row(conn, profile)
            if "name" in values and values["name"] != row.name:
                taken = self._name_taken(conn, values["name"])
                if taken is not None and taken != row.id:
                    raise InvalidInput("tracking.error.profile_exists", name=values["name"])
            if values:
                conn.execute(update(profiles_t).where(profiles_t.c.id == row.id).values(**values))
            before = profile_from_row(row)
            after = profile_from_row(self._profile_row(conn, int(row.id)))
            stored = self._load_plan(conn, after.id) if replan is not None else None
            if replan is not None and stored is not None:
                plan = replan(before, after, stored)
                if plan is not None and plan != stored.plan:
                    conn.execute(
                        update(plans_t)
                        .where(plans_t.c.profile_id == after.id)
                        .values(plan=plan_to_dict(plan))
                    )
                    steps = [s.id for s in plan.steps]
                    conn.execute(  # states of steps the new plan no longer has
                        delete(step_states_t).where(
                            step_states_t.c.profile_id == after.id,
                            step_states_t.c.step_id.not_in(steps),
                        )
                    )
            return after

        return self._run(write)

    def delete_profile(self, profile: ProfileRef) -> None:
        """Delete the profile and everything that belongs to it; NotFound when unknown."""

        def write(conn: Connection) -> None:
            pid = self._profile_id(conn, profile)
            self._delete_owned(conn, pid)
            conn.execute(delete(profiles_t).where(profiles_t.c.id == pid))

        self._run(write)

    def _delete_owned(self, conn: Connection, pid: int) -> None:
        # Explicit rather than relying on ON DELETE CASCADE alone, which SQLite
        # only honours when a connection enabled foreign keys.
        for table in OWNED_TABLES:
            conn.execute(delete(table).where(table.c.profile_id == pid))
