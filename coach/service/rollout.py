"""Roll-out: the database's schema, sign-in and the per-user store, the audit of exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coach import access
from coach.errors import CoachError
from coach.records import ProfileRef


@dataclass(frozen=True)
class DatabaseReport:
    where: str  # the file, or the URL without its password
    revisions: tuple[str, ...]  # the Alembic revisions the database is at
    latest: tuple[str, ...]  # the revisions this coach brings it to
    changed: bool = False  # an upgrade ran


def database_status(target: str | None = None) -> DatabaseReport:
    """Where the database stands, without changing it."""
    from coach.store import Database, head_revisions

    db = Database(target, migrate=False)
    try:
        return DatabaseReport(
            db.path(), tuple(db.schema_revisions()), tuple(sorted(head_revisions()))
        )
    finally:
        db.close()


def upgrade_database(target: str | None = None) -> DatabaseReport:
    """Bring the database to the latest revision (`python -m coach db upgrade`)."""
    from coach.store import Database, head_revisions

    db = Database(target, migrate=False)
    try:
        changed = db.upgrade()
        return DatabaseReport(
            db.path(), tuple(db.schema_revisions()), tuple(sorted(head_revisions())), changed
        )
    finally:
        db.close()


def database_sql(target: str | None, out: Any) -> None:
    """The SQL of a full upgrade for the database's dialect, written to `out`, run nowhere."""
    from coach.store import migrate
    from coach.store.db import resolve_target

    migrate.offline_sql(resolve_target(target), out)


# ---- sign-in and the per-user store ---------------------------------------------------------------
#
# Authorisation lives here and in coach/store/scoped.py, never in pages: a signed-in person's
# pages get `for_user(store, user)`, a ScopedStore with the Store's methods and signatures, so
# every use case of this package takes it unchanged and cannot reach a profile the user may not see.


class NotMember(CoachError):
    """Signed in, but given no role in any organisation yet (or turned off)."""


def sign_in(store: Any, claims: dict[str, Any]) -> access.User:
    """The person behind an ID token's claims, as the application layer sees them.

    The user row is upserted by issuer and subject (e-mail and name are labels,
    refreshed); their roles come from their memberships. NotMember when they have
    none, or were turned off by an administrator.
    """
    identity = access.identity_from_claims(claims)
    email, name = access.labels_from_claims(claims)
    user_id = store.upsert_user(identity.issuer, identity.subject, email, name)
    return _user_of(store, user_id, identity, email, name)


def current_user(
    store: Any, identity: access.Identity, email: str = "", name: str = ""
) -> access.User:
    """The user's roles as stored now (read each rerun: a revoked role takes effect at once)."""
    user_id = store.find_user(identity.issuer, identity.subject)
    if user_id is None:
        raise NotMember(
            "access.error.not_member", who=email or name or str(identity), identity=str(identity)
        )
    return _user_of(store, user_id, identity, email, name)


def _user_of(
    store: Any, user_id: int, identity: access.Identity, email: str, name: str
) -> access.User:
    disabled, rows = store.user_memberships(user_id)
    if disabled:
        raise NotMember("access.error.disabled")
    if not rows:
        raise NotMember(
            "access.error.not_member", who=email or name or str(identity), identity=str(identity)
        )
    organisation = rows[0][1]  # one organisation per person (the first by key if several)
    roles = access.parse_roles(role for _id, key, _name, role in rows if key == organisation)
    return access.User(identity, organisation, roles, email=email, name=name)


def for_user(store: Any, user: access.User) -> Any:
    """The store as `user` may use it (coach.store.scoped.ScopedStore)."""
    from coach.store.scoped import ScopedStore

    user_id = store.find_user(user.identity.issuer, user.identity.subject)
    if user_id is None:
        raise NotMember(
            "access.error.not_member",
            who=user.email or str(user.identity),
            identity=str(user.identity),
        )
    disabled, rows = store.user_memberships(user_id)
    org_ids = [org_id for org_id, key, _name, _role in rows if key == user.organisation]
    if disabled or not org_ids:
        raise NotMember(
            "access.error.not_member",
            who=user.email or str(user.identity),
            identity=str(user.identity),
        )
    return ScopedStore(store, user, user_id, org_ids[0])


def record_export(
    store: Any, profile: ProfileRef, kind: str, detail: dict[str, Any] | None = None
) -> None:
    """Say in the audit log that the signed-in user exported `profile` (board pack, CSV…)."""
    record = getattr(store, "record_export", None)
    if record is not None:  # a plain Store (local mode, CLI) keeps no audit log of exports
        record(profile, f"export.{kind}", detail or {})
