"""Organisations, users, memberships (roles), coach assignments and the audit log.

Users are keyed by their identity provider's issuer and subject; e-mail and name
are labels refreshed at each sign-in (`upsert_user`, one `INSERT … ON CONFLICT`).
Roles are text, one membership row per (organisation, user, role). The audit log
is append-only: rows are added in the same transaction as the change they
record (`Database.run` inserts what `conn.info[AUDIT]` holds before commit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, select, update

from coach import clock
from coach.errors import NotFound
from coach.store.db import AUDIT
from coach.store.rows import Repository
from coach.store.schema import (
    audit_log_t,
    coach_assignments_t,
    memberships_t,
    organisations_t,
    profiles_t,
    users_t,
)
from coach.store.upsert import upsert


@dataclass(frozen=True)
class UserRecord:
    id: int
    issuer: str
    subject: str
    email: str
    name: str
    disabled: bool
    roles: frozenset[str]  # in the organisation asked about


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str  # the actor's e-mail or name, or issuer#subject; "" for the system
    action: str
    profile_id: int | None
    profile_label: str
    target: str
    detail: dict[str, Any]


def audit(
    conn: Connection,
    *,
    organisation_id: int,
    actor_user_id: int | None,
    action: str,
    profile_id: int | None = None,
    profile_label: str = "",
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Queue an audit row: written by this transaction, just before it commits."""
    conn.info.setdefault(AUDIT, []).append(
        {
            "at": clock.now(),
            "organisation_id": organisation_id,
            "actor_user_id": actor_user_id,
            "action": action,
            "profile_id": profile_id,
            "profile_label": profile_label[:60],
            "target": target[:400],
            "detail": dict(detail or {}),
        }
    )


def _keep_row(
    conn: Connection, table: Table, key: dict[str, Any], present: bool, stamp: dict[str, Any]
) -> bool:
    """Make the row keyed by `key` exist (new rows get `stamp`) or not; True when it changed."""
    where = and_(*(table.c[name] == value for name, value in key.items()))
    had = conn.execute(select(table.c[next(iter(key))]).where(where)).first() is not None
    if present and not had:
        upsert(conn, table, [key | stamp], keys=tuple(key), update=())
    elif had and not present:
        conn.execute(delete(table).where(where))
    return present != had


class PeopleRepository(Repository):
    # ---- organisations and users ----------------------------------------------------------------

    def ensure_organisation(self, key: str, name: str | None = None) -> int:
        """The organisation's id, created when missing."""

        def write(conn: Connection) -> int:
            row = {"key": key, "name": name or key, "created_at": clock.now()}
            upsert(conn, organisations_t, [row], keys=("key",), update=())
            found = conn.execute(
                select(organisations_t.c.id).where(organisations_t.c.key == key)
            ).scalar_one()
            return int(found)

        return self._run(write)

    def organisation_key(self, organisation_id: int) -> str:
        query = select(organisations_t.c.key).where(organisations_t.c.id == organisation_id)
        return str(self._read(lambda c: c.execute(query).scalar_one()))

    def upsert_user(self, issuer: str, subject: str, email: str = "", name: str = "") -> int:
        """Create or refresh the user (labels, last seen); their id."""

        def write(conn: Connection) -> int:
            return self._upsert_user(conn, issuer, subject, email, name)

        return self._run(write)

    def _upsert_user(
        self, conn: Connection, issuer: str, subject: str, email: str, name: str
    ) -> int:
        now = clock.now()
        row = {
            "issuer": issuer,
            "subject": subject,
            "email": email[:320],
            "name": name[:200],
            "created_at": now,
            "last_seen_at": now,
        }
        upsert(
            conn,
            users_t,
            [row],
            keys=("issuer", "subject"),
            update=("email", "name", "last_seen_at"),
        )
        return self._user_id(conn, issuer, subject)

    def _user_id(self, conn: Connection, issuer: str, subject: str) -> int:
        found = conn.execute(
            select(users_t.c.id).where(users_t.c.issuer == issuer, users_t.c.subject == subject)
        ).scalar_one_or_none()
        if found is None:
            raise NotFound("access.error.unknown_user", user=f"{issuer}#{subject}")
        return int(found)

    def find_user(self, issuer: str, subject: str) -> int | None:
        query = select(users_t.c.id).where(users_t.c.issuer == issuer, users_t.c.subject == subject)
        found = self._read(lambda c: c.execute(query).scalar_one_or_none())
        return None if found is None else int(found)

    def user_memberships(self, user_id: int) -> tuple[bool, list[tuple[int, str, str, str]]]:
        """(disabled, [(organisation id, key, name, role)]) of a user."""

        def read(conn: Connection) -> tuple[bool, list[tuple[int, str, str, str]]]:
            disabled = conn.execute(
                select(users_t.c.disabled_at).where(users_t.c.id == user_id)
            ).scalar_one_or_none()
            query = (
                select(
                    organisations_t.c.id,
                    organisations_t.c.key,
                    organisations_t.c.name,
                    memberships_t.c.role,
                )
                .join(organisations_t, organisations_t.c.id == memberships_t.c.organisation_id)
                .where(memberships_t.c.user_id == user_id)
                .order_by(organisations_t.c.key, memberships_t.c.role)
            )
            rows = [(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in conn.execute(query)]
            return disabled is not None, rows

        return self._read(read)

    def organisation_users(self, organisation_id: int) -> list[UserRecord]:
        """Every user with a role in the organisation, by e-mail."""

        def read(conn: Connection) -> list[UserRecord]:
            query = (
                select(users_t, memberships_t.c.role)
                .join(memberships_t, memberships_t.c.user_id == users_t.c.id)
                .where(memberships_t.c.organisation_id == organisation_id)
                .order_by(users_t.c.email, users_t.c.id)
            )
            found: dict[int, UserRecord] = {}
            for r in conn.execute(query):
                old = found.get(int(r.id))
                roles = (old.roles if old else frozenset()) | {str(r.role)}
                found[int(r.id)] = UserRecord(
                    int(r.id),
                    r.issuer,
                    r.subject,
                    r.email,
                    r.name,
                    r.disabled_at is not None,
                    roles,
                )
            return list(found.values())

        return self._read(read)

    # ---- roles, assignments, disabling (audited by the caller's transaction) --------------------

    def set_role(
        self, organisation_id: int, user_id: int, role: str, granted: bool, by: int | None
    ) -> bool:
        """Grant or revoke one role; True when something changed."""

        def write(conn: Connection) -> bool:
            key = {"organisation_id": organisation_id, "user_id": user_id, "role": role}
            stamp = {"granted_at": clock.now(), "granted_by": by}
            changed = _keep_row(conn, memberships_t, key, granted, stamp)
            if changed:
                action = "role.grant" if granted else "role.revoke"
                self._audit_user(conn, organisation_id, by, action, user_id, detail={"role": role})
            return changed

        return self._run(write)

    def set_disabled(
        self, organisation_id: int, user_id: int, disabled: bool, by: int | None
    ) -> None:
        def write(conn: Connection) -> None:
            conn.execute(
                update(users_t)
                .where(users_t.c.id == user_id)
                .values(disabled_at=clock.now() if disabled else None)
            )
            action = "user.disable" if disabled else "user.enable"
            self._audit_user(conn, organisation_id, by, action, user_id)

        self._run(write)

    def set_assignment(
        self, profile_id: int, coach_user_id: int, assigned: bool, by: int | None
    ) -> None:
        def write(conn: Connection) -> None:
            row = self._profile_row(conn, profile_id)
            key = {"profile_id": profile_id, "coach_user_id": coach_user_id}
            stamp = {"assigned_at": clock.now(), "assigned_by": by}
            _keep_row(conn, coach_assignments_t, key, assigned, stamp)
            action = "assignment.add" if assigned else "assignment.remove"
            self._audit_user(
                conn,
                int(row.organisation_id),
                by,
                action,
                coach_user_id,
                profile_id=profile_id,
                profile_label=str(row.name),
            )

        self._run(write)

    def _audit_user(
        self,
        conn: Connection,
        organisation_id: int,
        by: int | None,
        action: str,
        user_id: int,
        **more: Any,
    ) -> None:
        """Audit a change about a user: the target is their issuer#subject."""
        target = self._identity_label(conn, user_id)
        audit(
            conn,
            organisation_id=organisation_id,
            actor_user_id=by,
            action=action,
            target=target,
            **more,
        )

    def assignments(self, organisation_id: int) -> list[tuple[int, int]]:
        """(profile id, coach user id) pairs of the organisation."""
        query = (
            select(coach_assignments_t.c.profile_id, coach_assignments_t.c.coach_user_id)
            .join(profiles_t, profiles_t.c.id == coach_assignments_t.c.profile_id)
            .where(profiles_t.c.organisation_id == organisation_id)
            .order_by(coach_assignments_t.c.profile_id, coach_assignments_t.c.coach_user_id)
        )
        rows = self._read(lambda c: c.execute(query).all())
        return [(int(p), int(u)) for p, u in rows]

    def _identity_label(self, conn: Connection, user_id: int) -> str:
        row = conn.execute(
            select(users_t.c.issuer, users_t.c.subject).where(users_t.c.id == user_id)
        ).first()
        if row is None:
            raise NotFound("access.error.unknown_user", user=str(user_id))
        return f"{row.issuer}#{row.subject}"

    # ---- the audit log ------------------------------------------------------------------------

    def audit_entries(
        self, organisation_id: int, profile_id: int | None = None, limit: int = 200
    ) -> list[AuditEntry]:
        """The latest entries first, for the organisation or one profile."""

        def read(conn: Connection) -> list[AuditEntry]:
            actor = users_t.alias("actor")
            query = (
                select(audit_log_t, actor.c.email, actor.c.name, actor.c.issuer, actor.c.subject)
                .outerjoin(actor, actor.c.id == audit_log_t.c.actor_user_id)
                .where(audit_log_t.c.organisation_id == organisation_id)
                .order_by(audit_log_t.c.id.desc())
                .limit(limit)
            )
            if profile_id is not None:
                query = query.where(audit_log_t.c.profile_id == profile_id)
            out = []
            for r in conn.execute(query):
                who = r.email or r.name or (f"{r.issuer}#{r.subject}" if r.issuer else "")
                out.append(
                    AuditEntry(
                        r.at, who, r.action, r.profile_id, r.profile_label, r.target, dict(r.detail)
                    )
                )
            return out

        return self._read(read)
